// SPDX-License-Identifier: MIT
/*
 * The bounds of directly mapped RAM (mirrors mm/memory.c's high_memory and mm/memblock.c's
 * max_low_pfn/min_low_pfn/max_pfn, set as arm64's bootmem_init()/mem_init() do). crash refuses
 * a dump without high_memory; it and makedumpfile size their page walks by max_pfn.
 */
#include <kernel/arch.h>
#include <kernel/init.h>
#include <kernel/memblock.h>
#include <kernel/mm.h>
#include <asm/memory.h>

void *high_memory;
/* !CONFIG_NUMA: FLATMEM's memmap pointer; NULL with SPARSEMEM (VMCOREINFO SYMBOL(mem_map)). */
struct page *mem_map;
unsigned long max_mapnr;
unsigned long max_low_pfn;
unsigned long min_low_pfn;
unsigned long max_pfn;

void __init set_memory_limits(void)
{
	phys_addr_t start = memblock_start_of_DRAM(), end = memblock_end_of_DRAM();
	min_low_pfn = (unsigned long)(start >> PAGE_SHIFT);
	max_low_pfn = max_pfn = (unsigned long)(end >> PAGE_SHIFT);
	high_memory = (char *)phys_to_virt(end - 1) + 1;
}
