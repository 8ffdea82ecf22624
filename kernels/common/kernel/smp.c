// SPDX-License-Identifier: MIT
/* Possible and online CPUs (mirrors nr_cpu_ids / set_cpu_possible() / set_cpu_online() of
 * kernel/smp.c and cpumask.h). */
#include <kernel/smp.h>
#include <kernel/arch.h>
#include <kernel/compiler.h>
#include <asm/barrier.h>

unsigned int nr_cpu_ids = 1;
volatile unsigned long __cpu_online_mask = 1; /* the boot CPU */
/* cpu_possible_mask and cpu_present_mask: every CPU the firmware tables list (crash counts the
 * dump's CPUs from them, and the online mask against them). */
unsigned long __cpu_possible_mask = 1;
unsigned long __cpu_present_mask = 1;

void set_nr_cpu_ids(unsigned int n)
{
	if (n < 1)
		n = 1;
	if (n > NR_CPUS)
		n = NR_CPUS;
	nr_cpu_ids = n;
	__cpu_possible_mask = __cpu_present_mask = (n >= 64 ? ~0UL : (1UL << n) - 1);
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

/* ---- cross-CPU calls (kernel/smp.c) ---- */

/* struct __call_single_data, one per target CPU (Linux queues them; one at a time here). */
struct call_single_data {
	smp_call_func_t func;
	void *info;
	volatile int queued;  /* set by the caller, taken by the target's IPI handler */
	volatile int locked;  /* CSD_FLAG_LOCK: cleared when the caller may go on */
};

static struct call_single_data cfd_data[NR_CPUS];
int current_pinned_cpu = -1;

__attribute__((weak)) void arch_send_call_function_single_ipi(int cpu)
{
	(void)cpu;
}

/* csd_lock_wait(): interrupts on while waiting, so a crash stop reaches this CPU here. */
static void __noinline csd_lock_wait(struct call_single_data *csd)
{
	unsigned long flags = arch_local_irq_save();
	arch_local_irq_enable();
	while (csd->locked)
		cpu_relax();
	arch_local_irq_restore(flags);
}

int smp_call_function_single(int cpu, smp_call_func_t func, void *info, int wait)
{
	if (cpu == smp_processor_id()) {
		func(info);
		return 0;
	}
	if (cpu < 0 || (unsigned int)cpu >= nr_cpu_ids || !cpu_online((unsigned int)cpu))
		return -6; /* -ENXIO */
	struct call_single_data *csd = &cfd_data[cpu];
	if (csd->locked)
		return -16; /* -EBUSY: the previous call has not returned (it never will) */
	csd->func = func;
	csd->info = info;
	csd->locked = 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	csd->queued = 1;
	arch_send_call_function_single_ipi(cpu);
	if (wait)
		csd_lock_wait(csd);
	return 0;
}

void smp_call_release_caller(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	cfd_data[smp_processor_id()].locked = 0;
}

/* __flush_smp_call_function_queue(): run the queued call, then csd_unlock(). */
void generic_smp_call_function_single_interrupt(void)
{
	struct call_single_data *csd = &cfd_data[smp_processor_id()];
	if (!csd->queued)
		return;
	csd->queued = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	unsigned long flags = arch_local_irq_save();
	arch_local_irq_enable();
	csd->func(csd->info);
	arch_local_irq_restore(flags);
	smp_call_release_caller();
}
