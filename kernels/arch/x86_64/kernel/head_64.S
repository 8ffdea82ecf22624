/* SPDX-License-Identifier: MIT */
/*
 * x86_64 kernel entry (mirrors arch/x86/kernel/head_64.S startup_64 + __startup_64() in
 * head64.c, reduced).
 *
 * Entered through the 64-bit boot protocol (docs/boot.md): long mode, paging on with the
 * loader's identity tables, CS = __BOOT_CS 0x10, DS/ES/SS = 0x18, interrupts off,
 * %rsi = boot_params PA, at the PHYSICAL address the image was loaded to: any 2 MiB-aligned
 * base (the kdump capture kernel is this same image loaded into the crashkernel= region).
 * Until the jump to the high mapping only RIP-relative addressing is used; the image is
 * linked at KIMAGE_VADDR and mapped there to wherever it is, so it needs no relocation.
 *
 * Page tables built here (all in .pgdir, NOBITS after .bss, cleared before use):
 *   init_top_pgt      PML4 of the kernel: [511] -> level3_kernel_pgt -> level2_kernel_pgt
 *                     (KIMAGE_VADDR -> load PA, 2 MiB pages), [273 + n] -> page n of
 *                     level3_direct_pgt (PAGE_OFFSET + PA -> PA for PA in
 *                     [0, max(4 GiB, end of e820 RAM)), 1 GiB pages: Linux's direct map
 *                     uses gbpages when the CPU has them, see phys_pud_init() in
 *                     arch/x86/mm/init_64.c). One descriptor per GiB: a 1 TiB machine costs
 *                     1 KiB of stores, not 4 MiB of page directories.
 *   early_top_pgt     the same plus [n] -> page n of level3_direct_pgt: the identity map of
 *                     the same range, live during the switch.
 *
 * Register use until x86_64_start_kernel: r15 = boot_params PA, rbp = physical load address,
 * r14 = direct map size in GiB.
 */
#include <asm/board.h>
#include <asm/memory.h>
#include <asm/pgtable_types.h>
#include <asm/segment.h>
#include <kdsim/devices.h>
#include <kdsim/stage.h>

#define PGD_INDEX(va) (((va) >> PGDIR_SHIFT) & 511)
#define PUD_INDEX(va) (((va) >> PUD_SHIFT) & 511)
#define PMD_INDEX(va) (((va) >> PMD_SHIFT) & 511)

	.section ".head.text", "ax"
	.code64
	.globl	startup_64
	.type	startup_64, @function
startup_64:
	cli
	cld
	movq	%rsi, %r15			/* boot_params (the zero page) */
	leaq	_text(%rip), %rbp		/* where we really are: the physical load address */
	testl	$(MIN_KERNEL_ALIGN - 1), %ebp
	jnz	early_halt			/* the image must sit on a 2 MiB boundary */

	/*
	 * Stage KERNEL_ENTRY through the loader's identity map: probe MAGIC and DEVICE_ID first
	 * (on QEMU there is no kdsim slot).
	 */
	movl	$KDSIM_STAGE_PHYS, %edi
	cmpl	$KDSIM_MAGIC, KDSIM_REG_MAGIC(%rdi)
	jne	1f
	cmpl	$KDSIM_DEVICE_ID_STAGE, KDSIM_REG_DEVICE_ID(%rdi)
	jne	1f
	movq	%r15, %rax
	movl	%eax, KDSIM_STAGE_ARG0_LO(%rdi)	/* ARG0: boot_params PA */
	shrq	$32, %rax
	movl	%eax, KDSIM_STAGE_ARG0_HI(%rdi)
	movq	%rbp, %rax
	movl	%eax, KDSIM_STAGE_ARG1_LO(%rdi)	/* ARG1: physical load address */
	shrq	$32, %rax
	movl	%eax, KDSIM_STAGE_ARG1_HI(%rdi)
	movl	$KDSIM_STAGE_KERNEL_ENTRY, KDSIM_STAGE_REG(%rdi)
