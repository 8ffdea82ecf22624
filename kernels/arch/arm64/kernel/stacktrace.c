// SPDX-License-Identifier: MIT
/*
 * Frame-pointer backtrace (mirrors dump_backtrace() in arch/arm64/kernel/stacktrace.c).
 * The kernel is built with -fno-omit-frame-pointer; frame records are {x29, x30} pairs and
 * entry.S links exception frames through pt_regs->stackframe.
 */
#include <kernel/arch.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <asm/memory.h>
#include <asm/ptrace.h>

#define MAX_FRAMES 32

extern char init_stack[], init_stack_top[];

/* A frame pointer must be 16-byte aligned and inside a known kernel stack. */
static bool on_kernel_stack(unsigned long fp)
{
	if (fp & 0xf)
		return false;
	if (fp >= (unsigned long)init_stack && fp + 16 <= (unsigned long)init_stack_top)
		return true;
	unsigned long base = (unsigned long)current->stack;
	return base && fp >= base && fp + 16 <= base + THREAD_SIZE;
}

void show_stack(struct pt_regs *regs)
{
	unsigned long fp, pc;
	if (regs) {
		if (user_mode(regs))
			return;
		fp = regs->regs[29];
		pc = regs->pc;
	} else {
		fp = (unsigned long)__builtin_frame_address(0);
		pc = (unsigned long)&show_stack;
	}
	printk("Call trace:\n");
	for (int n = 0; n < MAX_FRAMES; n++) {
		printk(" %pS\n", (void *)pc);
		if (!fp || !on_kernel_stack(fp))
			break;
		const unsigned long *frame = (const unsigned long *)fp;
		fp = frame[0];
		pc = frame[1];
		if (!pc)
			break;
	}
}
