/* SPDX-License-Identifier: MIT */
/*
 * CPU numbering (mirrors include/linux/smp.h and cpumask.h, reduced). The possible CPUs (from
 * the arch's firmware tables, e.g. the DTB /cpus) get per-CPU crash note buffers and sysfs
 * entries like in Linux. An arch with SMP bring-up (arm64) starts the secondaries in
 * smp_init(); they only idle and answer stop IPIs. Everything else runs on the boot CPU 0.
 */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include <kernel/types.h>

#define NR_CPUS 8

/* Number of possible CPUs (1 until the arch sets it from its firmware tables). */
extern unsigned int nr_cpu_ids;

/* Called by setup_arch() with the number of possible CPUs (clamped to NR_CPUS). */
void set_nr_cpu_ids(unsigned int n);

/* The CPU this runs on. Weak default 0 (common/kernel/smp.c); arm64: MPIDR_EL1.Aff0. */
int smp_processor_id(void);

/* cpu_online_mask (one bit per CPU; the boot CPU 0 is online from the start). */
extern volatile unsigned long __cpu_online_mask;

static inline bool cpu_online(unsigned int cpu)
{
	return (__cpu_online_mask >> cpu) & 1;
}

/* Only the CPU itself changes its bit (bring-up, stop IPI), so no atomics are needed. */
void set_cpu_online(unsigned int cpu, bool online);

static inline unsigned int num_online_cpus(void)
{
	unsigned int n = 0;
	for (unsigned long m = __cpu_online_mask; m; m &= m - 1)
		n++;
	return n;
}

/* Mirrors smp_init() (kernel/smp.c), called by kernel_init() before do_basic_setup(): bring
 * the secondary CPUs online. Weak no-op default: the port runs on the boot CPU only. */
void smp_init(void);

/*
 * Cross-CPU calls (mirrors smp_call_function_single() of kernel/smp.c, one call slot per CPU):
 * run func(info) on `cpu` from its IPI handler. With wait, the caller spins with interrupts
 * enabled until the call returns (csd_lock_wait()), so a crash stop IPI/NMI still reaches it.
 * The callee runs func with interrupts enabled: it stands for a task pinned to that CPU.
 */
typedef void (*smp_call_func_t)(void *info);
int smp_call_function_single(int cpu, smp_call_func_t func, void *info, int wait);
/* Called by the arch's IPI handler (IPI_CALL_FUNC / CALL_FUNCTION_SINGLE_VECTOR). */
void generic_smp_call_function_single_interrupt(void);
/* Arch: send the call IPI to `cpu` (arm64: IPI_CALL_FUNC SGI; x86: a fixed-vector IPI). */
void arch_send_call_function_single_ipi(int cpu);
/* Arch: interrupts on for the rest of this context (local_irq_enable()). */
void arch_local_irq_enable(void);
/*
 * kdsim: a call that never returns (an LKDTM lockup loop) releases its waiting caller first, as
 * the shell that pinned it would have been left behind in the background (`taskset ... &`).
 */
void smp_call_release_caller(void);

/* sched_setaffinity() reduced to one CPU: the CPU init's writes run on (-1: where it is). */
extern int current_pinned_cpu;

#endif /* KERNEL_SMP_H */
