// SPDX-License-Identifier: MIT
/* Possible and online CPUs (mirrors nr_cpu_ids / set_cpu_possible() / set_cpu_online() of
 * kernel/smp.c and cpumask.h). */
#include <kernel/smp.h>

unsigned int nr_cpu_ids = 1;
volatile unsigned long __cpu_online_mask = 1; /* the boot CPU */

void set_nr_cpu_ids(unsigned int n)
{
	if (n < 1)
		n = 1;
	if (n > NR_CPUS)
		n = NR_CPUS;
	nr_cpu_ids = n;
}

void set_cpu_online(unsigned int cpu, bool online)
{
	if (online)
		__cpu_online_mask |= 1UL << cpu;
	else
		__cpu_online_mask &= ~(1UL << cpu);
}

__attribute__((weak)) int smp_processor_id(void)
{
	return 0;
}

__attribute__((weak)) void smp_init(void)
{
}
