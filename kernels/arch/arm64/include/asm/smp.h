/* SPDX-License-Identifier: MIT */
/* arm64 SMP: IPI numbers (arch/arm64/kernel/smp.c's enum ipi_msg_type) and the stop calls. */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#define SECONDARY_STACK_SHIFT 12 /* 4 KiB per secondary CPU: idle loop + IPI (head.S) */

#ifndef __ASSEMBLER__
#include <kernel/types.h>

enum ipi_msg_type {
	IPI_RESCHEDULE,
	IPI_CALL_FUNC,
	IPI_CPU_STOP,
	IPI_CPU_CRASH_STOP,
	IPI_TIMER,
	IPI_IRQ_WORK,
};

/*
 * The logical CPU map (cpu_logical_map(), arch/arm64/kernel/setup.c): logical CPU 0 is the CPU
 * the kernel booted on, whichever MPIDR it has (a capture kernel boots on the CPU that
 * crashed). The other CPUs keep their Aff0 as their number; the boot CPU's Aff0 takes number 0.
 */
void set_cpu_logical_map(unsigned int cpu, u64 hwid);
u64 cpu_logical_map(unsigned int cpu);

/* IPI_CPU_STOP to the other online CPUs (they leave with PSCI CPU_OFF); bounded wait. */
void smp_send_stop(void);
/* IPI_CPU_CRASH_STOP: each other online CPU runs crash_save_cpu() and leaves; bounded wait. */
void crash_smp_send_stop(void);
/* Unmask a shared peripheral interrupt at the GIC distributor (GICD_ISENABLERn). */
void gic_enable_irq(unsigned int irq);

#endif /* __ASSEMBLER__ */
#endif /* ASM_SMP_H */