1:
	/* The direct map covers max(4 GiB, end of the highest e820 RAM entry), in GiB. */
	movabsq	$DIRECT_MAP_MIN_SIZE, %r14
	testq	%r15, %r15
	jz	3f
	movzbl	0x1e8(%r15), %ecx		/* boot_params.e820_entries */
	leaq	0x2d0(%r15), %rsi		/* boot_params.e820_table[] (20-byte entries) */
2:	testl	%ecx, %ecx
	jz	3f
	cmpl	$1, 16(%rsi)			/* E820_TYPE_RAM */
	jne	4f
	movq	(%rsi), %rax
	addq	8(%rsi), %rax
	cmpq	%r14, %rax
	jbe	4f
	movq	%rax, %r14
4:	addq	$20, %rsi
	decl	%ecx
	jmp	2b
3:	addq	$(PUD_SIZE - 1), %r14
	shrq	$PUD_SHIFT, %r14
	/*
	 * Nothing at or above the CPU's MAXPHYADDR can be mapped: its bits are reserved in a PTE
	 * (#PF with RSVD). Mirrors get_cpu_address_sizes() in arch/x86/kernel/cpu/common.c
	 * (CPUID 0x80000008 EAX[7:0], 36 without that leaf). Unicorn 2.0.1's CPU reports 40 bits
	 * (QEMU's TCG_PHYS_ADDR_BITS), so on a 1 TiB PC the RAM above 1 TiB stays unused.
	 */
	movl	$0x80000000, %eax
	cpuid
	movl	$36, %ecx
	cmpl	$0x80000008, %eax
	jb	10f
	movl	$0x80000008, %eax
	cpuid
	movzbl	%al, %ecx
10:	movb	%cl, x86_phys_bits(%rip)
	subl	$PUD_SHIFT, %ecx
	movl	$1, %eax
	shlq	%cl, %rax			/* MAXPHYADDR in GiB */
	cmpq	%rax, %r14
	jbe	11f
	movq	%rax, %r14
11:	cmpq	$DIRECT_MAP_MAX_GB, %r14
	jbe	5f
	movq	$DIRECT_MAP_MAX_GB, %r14
5:
	/* Clear the fixed tables (early/init PML4, kernel PUD and PMD, the direct-map PUDs). */
	leaq	early_top_pgt(%rip), %rdi
	movl	$((4 + DIRECT_MAP_PUD_PAGES) * 512), %ecx
	xorl	%eax, %eax
	rep stosq

	/* level3_direct_pgt[g] = g GiB | large page, for g < r14. */
	leaq	level3_direct_pgt(%rip), %rdi
	movq	%r14, %rcx
	movl	$__PAGE_KERNEL_LARGE_EXEC, %eax
6:	movq	%rax, (%rdi)
	addq	$8, %rdi
	addq	$PUD_SIZE, %rax
	decq	%rcx
	jnz	6b

	/* level2_kernel_pgt: KIMAGE_VADDR + n * 2 MiB -> load PA + n * 2 MiB over the image. */
	leaq	_end(%rip), %rcx
	subq	%rbp, %rcx
	addq	$(PMD_SIZE - 1), %rcx
	shrq	$PMD_SHIFT, %rcx
	leaq	(level2_kernel_pgt + 8 * PMD_INDEX(KIMAGE_VADDR))(%rip), %rdi
	leaq	__PAGE_KERNEL_LARGE_EXEC(%rbp), %rax
8:	movq	%rax, (%rdi)
	addq	$8, %rdi
	addq	$PMD_SIZE, %rax
	decq	%rcx
	jnz	8b
	leaq	(level2_kernel_pgt + _KERNPG_TABLE)(%rip), %rax
	movq	%rax, (level3_kernel_pgt + 8 * PUD_INDEX(KIMAGE_VADDR))(%rip)

	/* The PML4s. */
	leaq	(level3_kernel_pgt + _KERNPG_TABLE)(%rip), %rax
	movq	%rax, (init_top_pgt + 8 * PGD_INDEX(KIMAGE_VADDR))(%rip)
	movq	%rax, (early_top_pgt + 8 * PGD_INDEX(KIMAGE_VADDR))(%rip)
	/* Every direct-map PUD page, mapped or not yet (x86_direct_map_extend fills them). */
	leaq	(level3_direct_pgt + _KERNPG_TABLE)(%rip), %rax
	leaq	init_top_pgt(%rip), %rsi
	leaq	early_top_pgt(%rip), %rdi
	xorl	%edx, %edx
