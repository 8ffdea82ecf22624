/* SPDX-License-Identifier: MIT */
/*
 * CPU reset routines (mirrors arch/arm64/kernel/cpu-reset.S, 5.x+ layout).
 *
 * cpu_soft_restart(el2_switch, entry, arg0, arg1, arg2): put the CPU into the same state as
 * it would be if it had been reset (MMU and caches off: SCTLR_EL1 = INIT_SCTLR_EL1_MMU_OFF),
 * and branch to entry with x0 = arg0, x1 = arg1, x2 = arg2. It must be executed with the flat
 * identity mapping: machine_kexec() installs idmap_pg_dir in TTBR0 and calls the PHYSICAL
 * address of this function.
 *
 * kdsim: right after the MMU is off it records stage MMU_OFF (ARG0 = entry, ARG1 = 0) through
 * the physical stage port, probed like head.S does (nothing is written on QEMU).
 */
#include <asm/assembler.h>
#include <asm/board.h>
#include <asm/pgtable-hwdef.h>
#include <kdsim/devices.h>
#include <kdsim/stage.h>

#define HVC_SOFT_RESTART 1

	.text
	.balign	64
ENTRY(cpu_soft_restart)
	mov_q	x12, INIT_SCTLR_EL1_MMU_OFF
	msr	sctlr_el1, x12
	isb

	mov_q	x9, KDSIM_STAGE_PHYS
	ldr	w10, [x9, #KDSIM_REG_MAGIC]
	mov_q	x11, KDSIM_MAGIC
	cmp	w10, w11
	b.ne	1f
	ldr	w10, [x9, #KDSIM_REG_DEVICE_ID]
	cmp	w10, #KDSIM_DEVICE_ID_STAGE
	b.ne	1f
	str	w1, [x9, #KDSIM_STAGE_ARG0_LO]	// ARG0: entry
	lsr	x10, x1, #32
	str	w10, [x9, #KDSIM_STAGE_ARG0_HI]
	str	wzr, [x9, #KDSIM_STAGE_ARG1_LO]
	str	wzr, [x9, #KDSIM_STAGE_ARG1_HI]
	mov	w10, #KDSIM_STAGE_MMU_OFF
	str	w10, [x9, #KDSIM_STAGE_REG]
1:
	cbz	x0, 2f				// el2_switch?
	mov	x0, #HVC_SOFT_RESTART
	hvc	#0				// no return

2:	mov	x8, x1				// entry
	mov	x0, x2				// arg0
	mov	x1, x3				// arg1
	mov	x2, x4				// arg2
	br	x8
END(cpu_soft_restart)
