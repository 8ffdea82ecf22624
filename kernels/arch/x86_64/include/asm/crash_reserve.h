/* SPDX-License-Identifier: MIT */
/* x86_64 crashkernel= constants (mirrors arch/x86/include/asm/crash_reserve.h). */
#ifndef ASM_CRASH_RESERVE_H
#define ASM_CRASH_RESERVE_H

#include <kernel/types.h>

/* 16M alignment for crash kernel regions */
#define CRASH_ALIGN (16ULL << 20)
/* Keep the crash kernel below this limit (64-bit: 4 GiB for the low region). */
#define CRASH_ADDR_LOW_MAX (4ULL << 30)
#define CRASH_ADDR_HIGH_MAX (64ULL << 40)
/* crash_low_size_default(): max(swiotlb (64 MiB) + 8 MiB, 256 MiB). */
#define DEFAULT_CRASH_KERNEL_LOW_SIZE (256ULL << 20)

/* "Crash kernel" goes into iomem_resource at reservation time (reserve_crashkernel_generic). */
#define HAVE_ARCH_ADD_CRASH_RES_TO_IOMEM_EARLY

/* arch/x86/kernel/setup.c: parse crashkernel= and reserve it (called from setup_arch()). */
void arch_reserve_crashkernel(void);

#endif /* ASM_CRASH_RESERVE_H */