7:	movq	%rax, (8 * PGD_INDEX(PAGE_OFFSET))(%rsi, %rdx, 8)
	movq	%rax, (8 * PGD_INDEX(PAGE_OFFSET))(%rdi, %rdx, 8)
	movq	%rax, (%rdi, %rdx, 8)		/* [n]: identity */
	addq	$4096, %rax
	incq	%rdx
	cmpq	$DIRECT_MAP_PUD_PAGES, %rdx
	jb	7b

	leaq	early_top_pgt(%rip), %rax
	movq	%rax, %cr3
	movabsq	$startup_64_high, %rax		/* absolute: the KIMAGE_VADDR alias */
	jmp	*%rax
	.size	startup_64, . - startup_64

	.type	early_halt, @function
early_halt:
	/* Nothing can be printed yet; the host's stage record shows where we stopped. */
	hlt
	jmp	early_halt
	.size	early_halt, . - early_halt

	.text
/* Now at KIMAGE_VADDR, still on early_top_pgt. Mirrors secondary_startup_64's tail. */
	.type	startup_64_high, @function
startup_64_high:
	leaq	init_stack_top(%rip), %rsp
	lgdt	early_gdt_descr(%rip)
	load_kernel_data_segments
	pushq	$__KERNEL_CS
	leaq	1f(%rip), %rax
	pushq	%rax
	lretq
1:
	/* Clear .bss (16-byte multiple, see kernel.lds). */
	leaq	__bss_start(%rip), %rdi
	leaq	__bss_stop(%rip), %rcx
	subq	%rdi, %rcx
	shrq	$3, %rcx
	xorl	%eax, %eax
	rep stosq

	shlq	$PUD_SHIFT, %r14
	movq	%r14, direct_map_size(%rip)
	movq	%r15, %rdi			/* boot_params PA */
	movq	%rbp, %rsi			/* physical load address */
	xorl	%ebp, %ebp			/* terminate the frame-pointer chain */
	pushq	$0				/* fake return address: keeps the ABI alignment */
	jmp	x86_64_start_kernel
	.size	startup_64_high, . - startup_64_high

	.section ".rodata", "a"
	.balign	16
early_gdt_descr:
	.word	GDT_ENTRIES * 8 - 1
	.quad	gdt_page

	.data
	.balign	8
	.globl	direct_map_size
direct_map_size:
	.quad	0
	.globl	x86_phys_bits
x86_phys_bits:					/* Linux's boot_cpu_data.x86_phys_bits */
	.byte	0

/*
 * Memory the loader does not have to provide (NOBITS after .bss, outside __bss_start..stop):
 * the page tables (cleared or fully written above) and the boot stack.
 */
	.section ".pgdir", "aw", @nobits
	.balign	4096
	.globl	early_top_pgt
early_top_pgt:
	.space	4096
	.globl	init_top_pgt
init_top_pgt:
	.space	4096
/* Linux: #define swapper_pg_dir init_top_pgt (VMCOREINFO SYMBOL(swapper_pg_dir)). */
	.globl	swapper_pg_dir
	.set	swapper_pg_dir, init_top_pgt
	.globl	level3_kernel_pgt
level3_kernel_pgt:
	.space	4096
	.globl	level2_kernel_pgt
level2_kernel_pgt:
	.space	4096
	.globl	level3_direct_pgt
level3_direct_pgt:
	.space	DIRECT_MAP_PUD_PAGES * 4096

	.section ".init.stack", "aw", @nobits
	.balign	16
	.globl	init_stack
init_stack:
	.space	0x4000
	.globl	init_stack_top
init_stack_top:
