// SPDX-License-Identifier: MIT
/*
 * Per-CPU areas (mirrors mm/percpu.c's setup_per_cpu_areas() for the generic
 * !HAVE_SETUP_PER_CPU_AREA case): one copy of .data..percpu per possible CPU, from memblock.
 * Until it runs every __per_cpu_offset is 0, so the boot CPU uses the template itself.
 */
#include <kernel/init.h>
#include <kernel/memblock.h>
#include <kernel/panic.h>
#include <kernel/percpu.h>
#include <kernel/string.h>
#include <asm/memory.h>

unsigned long __per_cpu_offset[NR_CPUS];

void __init setup_per_cpu_areas(void)
{
	size_t size = (size_t)(__per_cpu_end - __per_cpu_start);
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		char *area = memblock_alloc(size ? size : 1, PAGE_SIZE); /* whole units, as pcpu */
		if (!area)
			panic("Failed to allocate the per-CPU area of CPU %u", cpu);
		memcpy(area, __per_cpu_start, size);
		__per_cpu_offset[cpu] = (unsigned long)(area - __per_cpu_start);
	}
}
