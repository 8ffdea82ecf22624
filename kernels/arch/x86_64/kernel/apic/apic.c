// SPDX-License-Identifier: MIT
/*
 * Local APIC access (mirrors arch/x86/kernel/apic/apic.c, ipi.c and apic_flat_64.c, reduced to
 * what SMP bring-up and the crash NMI need; xAPIC MMIO through the direct map).
 */
#include <kernel/io.h>
#include <kernel/smp.h>
#include <asm/apic.h>
#include <asm/barrier.h>
#include <asm/memory.h>

bool x86_apic_present;
u32 x86_cpu_to_apicid[NR_CPUS];

static void __iomem *apic_reg(u32 reg)
{
	return (void __iomem *)__va(APIC_DEFAULT_PHYS_BASE + reg);
}

u32 apic_read(u32 reg)
{
	return readl(apic_reg(reg));
}

void apic_write(u32 reg, u32 v)
{
	writel(v, apic_reg(reg));
}

void apic_icr_write(u32 low, u32 apicid)
{
	apic_write(APIC_ICR2, SET_XAPIC_DEST_FIELD(apicid));
	apic_write(APIC_ICR, low);
}

/* Bounded like Linux's (1000 x udelay(100)): iterations here, time is the instruction count. */
u32 safe_apic_wait_icr_idle(void)
{
	u32 send_status;
	unsigned long timeout = 0;

	do {
		send_status = apic_read(APIC_ICR) & APIC_ICR_BUSY;
		if (!send_status)
			break;
		cpu_relax();
	} while (timeout++ < 1000);
	return send_status;
}

void apic_send_IPI_allbutself(unsigned int vector)
{
	u32 dm = vector == NMI_VECTOR ? APIC_DM_NMI : vector;

	mb(); /* the targets see our stores before the IPI */
	apic_write(APIC_ICR, APIC_DEST_ALLBUT | dm);
}

/* native_send_call_func_single_ipi(): a fixed-vector IPI to that CPU's APIC ID. */
void arch_send_call_function_single_ipi(int cpu)
{
	mb();
	apic_icr_write(CALL_FUNCTION_SINGLE_VECTOR, x86_cpu_to_apicid[cpu]);
}

void setup_local_APIC(void)
{
	apic_write(APIC_TASKPRI, 0);
	apic_write(APIC_SPIV, APIC_SPIV_APIC_ENABLED | SPURIOUS_APIC_VECTOR);
}

unsigned int read_apic_id(void)
{
	return GET_APIC_ID(apic_read(APIC_ID));
}
