// SPDX-License-Identifier: MIT
/*
 * NMI shootdown (mirrors nmi_shootdown_cpus(), crash_nmi_callback() and the NMI fallback of
 * native_stop_other_cpus() in arch/x86/kernel/reboot.c and arch/x86/kernel/smp.c, reduced):
 * the stopping CPU sends NMI_VECTOR to all but itself through the local APIC and waits
 * (bounded) until each online CPU has run the callback; an NMI is not masked by RFLAGS.IF, so
 * a CPU spinning with interrupts disabled stops too. Each stopped CPU halts with interrupts
 * disabled for good.
 */
#include <kernel/compiler.h>
#include <kernel/smp.h>
#include <asm/apic.h>
#include <asm/barrier.h>
#include <asm/reboot.h>

/* Linux waits 1 s (1000 x mdelay(1)); iterations here, time is the instruction count. */
#define SHOOTDOWN_WAIT_LOOPS 20000000UL

/* The CPU handling the crash; drgn's crashed_thread() reads it (arch/x86/kernel/reboot.c). */
int crashing_cpu = -1;
static nmi_shootdown_cb shootdown_callback;
static volatile bool crash_ipi_issued;
/* waiting_for_crash_ipi: one bit per CPU still to answer (each CPU clears its own). */
static volatile unsigned long waiting_for_crash_ipi;

static void __noreturn halt_forever(void)
{
	for (;;)
		__asm__ __volatile__("cli; hlt" ::: "memory");
}

bool crash_nmi_callback(struct pt_regs *regs)
{
	int cpu = smp_processor_id();

	if (!crash_ipi_issued || cpu == crashing_cpu)
		return false; /* Don't do anything if this handler is invoked on crashing cpu. */
	if (shootdown_callback)
		shootdown_callback(cpu, regs);
	/* The CPU stays in the online mask (6.1's crash_nmi_callback leaves it): crash counts it. */
	mb();
	__atomic_and_fetch(&waiting_for_crash_ipi, ~(1UL << cpu), __ATOMIC_SEQ_CST);
	/* Assume hlt works */
	halt_forever();
}

void nmi_shootdown_cpus(nmi_shootdown_cb callback)
{
	if (crash_ipi_issued)
		return;
	crashing_cpu = smp_processor_id();
	if (!x86_apic_present)
		return;
	shootdown_callback = callback;
	waiting_for_crash_ipi = __cpu_online_mask & ~(1UL << crashing_cpu);
	if (!waiting_for_crash_ipi)
		return;
	mb();
	crash_ipi_issued = true;
	apic_send_IPI_allbutself(NMI_VECTOR);
	for (unsigned long i = 0; i < SHOOTDOWN_WAIT_LOOPS && waiting_for_crash_ipi; i++)
		cpu_relax();
	/* Leave the nmi callback set */
}

/* Linux sends REBOOT_VECTOR first and the NMI only to CPUs that do not answer it; the NMI alone
 * stops the same CPUs here (none of them has anything to finish). */
void stop_other_cpus(void)
{
	nmi_shootdown_cpus(NULL);
}
