/* SPDX-License-Identifier: MIT */
/*
 * Stage codes the kernels write to the kdsim stage port (guest-side copy of the table in
 * docs/devices.md). Usable from assembly (the assembler defines __ASSEMBLER__).
 */
#ifndef KDSIM_STAGE_H
#define KDSIM_STAGE_H

#define KDSIM_STAGE_KERNEL_ENTRY 0x01      /* ARG0 boot argument PA, ARG1 image load PA */
#define KDSIM_STAGE_MMU_ON 0x02            /* ARG0 TTBR1_EL1 / CR3, ARG1 kernel VA base */
#define KDSIM_STAGE_VECTORS_INSTALLED 0x03 /* ARG0 VBAR_EL1 / IDT base */
#define KDSIM_STAGE_INIT_START 0x04        /* ARG0 user entry VA, ARG1 user SP */
#define KDSIM_STAGE_OOPS 0x05              /* ARG0 faulting address, ARG1 faulting PC */
#define KDSIM_STAGE_PANIC 0x06
/* 0x10.. reserved for the kdump path (crash_kexec, machine_crash_shutdown, machine_kexec). */

#ifndef __ASSEMBLER__
#include <kernel/compiler.h>
#include <kernel/io.h>
#include <kernel/types.h>
#include <kdsim/devices.h>

enum kdsim_stage {
	STAGE_KERNEL_ENTRY = KDSIM_STAGE_KERNEL_ENTRY,
	STAGE_MMU_ON = KDSIM_STAGE_MMU_ON,
	STAGE_VECTORS_INSTALLED = KDSIM_STAGE_VECTORS_INSTALLED,
	STAGE_INIT_START = KDSIM_STAGE_INIT_START,
	STAGE_OOPS = KDSIM_STAGE_OOPS,
	STAGE_PANIC = KDSIM_STAGE_PANIC,
};

/* Probe the stage port (MAGIC + DEVICE_ID); later kdsim_stage() calls are no-ops without it. */
void kdsim_stage_init(void);
/* The probed stage port, or NULL (QEMU, or before kdsim_stage_init()). */
extern void __iomem *kdsim_stage_base;

/*
 * Record a stage with two arguments. Inlined so the PC the host records with the stage is
 * the caller's (e.g. inside panic()), not a shared helper's.
 */
static __always_inline void kdsim_stage(enum kdsim_stage code, u64 arg0, u64 arg1)
{
	void __iomem *base = kdsim_stage_base;
	if (!base)
		return;
	writel((u32)arg0, io_offset(base, KDSIM_STAGE_ARG0_LO));
	writel((u32)(arg0 >> 32), io_offset(base, KDSIM_STAGE_ARG0_HI));
	writel((u32)arg1, io_offset(base, KDSIM_STAGE_ARG1_LO));
	writel((u32)(arg1 >> 32), io_offset(base, KDSIM_STAGE_ARG1_HI));
	writel((u32)code, io_offset(base, KDSIM_STAGE_REG));
}
#endif

#endif /* KDSIM_STAGE_H */
