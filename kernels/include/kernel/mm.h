/* SPDX-License-Identifier: MIT */
/* RAM bounds (mirrors include/linux/mm.h and memblock.h's globals; common/mm/memory.c). */
#ifndef KERNEL_MM_H
#define KERNEL_MM_H

#include <kernel/types.h>

/* The first byte past directly mapped RAM (a linear-map address). */
extern void *high_memory;
extern unsigned long max_low_pfn;
extern unsigned long min_low_pfn;
extern unsigned long max_pfn;

/* Set the four from memblock's RAM (mem_init(), after setup_arch() capped memory). */
void set_memory_limits(void);

#endif /* KERNEL_MM_H */
