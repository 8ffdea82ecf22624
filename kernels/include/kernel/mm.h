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
struct page;
extern struct page *mem_map;
extern unsigned long max_mapnr;

/* Set the four from memblock's RAM (mem_init(), after setup_arch() capped memory). */
void set_memory_limits(void);

/*
 * The memory model (common/mm/sparse.c, page_alloc.c): SPARSEMEM_VMEMMAP sections and the
 * buddy allocator's view of free memory, built by mem_init() in the first kernel only (a
 * capture kernel's memory is of no interest to the tools reading the first kernel's dump).
 */
void sparse_init(void);
void memblock_free_all(void);
/* Pages below memmap_limit() whose section has a memmap; their struct page (linear-map alias). */
bool pfn_has_memmap(unsigned long pfn);
struct page *pfn_to_page(unsigned long pfn);
unsigned long page_to_pfn(const struct page *page);
phys_addr_t memmap_limit(void);

/* Arch hooks (arch/<arch>/mm): map 2 MiB of vmemmap at addr to phys in the kernel page
 * tables (vmemmap_populate()'s PMD blocks); the highest pfn + 1 of each zone (zone_sizes_init()). */
int vmemmap_populate_pmd(unsigned long addr, phys_addr_t phys);
void arch_zone_limits(unsigned long *max_zone_pfn);

#endif /* KERNEL_MM_H */
