/* SPDX-License-Identifier: MIT */
/*
 * arm64 kernel entry (mirrors arch/arm64/kernel/head.S).
 *
 * Entered at EL1h with the MMU and caches off, DAIF masked, x0 = DTB PA (0 on a QEMU ELF
 * boot), at the PHYSICAL address the image was loaded to: any 2 MiB-aligned base. Only
 * PC-relative code runs until the MMU is on; the image is linked at KIMAGE_VADDR and mapped
 * there to wherever it is, so it needs no relocation.
 *
 * Register use until start_kernel: x21 = x0 at entry (FDT PA), x22 = physical load address.
 */
#include <asm/assembler.h>
#include <asm/memory.h>
#include <asm/board.h>
#include <asm/pgtable-hwdef.h>
#include <asm/smp.h>
#include <kdsim/devices.h>
#include <kdsim/stage.h>

#define THREAD_SIZE 0x4000
#define NR_CPUS 8

	.section ".head.text", "ax"
/* The Linux arm64 Image header (Documentation/arch/arm64/booting.rst). */
ENTRY(_head)
	b	primary_entry			// code0
	.long	0				// code1
	.quad	0				// text_offset
	.quad	_kernel_size_le			// image_size (from the linker script)
	.quad	0xa				// flags: LE, 4K pages, place anywhere
	.quad	0				// res2
	.quad	0				// res3
	.quad	0				// res4
	.ascii	"ARM\x64"			// magic
	.long	0				// res5
END(_head)

ENTRY(primary_entry)
	mov	x21, x0				// preserve_boot_args: the FDT pointer
	adr	x22, _head			// where we really are (physical)
	bl	record_kernel_entry

	adr_l	x0, init_stack_top		// physical address: the MMU is off
	mov	sp, x0
	mov	x0, x21
	mov	x1, x22
	bl	early_map_kernel		// build idmap_pg_dir + init_pg_dir

	bl	__cpu_setup			// MAIR, TCR; returns the SCTLR value in x0
	adrp	x1, idmap_pg_dir
	adrp	x2, init_pg_dir
	bl	__enable_mmu
	ldr	x8, =__primary_switched		// absolute: the KIMAGE_VADDR alias
	br	x8
END(primary_entry)

/*
 * Mirrors secondary_entry / secondary_startup: a secondary CPU started by PSCI CPU_ON (smp.c)
 * enters here at EL1, MMU off, DAIF masked, x0 = the context = its CPU number. It turns the
 * MMU on with the boot CPU's tables (idmap in TTBR0 until secondary_start_kernel drops it)
 * and continues at KIMAGE_VADDR on its own stack. No stage is written: kernel_entry is the
 * boot CPU's.
 */
ENTRY(secondary_entry)
	mov	x19, x0				// CPU number
	bl	__cpu_setup			// returns the SCTLR value in x0
	adrp	x1, idmap_pg_dir
	adrp	x2, init_pg_dir
	bl	__enable_mmu
	ldr	x8, =__secondary_switched
	br	x8
END(secondary_entry)

/*
 * Stage KERNEL_ENTRY with the MMU off: probe the stage port's MAGIC and DEVICE_ID at their
 * physical address (on QEMU the slot is virtio-mmio and answers another magic).
 * Clobbers x0-x2.
 */
