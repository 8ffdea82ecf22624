/* SPDX-License-Identifier: MIT */
/*
 * Exception, interrupt and system-call entry (mirrors arch/x86/entry/entry_64.S and
 * arch/x86/include/asm/idtentry.h, reduced): every entry builds a full struct pt_regs on the
 * kernel stack and calls a C handler; the return is iretq (or sysretq for a plain syscall).
 *
 * Stacks: ring-3 entries land on TSS.sp0 (exceptions, interrupts; the CPU switches) or on
 * %gs:PCPU_top_of_stack (syscall; the code switches), which update_task_stack() keeps equal to
 * the top of the current task's kernel stack, so the frame ends exactly at task_pt_regs().
 * %gs: the kernel's GS base is the per-CPU block; swapgs on every ring change.
 */
#include <asm/asm-offsets.h>
#include <asm/segment.h>

/* Save the general registers below orig_ax (pt_regs order: di highest, r15 lowest). */
	.macro	PUSH_REGS_AFTER_DI
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	pushq	%rax
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	.endm

	.macro	POP_REGS
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rax
	popq	%rcx
	popq	%rdx
	popq	%rsi
	popq	%rdi
	.endm

	.text
/*
 * The 256 IDT stubs, IDT_STUB_SIZE (16) bytes apart (Linux: irq_entries_start and the
 * idtentry stubs). Vectors the CPU gives an error code for (8, 10-14, 17) leave it in the
 * orig_ax slot; the others push -1 there. Then the vector number, and the common code.
 */
	.balign	16
	.globl	asm_idt_stubs
	.type	asm_idt_stubs, @function
asm_idt_stubs:
	vector = 0
	.rept	256
	.balign	16
	.if	!(vector == 8 || (vector >= 10 && vector <= 14) || vector == 17)
	pushq	$-1
	.endif
	.if	vector < 128
	.byte	0x6a, vector			/* pushq $vector (imm8) */
	.else
	pushq	$vector
	.endif
	jmp	idt_common
	vector = vector + 1
	.endr
	.size	asm_idt_stubs, . - asm_idt_stubs

/*
 * Stack: vector, orig_ax, ip, cs, flags, sp, ss. The vector slot becomes pt_regs->di.
 */
	.type	idt_common, @function
idt_common:
	xchgq	%rdi, (%rsp)			/* rdi = vector, slot = the interrupted rdi */
	PUSH_REGS_AFTER_DI
	movq	%rdi, %rsi			/* do_idt(regs, vector) */
	movq	%rsp, %rdi
	testb	$3, CS(%rsp)
	jz	1f
	swapgs					/* from user mode: kernel GS base */
	xorl	%ebp, %ebp			/* the frame chain ends at the user boundary */
1:	call	do_idt
	testb	$3, CS(%rsp)
	jnz	swapgs_restore_regs_and_return_to_usermode
	POP_REGS
	addq	$8, %rsp			/* orig_ax */
	iretq
	.size	idt_common, . - idt_common

/*
 * syscall: rcx = user rip, r11 = user rflags, rflags &= ~FMASK, CPL 0, RSP still the user's.
 * Mirrors entry_SYSCALL_64: build the iret frame by hand, then the general registers.
 */
	.balign	16
	.globl	entry_SYSCALL_64
	.type	entry_SYSCALL_64, @function
entry_SYSCALL_64:
	swapgs
	movq	%rsp, %gs:PCPU_user_rsp
	movq	%gs:PCPU_top_of_stack, %rsp
	pushq	$__USER_DS			/* pt_regs->ss */
	pushq	%gs:PCPU_user_rsp		/* pt_regs->sp */
	pushq	%r11				/* pt_regs->flags */
	pushq	$__USER_CS			/* pt_regs->cs */
	pushq	%rcx				/* pt_regs->ip */
	.globl	entry_SYSCALL_64_after_hwframe
entry_SYSCALL_64_after_hwframe:
	pushq	%rax				/* pt_regs->orig_ax: the syscall number */
	pushq	%rdi
	PUSH_REGS_AFTER_DI
	xorl	%ebp, %ebp
	movq	%rsp, %rdi
	call	do_syscall_64			/* returns true when sysret may be used */
	testb	%al, %al
	jz	swapgs_restore_regs_and_return_to_usermode
	/* rcx == ip and r11 == flags (checked by do_syscall_64): sysretq restores them. */
	POP_REGS
	movq	RSP - ORIG_RAX(%rsp), %rsp	/* the user stack */
	swapgs
	sysretq
	.size	entry_SYSCALL_64, . - entry_SYSCALL_64

/* Restore pt_regs at %rsp and iretq to ring 3. */
	.globl	swapgs_restore_regs_and_return_to_usermode
	.type	swapgs_restore_regs_and_return_to_usermode, @function
swapgs_restore_regs_and_return_to_usermode:
	POP_REGS
	addq	$8, %rsp			/* orig_ax */
	swapgs
	iretq
	.size	swapgs_restore_regs_and_return_to_usermode, . - swapgs_restore_regs_and_return_to_usermode

/* void asm_ret_to_user(struct pt_regs *regs): regs sits at the top of the kernel stack. */
	.globl	asm_ret_to_user
	.type	asm_ret_to_user, @function
asm_ret_to_user:
	movq	%rdi, %rsp
	jmp	swapgs_restore_regs_and_return_to_usermode
	.size	asm_ret_to_user, . - asm_ret_to_user
