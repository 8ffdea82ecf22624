/* SPDX-License-Identifier: MIT */
/*
 * Boot-time physical memory manager (common/mm/memblock.c, mirrors mm/memblock.c): RAM ranges
 * from setup_arch(), reserved ranges (kernel image, boot data, later crashkernel=), and a
 * top-down allocator. There is no page allocator beyond this: the toy kernel never frees.
 */
#ifndef KERNEL_MEMBLOCK_H
#define KERNEL_MEMBLOCK_H

#include <kernel/types.h>

#define MEMBLOCK_MAX_REGIONS 128

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
};

struct memblock_type {
	unsigned int cnt;
	phys_addr_t total_size;
	struct memblock_region regions[MEMBLOCK_MAX_REGIONS];
	const char *name;
};

struct memblock {
	phys_addr_t current_base;  /* allocations stay at or above it */
	phys_addr_t current_limit; /* allocations stay below it (0: no limit) */
	struct memblock_type memory;
	struct memblock_type reserved;
};

extern struct memblock memblock;

int memblock_add(phys_addr_t base, phys_addr_t size);
int memblock_reserve(phys_addr_t base, phys_addr_t size);
/* Drop all memory outside [base, base + size) (mirrors memblock_cap_memory_range()). */
int memblock_cap_memory_range(phys_addr_t base, phys_addr_t size);
/* Allocate size bytes aligned to align from the highest free RAM; 0 on failure. Not zeroed. */
phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align);
/* The same inside [start, end) (end 0: no limit), mirrors memblock_phys_alloc_range(). */
phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align, phys_addr_t start,
                                      phys_addr_t end);
/* Give a reserved range back (mirrors memblock_phys_free(); kexec frees its pages here). */
int memblock_phys_free(phys_addr_t base, phys_addr_t size);
bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size);
/* Linux's totalram_pages(): RAM pages not reserved when mem_init() ran. */
void memblock_snapshot_totalram(void);
/* Print the RAM ranges as free_area_init() does ("Early memory node ranges"). */
void memblock_print_early_ranges(void);
unsigned long totalram_pages(void);
/* Allocate and zero; returns the linear-map VA, NULL on failure. Adjacent regions merge. */
void *memblock_alloc(phys_addr_t size, phys_addr_t align);
phys_addr_t memblock_phys_mem_size(void);
/*
 * Allocations from now on stay inside [base, limit) (memblock_set_current_limit() plus a
 * lower bound: kdsim's kernel pool after mem_init(), common/mm/page_alloc.c).
 */
void memblock_set_current_range(phys_addr_t base, phys_addr_t limit);
/* Call fn for every RAM range not reserved, in address order (for_each_free_mem_range()). */
void for_each_free_mem_range(void (*fn)(phys_addr_t base, phys_addr_t end, void *arg), void *arg);
/* The number of RAM pages in the pfn range [start, end). */
unsigned long memblock_pages_in(unsigned long start, unsigned long end);
phys_addr_t memblock_start_of_DRAM(void);
phys_addr_t memblock_end_of_DRAM(void);

#endif /* KERNEL_MEMBLOCK_H */
