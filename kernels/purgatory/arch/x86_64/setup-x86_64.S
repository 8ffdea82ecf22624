/* SPDX-License-Identifier: MIT */
/*
 * x86_64 purgatory entry (kexec-tools purgatory/arch/x86_64/setup-x86_64.S behaviour): entered
 * from relocate_kernel in 64-bit mode with an identity map. Saves the kexec-jump return address
 * the kernel left at 0(%rsp) (0 for a normal kexec), loads its own GDT (0x10 code, 0x18 data),
 * switches to its own stack, calls purgatory() and jumps to entry64.
 *
 * One kdsim addition: SSE is on while purgatory() runs (its SHA-256 keeps the message schedule
 * in SSE2 registers, kernels/purgatory/sha256.c), and the next kernel gets CR4 back as
 * relocate_kernel left it. relocate_kernel has already cleared CR0.EM and CR0.TS.
 */
#define X86_CR4_OSFXSR		0x200
#define X86_CR4_OSXMMEXCPT	0x400
	.text
	.code64
	.globl	purgatory_start
	.type	purgatory_start, @function
purgatory_start:
	movq	0(%rsp), %rax
	movq	%rax, jump_back_entry(%rip)
	leaq	lstack_end(%rip), %rsp
	lgdt	purgatory_gdt_desc(%rip)
	movw	$0x18, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	%ax, %fs
	movw	%ax, %gs
	/* Reload CS with a far return: push the selector, then the target. */
	leaq	1f(%rip), %rax
	pushq	$0x10
	pushq	%rax
	lretq
1:
	movq	%cr4, %r12			/* callee-saved: still there after the call */
	movq	%r12, %rax
	orq	$(X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT), %rax
	movq	%rax, %cr4
	call	purgatory
	movq	%r12, %cr4
	jmp	entry64
	.size	purgatory_start, . - purgatory_start

	.data
	/* Flat 4 GiB descriptors as the 64-bit boot protocol wants (Documentation/arch/x86/boot.rst). */
	.balign	16
purgatory_gdt:
	.quad	0
	.quad	0
	.quad	0x00af9a000000ffff	/* 0x10: 64-bit code, DPL 0 */
	.quad	0x00cf92000000ffff	/* 0x18: data, DPL 0 */
purgatory_gdt_end:
	.balign	8
	.word	0, 0, 0			/* so that the base below is 8-byte aligned */
	.globl	purgatory_gdt_desc
	.hidden	purgatory_gdt_desc
purgatory_gdt_desc:
	.word	purgatory_gdt_end - purgatory_gdt - 1
	.quad	purgatory_gdt		/* R_X86_64_64: the relocated physical address */

	/* The stack handed to the next kernel: the loader puts &stack_end into entry64_regs.rsp. */
	.balign	16
	.globl	stack
	.hidden	stack
stack:
	.skip	4096
	.globl	stack_end
stack_end:

	/* purgatory's own C stack, page aligned so that its stores never share a page with code
	 * (a store to a page of translated code makes QEMU/Unicorn retranslate it). */
	.bss
	.balign	4096
lstack:
	.skip	4096
lstack_end:
