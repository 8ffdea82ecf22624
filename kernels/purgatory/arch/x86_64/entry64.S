/* SPDX-License-Identifier: MIT */
/*
 * entry64 (kexec-tools purgatory/arch/x86_64/entry64.S behaviour): reload the GDT and the
 * segments, then load all 16 GPRs from entry64_regs (rsp included) and jump to its rip.
 */
	.text
	.code64
	.globl	entry64
	.type	entry64, @function
entry64:
	lgdt	purgatory_gdt_desc(%rip)
	movw	$0x18, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	%ax, %fs
	movw	%ax, %gs
	leaq	1f(%rip), %rax
	pushq	$0x10
	pushq	%rax
	lretq
1:
	movq	entry64_regs + 0x08(%rip), %rbx
	movq	entry64_regs + 0x10(%rip), %rcx
	movq	entry64_regs + 0x18(%rip), %rdx
	movq	entry64_regs + 0x20(%rip), %rsi
	movq	entry64_regs + 0x28(%rip), %rdi
	movq	entry64_regs + 0x30(%rip), %rsp
	movq	entry64_regs + 0x38(%rip), %rbp
	movq	entry64_regs + 0x40(%rip), %r8
	movq	entry64_regs + 0x48(%rip), %r9
	movq	entry64_regs + 0x50(%rip), %r10
	movq	entry64_regs + 0x58(%rip), %r11
	movq	entry64_regs + 0x60(%rip), %r12
	movq	entry64_regs + 0x68(%rip), %r13
	movq	entry64_regs + 0x70(%rip), %r14
	movq	entry64_regs + 0x78(%rip), %r15
	movq	entry64_regs + 0x00(%rip), %rax
	jmpq	*entry64_regs + 0x80(%rip)
	.size	entry64, . - entry64

	/* Default rip: a loader that never sets entry64_regs gets a halt loop, not address 0. */
	.globl	purgatory_halt
	.hidden	purgatory_halt
purgatory_halt:
	hlt
	jmp	purgatory_halt

	.data
	.balign	16
	/* rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp, r8..r15, rip: 17 little-endian u64, 136 bytes. */
	.globl	entry64_regs
	.type	entry64_regs, @object
	.size	entry64_regs, 136
entry64_regs:
	.fill	16, 8, 0
	.quad	purgatory_halt		/* R_X86_64_64 */
