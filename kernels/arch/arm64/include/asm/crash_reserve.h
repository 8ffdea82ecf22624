/* SPDX-License-Identifier: MIT */
/* arm64 crashkernel= constants (mirrors arch/arm64/include/asm/crash_reserve.h). */
#ifndef ASM_CRASH_RESERVE_H
#define ASM_CRASH_RESERVE_H

#include <kernel/types.h>

/* Current arm64 boot protocol requires 2MB alignment */
#define CRASH_ALIGN (2ULL << 20)

/* arch/arm64/mm/init.c: min(4 GiB, end of DRAM) when DRAM starts below 4 GiB. */
extern phys_addr_t arm64_dma_phys_limit;
#define CRASH_ADDR_LOW_MAX arm64_dma_phys_limit
#define PHYS_MASK_SHIFT 48
#define CRASH_ADDR_HIGH_MAX ((1ULL << PHYS_MASK_SHIFT))

#endif /* ASM_CRASH_RESERVE_H */
