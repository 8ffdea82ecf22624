/* SPDX-License-Identifier: MIT */
/*
 * relocate_kernel.S - put the kernel image in place to boot (mirrors
 * arch/x86/kernel/relocate_kernel_64.S, ~6.15, without CONFIG_KEXEC_JUMP).
 *
 * machine_kexec_prepare() copies relocate_kernel .. .Lreloc_end into the image's control page;
 * machine_kexec() calls that copy at the control page's direct-map VA (init_pgtable() mapped it
 * there in the identity page table too: the transition mapping) as
 *
 *   relocate_kernel(%rdi indirection_page = image->head, %rsi pa_control_page,
 *                   %rdx start_address = image->start, %rcx pa_table_page,
 *                   %r8 preserve_context (always 0), %r9 kdsim stage port PA or 0)
 *
 * Position independent: it addresses nothing outside the copy. Steps (linux-kexec.md 5.2):
 * zero IDTR and GDTR, RFLAGS = 0; CR3 = the identity table; clear CR4.PGE; stack = top of the
 * control page; jump to the identity-mapped copy of identity_mapped; [kdsim: stage
 * IDENTITY_CR3 (0x13) through the identity-mapped stage port, ARG0 = start, ARG1 = CR3]; push 0
 * (no kexec-jump return address: the purgatory reads it) and the start address; CR0: clear AM,
 * WP, TS, EM, set PG, PE; CR4 = old & (PAE | LA57); reload CR3; swap_pages (a crash image has
 * head == IND_DONE: nothing to copy); reload CR3 (serialize); zero every GPR but %rsp; ret to
 * the start address (kexec_load: the purgatory's purgatory_start).
 */
#include <asm/processor-flags.h>
#include <kdsim/devices.h>
#include <kdsim/stage.h>

#define PAGE_SIZE 4096
#define X86_CR0_EM 0x00000004
#define X86_CR0_TS 0x00000008
#define X86_CR0_AM 0x00040000
#define X86_CR4_LA57 0x00001000

	.text
	.balign	16
	.globl	relocate_kernel
	.type	relocate_kernel, @function
relocate_kernel:
	/* Invalidate GDT/IDT, zero out flags */
	pushq	$0
	pushq	$0
	lidt	(%rsp)
	lgdt	(%rsp)
	addq	$8, %rsp
	popfq

	/* Switch to the identity mapped page tables */
	movq	%rcx, %cr3

	/* Leave CR4 in %r13 to enable the right paging mode later. */
	movq	%cr4, %r13

	/* Disable global pages immediately to ensure this mapping is RWX */
	movq	%r13, %r12
	andq	$~(X86_CR4_PGE), %r12
	movq	%r12, %cr4

	/* setup a new stack at the end of the physical control page */
	leaq	PAGE_SIZE(%rsi), %rsp

	/* jump to identity mapped page */
	leaq	(identity_mapped - relocate_kernel)(%rsi), %rax
	jmp	*%rax
	.size	relocate_kernel, . - relocate_kernel

	.type	identity_mapped, @function
identity_mapped:
	/*
	 * kdsim: the IDENTITY_CR3 stage (docs/devices.md 0x13), written through the identity
	 * mapping of the stage port (the caller probed it; %r9 = 0 on QEMU).
	 */
	testq	%r9, %r9
	jz	1f
	movl	%edx, KDSIM_STAGE_ARG0_LO(%r9)	/* ARG0: start */
	movq	%rdx, %rax
	shrq	$32, %rax
	movl	%eax, KDSIM_STAGE_ARG0_HI(%r9)
	movq	%cr3, %rax			/* ARG1: CR3 (the identity table) */
	movl	%eax, KDSIM_STAGE_ARG1_LO(%r9)
	shrq	$32, %rax
	movl	%eax, KDSIM_STAGE_ARG1_HI(%r9)
	movl	$KDSIM_STAGE_MMU_OFF, KDSIM_STAGE_REG(%r9)
1:
	/* set return address to 0 if not preserving context */
	pushq	$0
	/* store the start address on the stack */
	pushq	%rdx

	/*
	 * Set cr0 to a known state:
	 *  - Paging enabled
	 *  - Alignment check disabled
	 *  - Write protect disabled
	 *  - No task switch
	 *  - Don't do FP software emulation.
	 *  - Protected mode enabled
	 */
	movq	%cr0, %rax
	andq	$~(X86_CR0_AM | X86_CR0_WP | X86_CR0_TS | X86_CR0_EM), %rax
	orl	$(X86_CR0_PG | X86_CR0_PE), %eax
	movq	%rax, %cr0

	/*
	 * Set cr4 to a known state:
	 *  - physical address extension enabled
	 *  - 5-level paging, if it was enabled before
	 */
	andl	$(X86_CR4_PAE | X86_CR4_LA57), %r13d
	movq	%r13, %cr4

	/* Flush the TLB (needed?) */
	movq	%cr3, %rax
	movq	%rax, %cr3

	/* Do the copies */
	call	swap_pages

	/*
	 * To be certain of avoiding problems with self-modifying code I need to execute a
	 * serializing instruction here. So I flush the TLB by reloading %cr3 here, it's
	 * handy, and not processor dependent.
	 */
	movq	%cr3, %rax
	movq	%rax, %cr3

	/*
	 * set all of the registers to known values
	 * leave %rsp alone
	 */
	xorl	%eax, %eax
	xorl	%ebx, %ebx
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	xorl	%esi, %esi
	xorl	%edi, %edi
	xorl	%ebp, %ebp
	xorl	%r8d, %r8d
	xorl	%r9d, %r9d
	xorl	%r10d, %r10d
	xorl	%r11d, %r11d
	xorl	%r12d, %r12d
	xorl	%r13d, %r13d
	xorl	%r14d, %r14d
	xorl	%r15d, %r15d

	ret					/* to the start address; 0(%rsp) is the 0 above */
	.size	identity_mapped, . - identity_mapped

/*
 * Walk the IND_* list from %rdi (the head) and copy every source page to the current
 * destination (the ~6.15 non-preserve-context path: a plain copy, no swap page).
 */
	.type	swap_pages, @function
swap_pages:
	movq	%rdi, %rcx			/* Put the indirection_page in %rcx */
	xorl	%edi, %edi
	xorl	%esi, %esi
	jmp	.Lstart
.Lloop:
	/* top, read another word for the indirection page */
	movq	(%rbx), %rcx
	addq	$8, %rbx
.Lstart:
	testb	$0x1, %cl			/* is it a destination page? */
	jz	.Lnotdest
	movq	%rcx, %rdi
	andq	$-PAGE_SIZE, %rdi
	jmp	.Lloop
.Lnotdest:
	testb	$0x2, %cl			/* is it an indirection page? */
	jz	.Lnotind
	movq	%rcx, %rbx
	andq	$-PAGE_SIZE, %rbx
	jmp	.Lloop
.Lnotind:
	testb	$0x4, %cl			/* is it the done indicator? */
	jnz	.Ldone
	testb	$0x8, %cl			/* is it the source indicator? */
	jz	.Lloop				/* Ignore it otherwise */
	movq	%rcx, %rsi			/* For ever source page do a copy */
	andq	$-PAGE_SIZE, %rsi
	movl	$512, %ecx
	rep	movsq				/* %rdi advances to the next destination page */
	jmp	.Lloop
.Ldone:
	ret
	.size	swap_pages, . - swap_pages
.Lreloc_end:

	.section ".rodata", "a"
	.balign	8
	.globl	relocate_kernel_size
relocate_kernel_size:
	.quad	.Lreloc_end - relocate_kernel
