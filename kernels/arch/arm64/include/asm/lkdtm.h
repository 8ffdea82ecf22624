/* SPDX-License-Identifier: MIT */
/*
 * arm64 side of the provoke-crash DIRECT types that depend on the CPU
 * (common/drivers/misc/lkdtm.c). Linux's LKDTM has no divide-by-zero type; kdsim adds
 * DIVIDE_ZERO for x86's #DE. On arm64 `udiv`/`sdiv` by zero write 0 to the destination and
 * raise no exception (Arm ARM, C3.4.8), so the kernel refuses the type with -EINVAL.
 */
#ifndef ASM_LKDTM_H
#define ASM_LKDTM_H

#define ARCH_LKDTM_DIVIDE_ZERO_REFUSED "arm64 udiv by zero returns 0 and does not trap"

static inline void arch_lkdtm_divide_zero(void)
{
}

#endif /* ASM_LKDTM_H */
