// SPDX-License-Identifier: MIT
/*
 * Frame-pointer backtrace (mirrors show_trace_log_lvl() in arch/x86/kernel/dumpstack.c with
 * the frame-pointer unwinder of arch/x86/kernel/unwind_frame.c). The kernel is built with
 * -fno-omit-frame-pointer: each frame is {saved rbp, return address} at rbp. The entry code
 * zeroes rbp at ring-3 entries, so the chain ends there.
 */
#include <kernel/arch.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <asm/memory.h>
#include <asm/ptrace.h>
#include <asm/setup.h>

#define MAX_FRAMES 32

static bool on_kernel_stack(unsigned long fp)
{
	if (fp & 0x7)
		return false;
	if (fp >= (unsigned long)init_stack && fp + 16 <= (unsigned long)init_stack_top)
		return true;
	unsigned long base = (unsigned long)current->stack;
	return base && fp >= base && fp + 16 <= base + THREAD_SIZE;
}

void show_stack(struct pt_regs *regs)
{
	unsigned long fp;
	if (regs) {
		if (user_mode(regs))
			return;
		fp = regs->bp;
	} else {
		fp = (unsigned long)__builtin_frame_address(0);
		/* Linux starts at the caller of show_stack()/dump_stack(). */
	}
	printk("Call Trace:\n");
	printk(" <TASK>\n");
	for (int n = 0; n < MAX_FRAMES && fp && on_kernel_stack(fp); n++) {
		const unsigned long *frame = (const unsigned long *)fp;
		unsigned long ret = frame[1];
		if (!ret)
			break;
		printk(" %pS\n", (void *)ret);
		if (frame[0] <= fp)
			break; /* frames grow towards higher addresses */
		fp = frame[0];
	}
	/* Linux then prints the ring-3 frame of the task (show_iret_regs). */
	const struct pt_regs *user =
		current->stack ? task_pt_regs_at((char *)current->stack + THREAD_SIZE) : NULL;
	if (user && current->mm && user_mode(user)) {
		printk("RIP: %04lx:0x%lx\n", user->cs & 0xffff, user->ip);
		printk("RSP: %04lx:%016lx EFLAGS: %08lx\n", user->ss & 0xffff, user->sp,
		       user->flags);
	}
	printk(" </TASK>\n");
}
