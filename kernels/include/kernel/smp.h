/* SPDX-License-Identifier: MIT */
/*
 * CPU numbering (mirrors include/linux/smp.h and cpumask.h, reduced). Only the boot CPU runs;
 * the possible CPUs (from the arch's firmware tables, e.g. the DTB /cpus) get per-CPU crash
 * note buffers and sysfs entries like in Linux.
 */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#define NR_CPUS 8

/* Number of possible CPUs (1 until the arch sets it from its firmware tables). */
extern unsigned int nr_cpu_ids;

/* Called by setup_arch() with the number of possible CPUs (clamped to NR_CPUS). */
void set_nr_cpu_ids(unsigned int n);

static inline int smp_processor_id(void)
{
	return 0;
}

static inline unsigned int num_online_cpus(void)
{
	return 1;
}

#endif /* KERNEL_SMP_H */
