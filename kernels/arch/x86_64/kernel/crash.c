// SPDX-License-Identifier: MIT
/*
 * Architecture specific (x86_64) functions for kexec based crash dumps (mirrors
 * native_machine_crash_shutdown() and crash_smp_send_stop() of arch/x86/kernel/crash.c and
 * arch/x86/kernel/reboot.c).
 */
#include <kernel/kexec.h>
#include <kernel/arch.h>
#include <kernel/crash_core.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kdsim/stage.h>
#include <asm/ptrace.h>
#include <asm/reboot.h>

/*
 * Mirrors kdump_nmi_callback(): on each other CPU, from its NMI handler, save the registers it
 * was interrupted with; Linux then disables its local APIC and VMX/SVM (not modelled).
 */
static void kdump_nmi_callback(int cpu, struct pt_regs *regs)
{
	crash_save_cpu(regs, cpu);
	kdsim_stage(STAGE_MACHINE_CRASH_SHUTDOWN, crash_notes_phys((unsigned int)cpu), (u64)cpu);
}

/* Mirrors crash_smp_send_stop() -> kdump_nmi_shootdown_cpus() -> nmi_shootdown_cpus(). */
static void crash_smp_send_stop(void)
{
	static int cpus_stopped;

	if (cpus_stopped)
		return;

	nmi_shootdown_cpus(kdump_nmi_callback);
	cpus_stopped = 1;
}

/*
 * Mirrors native_machine_crash_shutdown(). This function is only called after the system has
 * panicked or is otherwise in a critical state. The minimum amount of code to allow a kexec'd
 * kernel to run successfully needs to happen here.
 */
void machine_crash_shutdown(struct pt_regs *regs)
{
	int cpu = smp_processor_id();

	/* The kernel is broken so disable interrupts */
	arch_local_irq_save();

	crash_smp_send_stop();

	/*
	 * cpu_emergency_disable_virtualization(), cpu_emergency_stop_pt(), clear_IO_APIC(),
	 * lapic_shutdown(), restore_boot_irq_mode(), hpet_disable(): none of these devices is
	 * driven by this kernel.
	 */
	crash_save_cpu(regs, cpu);
	kdsim_stage(STAGE_MACHINE_CRASH_SHUTDOWN, crash_notes_phys((unsigned int)cpu), (u64)cpu);

	/*
	 * kdsim addition: Linux x86 prints nothing on this path (arm64's machine_crash_shutdown()
	 * prints this line); the kdsim kdump scenarios expect the same marker on both arches.
	 */
	pr_info("Starting crashdump kernel...\n");
}
