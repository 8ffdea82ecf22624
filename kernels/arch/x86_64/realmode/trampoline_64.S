/* SPDX-License-Identifier: MIT */
/*
 * The AP trampoline (mirrors arch/x86/realmode/rm/trampoline_64.S and the tail of
 * secondary_startup_64 in arch/x86/kernel/head_64.S, reduced). The bytes between
 * trampoline_start and trampoline_end are copied to a page below 1 MiB (smpboot.c); an AP
 * woken by INIT + STARTUP starts there in real mode at CS:IP = (page >> 4):0, switches to
 * protected mode, turns on PAE paging with trampoline_pgd and long mode, and jumps to
 * secondary_startup_64 in the kernel mapping. The tr_* fields are filled in by the boot CPU
 * (Linux: the real_mode_header and trampoline_header, relocated by setup_real_mode()).
 */
#include <asm/segment.h>

#define X86_CR0_PE 0x00000001
#define CR0_STATE 0x80050033 /* PG | AM | WP | NE | ET | MP | PE (Linux's CR0_STATE) */
#define X86_CR4_PAE 0x00000020
#define MSR_EFER 0xc0000080
#define EFER_LME 0x00000100
#define TR_CODE32 0x08
#define TR_CODE64 0x10
#define TR_DATA 0x18

	.section ".rodata", "a"
	.balign	16
	.globl	trampoline_start
	.code16
trampoline_start:
	cli
	movw	%cs, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	xorl	%esi, %esi			/* esi = the trampoline's physical base, kept to the end */
	movw	%ax, %si
	shll	$4, %esi
	lidtl	(tr_idt - trampoline_start)	/* an empty IDT: nothing may interrupt the switch */
	lgdtl	(tr_gdt_descr - trampoline_start)
	movl	$X86_CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	*(tr_startup_32 - trampoline_start)

	.code32
	.globl	trampoline_startup_32
trampoline_startup_32:
	movl	$TR_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%cr4, %eax
	orl	$X86_CR4_PAE, %eax
	movl	%eax, %cr4
	movl	(tr_cr3 - trampoline_start)(%esi), %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	movl	$CR0_STATE, %eax
	movl	%eax, %cr0			/* long mode (compatibility) */
	ljmpl	*(tr_startup_64 - trampoline_start)(%esi)

	.code64
	.globl	trampoline_startup_64
trampoline_startup_64:
	movl	%esi, %esi
	movq	(tr_target - trampoline_start)(%rsi), %rax
	jmpq	*%rax				/* secondary_startup_64, through the kernel mapping */

	.balign	8
	.globl	tr_gdt
tr_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff		/* TR_CODE32: flat 32-bit code */
	.quad	0x00af9a000000ffff		/* TR_CODE64: 64-bit code */
	.quad	0x00cf92000000ffff		/* TR_DATA: flat data */
tr_idt:
	.word	0
	.long	0
	.globl	tr_gdt_descr
tr_gdt_descr:
	.word	tr_gdt_descr - tr_gdt - 1
	.long	0				/* base + tr_gdt */
	.globl	tr_startup_32
tr_startup_32:
	.long	0				/* base + trampoline_startup_32 */
	.word	TR_CODE32
	.globl	tr_startup_64
tr_startup_64:
	.long	0				/* base + trampoline_startup_64 */
	.word	TR_CODE64
	.balign	8
	.globl	tr_cr3
tr_cr3:
	.quad	0				/* trampoline_pgd (below 4 GiB) */
	.globl	tr_target
tr_target:
	.quad	0				/* secondary_startup_64 */
	.globl	trampoline_end
trampoline_end:

/*
 * secondary_startup_64: on the trampoline's page tables, in the kernel mapping. The kernel's
 * page tables, GDT and segments, this CPU's stack, then start_secondary(cpu).
 */
	.text
	.code64
	.globl	secondary_startup_64
	.type	secondary_startup_64, @function
secondary_startup_64:
	movq	smpboot_cr3(%rip), %rax
	movq	%rax, %cr3
	lgdt	smpboot_gdt_descr(%rip)
	load_kernel_data_segments
	movq	smpboot_stack(%rip), %rsp
	pushq	$__KERNEL_CS
	leaq	1f(%rip), %rax
	pushq	%rax
	lretq
1:	movq	smpboot_cpu(%rip), %rdi
	xorl	%ebp, %ebp			/* the frame chain ends here */
	pushq	$0				/* fake return address: keeps the ABI alignment */
	jmp	start_secondary
	.size	secondary_startup_64, . - secondary_startup_64
