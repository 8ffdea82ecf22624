/* SPDX-License-Identifier: MIT */
/*
 * arm64 side of the provoke-crash DIRECT types that depend on the CPU
 * (common/drivers/misc/lkdtm.c). Linux's LKDTM has no divide-by-zero type; kdsim adds
 * DIVIDE_ZERO for x86's #DE. On arm64 `udiv`/`sdiv` by zero write 0 to the destination and
 * raise no exception (Arm ARM, C3.4.8), so the kernel refuses the type with -EINVAL.
 */
#ifndef ASM_LKDTM_H
#define ASM_LKDTM_H

#include <kernel/arch.h>
#include <kernel/io.h>

#define ARCH_LKDTM_DIVIDE_ZERO_REFUSED "arm64 udiv by zero returns 0 and does not trap"

static inline void arch_lkdtm_divide_zero(void)
{
}

/*
 * UNMAPPED_IO (kdsim's, not Linux's): a driver reads a register of a device the board does not
 * have: QEMU virt's fw_cfg data register at 0x09020000, absent from kdsim's board. The address
 * is inside the kernel's device mapping, so only the bus finds that nothing answers.
 */
#define ARCH_LKDTM_UNMAPPED_IO_WHAT "fw_cfg data register at 0x09020000"

static inline unsigned long arch_lkdtm_unmapped_io(void)
{
	void __iomem *reg = ioremap(0x09020000, 4);
	return reg ? readl(reg) : ~0UL;
}

/*
 * CORRUPT_VECTORS (kdsim's): VBAR_EL1 points at an unmapped kernel address, then `brk`. The
 * exception vector cannot be fetched, which is itself an exception to the same vector: the CPU
 * takes exceptions forever without running an instruction (an exception storm; arm64 has no
 * double fault to end it).
 */
static inline void arch_lkdtm_corrupt_vectors(void)
{
	__asm__ __volatile__("msr vbar_el1, %0\n\tisb\n\tbrk #0" : : "r"(0xffff7fffc0000000UL) : "memory");
}

#endif /* ASM_LKDTM_H */