ENTRY(record_kernel_entry)
	mov_q	x0, KDSIM_STAGE_PHYS
	ldr	w1, [x0, #KDSIM_REG_MAGIC]
	mov_q	x2, KDSIM_MAGIC
	cmp	w1, w2
	b.ne	1f
	ldr	w1, [x0, #KDSIM_REG_DEVICE_ID]
	cmp	w1, #KDSIM_DEVICE_ID_STAGE
	b.ne	1f
	str	w21, [x0, #KDSIM_STAGE_ARG0_LO]	// ARG0: boot argument (FDT PA)
	lsr	x1, x21, #32
	str	w1, [x0, #KDSIM_STAGE_ARG0_HI]
	str	w22, [x0, #KDSIM_STAGE_ARG1_LO]	// ARG1: physical load address
	lsr	x1, x22, #32
	str	w1, [x0, #KDSIM_STAGE_ARG1_HI]
	mov	w1, #KDSIM_STAGE_KERNEL_ENTRY
	str	w1, [x0, #KDSIM_STAGE_REG]
1:	ret
END(record_kernel_entry)

/* Mirrors __cpu_setup in arch/arm64/mm/proc.S (reduced). Returns SCTLR_EL1 for MMU on. */
ENTRY(__cpu_setup)
	tlbi	vmalle1
	dsb	nsh
	msr	mdscr_el1, xzr
	mov_q	x5, (MAIR_ATTRIDX(MAIR_ATTR_NORMAL, MT_NORMAL) | MAIR_ATTRIDX(MAIR_ATTR_NORMAL, MT_NORMAL_TAGGED) | MAIR_ATTRIDX(MAIR_ATTR_NORMAL_NC, MT_NORMAL_NC) | MAIR_ATTRIDX(MAIR_ATTR_DEVICE_nGnRnE, MT_DEVICE_nGnRnE) | MAIR_ATTRIDX(MAIR_ATTR_DEVICE_nGnRE, MT_DEVICE_nGnRE))
	msr	mair_el1, x5
	mov_q	x10, (TCR_T0SZ(VA_BITS) | TCR_T1SZ(VA_BITS) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K | TCR_IRGN1_WBWA | TCR_ORGN1_WBWA | TCR_SH1_INNER | TCR_TG1_4K)
	/* IPS = the CPU's PARange, capped at 48 bits (encoding 5). */
	mrs	x9, id_aa64mmfr0_el1
	and	x9, x9, #0xf
	cmp	x9, #5
	mov	x8, #5
	csel	x9, x9, x8, ls
	bfi	x10, x9, #TCR_IPS_SHIFT, #3
	msr	tcr_el1, x10
	mov_q	x0, INIT_SCTLR_EL1_MMU_ON
	ret
END(__cpu_setup)

/*
 * Mirrors __enable_mmu: x0 = SCTLR_EL1, x1 = TTBR0 (idmap), x2 = TTBR1. Runs from the
 * identity map, so the return lands on the next physical instruction.
 */
ENTRY(__enable_mmu)
	msr	ttbr0_el1, x1
	msr	ttbr1_el1, x2
	isb
	msr	sctlr_el1, x0
	isb
	ic	iallu
	dsb	nsh
	isb
	ret
END(__enable_mmu)

	.text
/* Now running at KIMAGE_VADDR. Mirrors __primary_switched. */
ENTRY(__primary_switched)
	adr_l	x4, init_stack_top		// virtual now
	mov	sp, x4
	adr_l	x8, vectors
	msr	vbar_el1, x8
	isb

	adr_l	x0, __bss_start			// clear .bss (memset)
	mov	x1, #0
	adr_l	x2, __bss_stop
	sub	x2, x2, x0
	bl	memset

	adr_l	x4, __fdt_pointer
	str	x21, [x4]
	adr_l	x4, kimage_phys_base
	str	x22, [x4]

	mov	x29, xzr			// terminate the frame-record chain
	mov	x30, xzr
	b	start_kernel
END(__primary_switched)

/* Mirrors __secondary_switched: x19 = CPU number. */
ENTRY(__secondary_switched)
	adr_l	x8, vectors
	msr	vbar_el1, x8
	isb
	adr_l	x4, secondary_stacks		// stack top = secondary_stacks + (cpu + 1) * SIZE
	add	x5, x19, #1
	add	x4, x4, x5, lsl #SECONDARY_STACK_SHIFT
	mov	sp, x4
	mov	x29, xzr
	mov	x30, xzr
	mov	x0, x19
	b	secondary_start_kernel
END(__secondary_switched)

/*
 * Memory the loader does not have to provide (NOBITS after .bss, outside __bss_start..stop):
 * page tables (each table is cleared before use) and the boot stack.
 */
	.section ".pgdir", "aw", %nobits
	.balign	4096
	.globl	idmap_pg_dir
idmap_pg_dir:
	.space	4096
	.globl	init_pg_dir
init_pg_dir:
	.space	4096
	/* Linux's name for the kernel's TTBR1 root (VMCOREINFO SYMBOL(swapper_pg_dir)). */
	.globl	swapper_pg_dir
	.set	swapper_pg_dir, init_pg_dir
	.globl	early_pgtable_pool
early_pgtable_pool:
	.space	16 * 4096
	.globl	reserved_pg_dir
reserved_pg_dir:			// TTBR0 when no user space is installed (cleared by cpu_uninstall_idmap)
	.space	4096

	.section ".init.stack", "aw", %nobits
	.balign	16
	.globl	init_stack
init_stack:
	.space	THREAD_SIZE
	.globl	init_stack_top
init_stack_top:

	/* One small stack per CPU number (index 0, the boot CPU's, stays unused). */
	.balign	16
	.globl	secondary_stacks
secondary_stacks:
	.space	NR_CPUS << SECONDARY_STACK_SHIFT
