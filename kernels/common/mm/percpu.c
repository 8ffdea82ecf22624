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

/* Each CPU's own number in its per-CPU area (x86 setup_percpu.c and arm64 smp.c both have it);
 * crash on x86_64 counts the dump's CPUs by reading it through __per_cpu_offset[]. */
DEFINE_PER_CPU(int, cpu_number);

void __init setup_per_cpu_areas(void)
{
	size_t size = (size_t)(__per_cpu_end - __per_cpu_start);
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		char *area = memblock_alloc(size ? size : 1, PAGE_SIZE); /* whole units, as pcpu */
		if (!area)
			panic("Failed to allocate the per-CPU area of CPU %u", cpu);
		memcpy(area, __per_cpu_start, size);
		__per_cpu_offset[cpu] = (unsigned long)(area - __per_cpu_start);
		per_cpu(cpu_number, cpu) = (int)cpu;
	}
}
