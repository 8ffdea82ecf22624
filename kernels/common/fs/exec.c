// SPDX-License-Identifier: MIT
/*
 * kernel_execve() for the first user process (mirrors fs/exec.c + start_thread()): the
 * "filesystem" holds one executable, /init, the user program embedded in the kernel image.
 */
#include <kernel/binfmts.h>
#include <kernel/arch.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <kdsim/stage.h>
#include <asm/ptrace.h>
#include <asm-generic/errno-base.h>

static struct mm_struct init_mm_user;

int kernel_execve(const char *filename)
{
	if (strcmp(filename, "/init"))
		return -ENOENT;
	struct mm_struct *mm = &init_mm_user;
	int err = arch_mm_init(mm);
	if (err)
		return err;
	struct linux_binprm bprm = {
		.filename = filename,
		.image = __initramfs_init_start,
		.size = (size_t)(__initramfs_init_end - __initramfs_init_start),
	};
	err = load_elf_binary(&bprm, mm);
	if (err)
		return err;

	current->mm = mm;
	arch_switch_mm(mm);
	struct pt_regs *regs = task_pt_regs_at((char *)current->stack + THREAD_SIZE);
	start_thread(regs, bprm.entry, bprm.sp);
	kdsim_stage(STAGE_INIT_START, bprm.entry, bprm.sp);
	ret_to_user(regs);
}
