// SPDX-License-Identifier: MIT
/* Possible CPUs (mirrors nr_cpu_ids / set_cpu_possible() of kernel/smp.c and cpumask.h). */
#include <kernel/smp.h>

unsigned int nr_cpu_ids = 1;

void set_nr_cpu_ids(unsigned int n)
{
	if (n < 1)
		n = 1;
	if (n > NR_CPUS)
		n = NR_CPUS;
	nr_cpu_ids = n;
}
