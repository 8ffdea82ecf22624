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
/* The kdump path (docs/devices.md). */
#define KDSIM_STAGE_CRASH_KEXEC 0x10            /* ARG0 kimage entry (__crash_kexec found an image) */
#define KDSIM_STAGE_MACHINE_CRASH_SHUTDOWN 0x11 /* ARG0 crash_notes PA of this CPU, ARG1 CPU */
#define KDSIM_STAGE_MACHINE_KEXEC 0x12          /* ARG0 entry, ARG1 DTB / boot_params PA */
#define KDSIM_STAGE_MMU_OFF 0x13                /* ARG0 entry, ARG1 CR3 (x86) or 0 */
#define KDSIM_STAGE_PURGATORY_ENTRY 0x14        /* written by the purgatory */
#define KDSIM_STAGE_DIGEST_OK 0x15
#define KDSIM_STAGE_DIGEST_MISMATCH 0x16
#define KDSIM_STAGE_CAPTURE_ENTRY 0x17          /* ARG0 elfcorehdr PA */
#define KDSIM_STAGE_VMCORE_INIT 0x18            /* ARG0 vmcore size, ARG1 number of PT_LOADs */
#define KDSIM_STAGE_DUMP_COMPLETE 0x19          /* ARG0 bytes */

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
	STAGE_CRASH_KEXEC = KDSIM_STAGE_CRASH_KEXEC,
	STAGE_MACHINE_CRASH_SHUTDOWN = KDSIM_STAGE_MACHINE_CRASH_SHUTDOWN,
	STAGE_MACHINE_KEXEC = KDSIM_STAGE_MACHINE_KEXEC,
	STAGE_MMU_OFF = KDSIM_STAGE_MMU_OFF,
	STAGE_CAPTURE_ENTRY = KDSIM_STAGE_CAPTURE_ENTRY,
	STAGE_VMCORE_INIT = KDSIM_STAGE_VMCORE_INIT,
	STAGE_DUMP_COMPLETE = KDSIM_STAGE_DUMP_COMPLETE,
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
