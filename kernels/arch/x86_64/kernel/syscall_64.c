// SPDX-License-Identifier: MIT
/*
 * The C side of entry_SYSCALL_64 (mirrors do_syscall_64() in arch/x86/entry/common.c, reduced):
 * rax = number, rdi, rsi, rdx, r10, r8, r9 = arguments, rax = result.
 */
#include <kernel/arch.h>
#include <kernel/syscalls.h>
#include <asm/memory.h>
#include <asm/processor-flags.h>
#include <asm/ptrace.h>
#include <asm/segment.h>
#include <asm/unistd.h>
#include <linux/fcntl.h>

bool do_syscall_64(struct pt_regs *regs);

bool do_syscall_64(struct pt_regs *regs)
{
	unsigned long nr = regs->orig_ax;
	unsigned long args[6] = { regs->di, regs->si, regs->dx, regs->r10, regs->r8, regs->r9 };
	if (nr == __NR_open) {
		/* The legacy open(2) is openat(AT_FDCWD, ...) (fs/open.c). */
		nr = __NR_openat;
		args[3] = args[2];
		args[2] = args[1];
		args[1] = args[0];
		args[0] = (unsigned long)AT_FDCWD;
	}
	regs->ax = (unsigned long)syscall_dispatch(nr, args);

	/* Mirrors the SYSRET eligibility checks at the end of do_syscall_64(). */
	if (regs->cs != __USER_CS || regs->ss != __USER_DS)
		return false;
	if (regs->cx != regs->ip || regs->r11 != regs->flags)
		return false;
	if (regs->ip >= TASK_SIZE)
		return false;
	if (regs->flags & (X86_EFLAGS_RF | X86_EFLAGS_TF))
		return false;
	return true;
}
