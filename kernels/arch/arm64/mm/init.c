// SPDX-License-Identifier: MIT
/*
 * arm64 memory setup pieces for kdump (mirrors arch/arm64/mm/init.c: max_zone_phys(),
 * arm64_dma_phys_limit, arch_reserve_crashkernel()) and the record of what the early linear
 * map covers (all RAM of the DTB, before a capture kernel caps memblock).
 */
#include <kernel/crash_reserve.h>
#include <kernel/init.h>
#include <kernel/memblock.h>
#include <kernel/mm.h>
#include <kernel/mmzone.h>
#include <asm/memory.h>
#include <asm/pgtable-hwdef.h>
#include <asm/setup.h>

phys_addr_t arm64_dma_phys_limit;

#define MAX_LINEAR_RANGES 8
static struct {
	phys_addr_t start, end;
} linear_ranges[MAX_LINEAR_RANGES];
static unsigned int nr_linear_ranges;

void arm64_record_linear_range(phys_addr_t start, phys_addr_t end)
{
	if (nr_linear_ranges < MAX_LINEAR_RANGES && end > start) {
		linear_ranges[nr_linear_ranges].start = start;
		linear_ranges[nr_linear_ranges].end = end;
		nr_linear_ranges++;
	}
}

bool arm64_linear_map_covers(phys_addr_t pa, size_t size)
{
	for (unsigned int i = 0; i < nr_linear_ranges; i++)
		if (pa >= linear_ranges[i].start && pa + size <= linear_ranges[i].end)
			return true;
	return false;
}

/*
 * Information we get from firmware (e.g. DT dma-ranges) describe DMA bus constraints. Keep
 * low RAM DMA zone on platforms that have RAM there.
 */
static phys_addr_t max_zone_phys(phys_addr_t zone_limit)
{
	if (memblock_start_of_DRAM() < 0xffffffffULL)
		zone_limit = min(zone_limit, (phys_addr_t)0xffffffffULL);

	return min(zone_limit, memblock_end_of_DRAM() - 1) + 1;
}

/*
 * Mirrors zone_sizes_init(): ZONE_DMA up to the 32-bit DMA limit (zone_dma_bits 32, no DT
 * dma-ranges), ZONE_DMA32 up to 4 GiB (empty then), ZONE_NORMAL the rest.
 */
void arch_zone_limits(unsigned long *max_zone_pfn)
{
	max_zone_pfn[ZONE_DMA] = (unsigned long)(max_zone_phys(0xffffffffULL) >> PAGE_SHIFT);
	max_zone_pfn[ZONE_DMA32] = (unsigned long)(max_zone_phys(0xffffffffULL) >> PAGE_SHIFT);
	max_zone_pfn[ZONE_NORMAL] = (unsigned long)(memblock_end_of_DRAM() >> PAGE_SHIFT);
}

void arch_reserve_crashkernel(void)
{
	unsigned long long low_size = 0;
	unsigned long long crash_base, crash_size;
	char *cmdline = boot_command_line;
	bool high = false;
	int ret;

	/* zone_dma_limit: 32-bit DMA (no DT dma-ranges here). */
	arm64_dma_phys_limit = max_zone_phys(0xffffffffULL);

	ret = parse_crashkernel(cmdline, memblock_phys_mem_size(), &crash_size, &crash_base,
	                        &low_size, NULL, &high);
	if (ret)
		return;

	reserve_crashkernel_generic(crash_size, crash_base, low_size, high);
}
