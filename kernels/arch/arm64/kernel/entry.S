/* SPDX-License-Identifier: MIT */
/*
 * Exception vectors and the pt_regs save/restore (mirrors arch/arm64/kernel/entry.S).
 * Every entry saves a full struct pt_regs (x0-x30, sp, pc, pstate, orig_x0, syscallno and a
 * frame record) on the current SP_EL1 stack and passes it to a C handler in traps.c.
 */
#include <asm/assembler.h>
#include <asm/asm-offsets.h>

	.macro	kernel_entry, el
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	.if	\el == 0
	mrs	x21, sp_el0
	.else
	add	x21, sp, #PT_REGS_SIZE
	.endif
	mrs	x22, elr_el1
	mrs	x23, spsr_el1
	stp	lr, x21, [sp, #S_LR]
	stp	x22, x23, [sp, #S_PC]
	/* Frame record: user frames end the chain, kernel frames link to the interrupted one. */
	.if	\el == 0
	stp	xzr, xzr, [sp, #S_STACKFRAME]
	.else
	stp	x29, x22, [sp, #S_STACKFRAME]
	.endif
	add	x29, sp, #S_STACKFRAME
	mov	x0, #-1				// NO_SYSCALL until el0_svc says otherwise
	str	w0, [sp, #S_SYSCALLNO]
	.endm

	.macro	kernel_exit, el
	ldp	x21, x22, [sp, #S_PC]		// ELR, SPSR
	.if	\el == 0
	ldr	x23, [sp, #S_SP]
	msr	sp_el0, x23
	.endif
	msr	elr_el1, x21
	msr	spsr_el1, x22
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldr	lr, [sp, #S_LR]
	add	sp, sp, #PT_REGS_SIZE
	eret
	.endm

/* One 128-byte vector slot: make room for pt_regs and branch to the full handler. */
	.macro	kernel_ventry, el:req, ht:req, regsize:req, label:req
	.balign	128
	sub	sp, sp, #PT_REGS_SIZE
	b	el\el\ht\()_\regsize\()_\label
	.endm

/* A full handler el<el><ht>_<regsize>_<label>: save, call the C handler of the same name
 * with "_handler" appended (traps.c) passing regs, restore, eret. */
	.macro	entry_handler, el:req, ht:req, regsize:req, label:req
	.type	el\el\ht\()_\regsize\()_\label, %function
el\el\ht\()_\regsize\()_\label:
	kernel_entry \el
	mov	x0, sp
	bl	el\el\ht\()_\regsize\()_\label\()_handler
	.if	\el == 0
	b	ret_to_user_restore
	.else
	b	ret_to_kernel
	.endif
	.endm

	.text
	.balign	2048
ENTRY(vectors)
	kernel_ventry	1, t, 64, sync		// Synchronous EL1t
	kernel_ventry	1, t, 64, irq		// IRQ EL1t
	kernel_ventry	1, t, 64, fiq		// FIQ EL1t
	kernel_ventry	1, t, 64, error		// Error EL1t

	kernel_ventry	1, h, 64, sync		// Synchronous EL1h
	kernel_ventry	1, h, 64, irq		// IRQ EL1h
	kernel_ventry	1, h, 64, fiq		// FIQ EL1h
	kernel_ventry	1, h, 64, error		// Error EL1h

	kernel_ventry	0, t, 64, sync		// Synchronous 64-bit EL0
	kernel_ventry	0, t, 64, irq		// IRQ 64-bit EL0
	kernel_ventry	0, t, 64, fiq		// FIQ 64-bit EL0
	kernel_ventry	0, t, 64, error		// Error 64-bit EL0

	kernel_ventry	0, t, 32, sync		// Synchronous 32-bit EL0
	kernel_ventry	0, t, 32, irq		// IRQ 32-bit EL0
	kernel_ventry	0, t, 32, fiq		// FIQ 32-bit EL0
	kernel_ventry	0, t, 32, error		// Error 32-bit EL0
END(vectors)

	/* EL1 with SP_EL0 (EL1t) is never used: any of these is a bug. */
	entry_handler	1, t, 64, sync
	entry_handler	1, t, 64, irq
	entry_handler	1, t, 64, fiq
	entry_handler	1, t, 64, error

	entry_handler	1, h, 64, sync
	entry_handler	1, h, 64, irq
	entry_handler	1, h, 64, fiq
	entry_handler	1, h, 64, error

	entry_handler	0, t, 64, sync
	entry_handler	0, t, 64, irq
	entry_handler	0, t, 64, fiq
	entry_handler	0, t, 64, error

	entry_handler	0, t, 32, sync
	entry_handler	0, t, 32, irq
	entry_handler	0, t, 32, fiq
	entry_handler	0, t, 32, error

ret_to_kernel:
	kernel_exit 1

ret_to_user_restore:
	kernel_exit 0

/* void ret_to_user(struct pt_regs *regs): regs sits at the top of the kernel stack. */
ENTRY(ret_to_user)
	mov	sp, x0
	b	ret_to_user_restore
END(ret_to_user)
