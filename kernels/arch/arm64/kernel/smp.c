// SPDX-License-Identifier: MIT
/*
 * SMP for arm64 (mirrors arch/arm64/kernel/smp.c, the PSCI cpu_ops of
 * arch/arm64/kernel/psci.c and the SGI part of drivers/irqchip/irq-gic.c, reduced).
 *
 * Bring-up: smp_init() starts each possible secondary with PSCI CPU_ON at secondary_entry
 * (head.S, context = CPU number); the secondary turns its MMU on with the boot CPU's tables,
 * says "CPU1: Booted secondary processor", marks itself online and idles in wfi with IRQs
 * unmasked. The secondaries run only what smp_call_function_single() sends them (IPI_CALL_FUNC:
 * init's writes while it is pinned to that CPU, common/kernel/smp.c).
 *
 * Stop: the boot CPU sends an SGI through GICD_SGIR (IPI_CPU_STOP before a kexec reboot,
 * IPI_CPU_CRASH_STOP from machine_crash_shutdown()). The secondary takes it at its IRQ vector,
 * reads GICC_IAR (banked per CPU), saves its registers with crash_save_cpu() (crash stop only),
 * marks itself offline and leaves with PSCI CPU_OFF.
 *
 * A capture kernel (is_kdump_kernel()) leaves the secondaries off, like maxcpus=1: they were
 * stopped by the crashed kernel. With one possible CPU nothing here runs at all.
 */
#include <kernel/sched.h>
#include <kernel/arch.h>
#include <kernel/crash_core.h>
#include <kernel/crash_dump.h>
#include <kernel/io.h>
#include <kernel/printk.h>
#include <kernel/serial_core.h>
#include <kernel/smp.h>
#include <kdsim/stage.h>
#include <asm/barrier.h>
#include <asm/board.h>
#include <asm/memory.h>
#include <asm/psci.h>
#include <asm/smp.h>
#include <asm/sysreg.h>

#define MPIDR_HWID_BITMASK UL(0xff00ffffff)

/* GICv2 (docs/devices.md): distributor and the banked CPU interface, via the device window. */
#define GICD_BASE ((void __iomem *)(DEVICE_VIRT_BASE + VIRT_GIC_DIST_PHYS))
#define GICC_BASE ((void __iomem *)(DEVICE_VIRT_BASE + VIRT_GIC_CPU_PHYS))
#define GIC_DIST_CTRL 0x000
#define GIC_DIST_ENABLE_SET 0x100
#define GIC_DIST_TARGET 0x800
#define GIC_DIST_SOFTINT 0xf00
#define GIC_CPU_CTRL 0x000
#define GIC_CPU_INTACK 0x00c
#define GIC_CPU_EOI 0x010
#define GICC_IAR_INT_ID_MASK 0x3ff
#define GICC_INT_SPURIOUS 1023

/* Bounded waits. Linux waits 5 s for a secondary to come up (loop iterations here) and
 * USEC_PER_SEC for the stop IPIs to be answered: one second of CNTVCT, the instruction clock. */
#define SECONDARY_BOOT_LOOPS 20000000UL

extern char secondary_entry[];
extern u64 reserved_pg_dir[];

/* Set by the boot CPU once the GIC is enabled; until then an IRQ is counted and ignored. */
static volatile bool gic_enabled;
static unsigned long irq_count;


static u64 boot_cpu_hwid; /* __cpu_logical_map[0] */

void set_cpu_logical_map(unsigned int cpu, u64 hwid)
{
	if (cpu == 0)
		boot_cpu_hwid = hwid;
}

/* The boot CPU's Aff0 and 0 swap places; every other CPU is its Aff0 (asm/smp.h). */
u64 cpu_logical_map(unsigned int cpu)
{
	if (cpu == 0)
		return boot_cpu_hwid;
	return cpu == boot_cpu_hwid ? 0 : cpu;
}

int smp_processor_id(void)
{
	u64 hwid = read_sysreg(mpidr_el1) & 0xff; /* Aff0 = the CPU interface number on this board */
	return (int)(hwid == boot_cpu_hwid ? 0 : hwid == 0 ? boot_cpu_hwid : hwid);
}

/* A logical CPU mask as GIC CPU interface bits. */
static unsigned long cpu_targets(unsigned long mask)
{
	unsigned long targets = 0;
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if ((mask >> cpu) & 1)
			targets |= 1UL << cpu_logical_map(cpu);
	return targets;
}

static void gic_cpu_if_up(void)
{
	writel(1, io_offset(GICC_BASE, GIC_CPU_CTRL));
}

/* Mirrors gic_ipi_send_mask(): TargetListFilter 0, CPUTargetList = mask, SGIINTID = ipi. */
static void smp_cross_call(unsigned long mask, unsigned int ipi)
{
	dsb(ishst); /* the targets must see our stores before the interrupt */
	u32 targets = (u32)cpu_targets(mask) & 0xff;
	writel((targets << 16) | (ipi & 0xf), io_offset(GICD_BASE, GIC_DIST_SOFTINT));
}

static unsigned long other_online_cpus(void)
{
	return __cpu_online_mask & ~(1UL << smp_processor_id());
}

/* cpu_park_loop(): interrupts masked, wfi forever. */
static void __noreturn cpu_park_loop(void)
{
	__asm__ __volatile__("msr daifset, #0xf" ::: "memory");
	for (;;)
		__asm__ __volatile__("wfi" ::: "memory");
}

/* cpu_psci_cpu_die(): PSCI CPU_OFF does not return on success. */
static void __noreturn cpu_die(unsigned int cpu)
{
	unsigned long ret = psci_invoke(PSCI_0_2_FN_CPU_OFF, 0, 0, 0);
	pr_crit("CPU%u: PSCI CPU_OFF failed: %ld\n", cpu, (long)ret);
	cpu_park_loop();
}

/* IPI_CPU_STOP: local_cpu_stop(). */
static void __noreturn local_cpu_stop(unsigned int cpu)
{
	set_cpu_online(cpu, false);
	__asm__ __volatile__("msr daifset, #0xf" ::: "memory"); /* local_daif_mask() */
	cpu_die(cpu);
}

/* crash_smp_send_stop() waits for this to reach zero (Linux: an atomic_t count of CPUs). */
static volatile unsigned long waiting_for_crash_ipi;

/* IPI_CPU_CRASH_STOP: ipi_cpu_crash_stop(). Unlike IPI_CPU_STOP the CPU stays in the online mask
 * (6.1 does not clear it here), so crash and drgn see every CPU of the crashed kernel. */
static void __noreturn ipi_cpu_crash_stop(unsigned int cpu, struct pt_regs *regs)
{
	crash_save_cpu(regs, (int)cpu);
	kdsim_stage(STAGE_MACHINE_CRASH_SHUTDOWN, crash_notes_phys(cpu), (u64)cpu);
	__atomic_and_fetch(&waiting_for_crash_ipi, ~(1UL << cpu), __ATOMIC_SEQ_CST); /* atomic_dec() */
	__asm__ __volatile__("msr daifset, #0xf" ::: "memory"); /* local_irq_disable() */
	dsb(ish);
	cpu_die(cpu); /* __cpu_try_die(): PSCI CPU_OFF */
}

static void do_handle_IPI(unsigned int ipinr, struct pt_regs *regs)
{
	unsigned int cpu = (unsigned int)smp_processor_id();

	switch (ipinr) {
	case IPI_CALL_FUNC:
		generic_smp_call_function_single_interrupt();
		break;
	case IPI_CPU_STOP:
		local_cpu_stop(cpu);
	case IPI_CPU_CRASH_STOP:
		ipi_cpu_crash_stop(cpu, regs);
	default:
		pr_crit("CPU%u: Unknown IPI message 0x%x\n", cpu, ipinr);
		break;
	}
}

/*
 * Mirrors gic_handle_irq(): SGIs are EOIed before they are handled (a stop never returns); an
 * SPI goes through handle_fasteoi_irq(): its handler, then the EOI. The one SPI in use is the
 * console UART's.
 */
void handle_arch_irq(struct pt_regs *regs)
{
	if (!gic_enabled) {
		irq_count++; /* no interrupt controller in use: an injected IRQ is ignored */
		return;
	}
	u32 irqstat = readl(io_offset(GICC_BASE, GIC_CPU_INTACK));
	u32 irqnr = irqstat & GICC_IAR_INT_ID_MASK;
	if (irqnr == GICC_INT_SPURIOUS) {
		irq_count++;
		return;
	}
	if (irqnr < 16) {
		writel(irqstat, io_offset(GICC_BASE, GIC_CPU_EOI));
		isb();
		do_handle_IPI(irqnr, regs);
		return;
	}
	if (irqnr == VIRT_UART_IRQ)
		serial_console_interrupt();
	else
		irq_count++;
	writel(irqstat, io_offset(GICC_BASE, GIC_CPU_EOI));
}

/* The C part of a secondary's start (secondary_start_kernel()), on its own stack. */
void __noreturn secondary_start_kernel(unsigned long cpu);
void __noreturn secondary_start_kernel(unsigned long cpu)
{
	/* cpu_uninstall_idmap(): TTBR0 = the empty table the boot CPU cleared. */
	write_sysreg(virt_to_phys(reserved_pg_dir), ttbr0_el1);
	isb();
	__asm__ __volatile__("dsb nshst\n\ttlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");

	gic_cpu_if_up();
	extern char secondary_stacks[];
	sched_set_idle_stack((unsigned int)cpu, secondary_stacks + (cpu << SECONDARY_STACK_SHIFT));
	pr_info("CPU%lu: Booted secondary processor 0x%010lx [0x%08x]\n", cpu,
	        (unsigned long)(read_sysreg(mpidr_el1) & MPIDR_HWID_BITMASK),
	        (u32)read_sysreg(midr_el1));
	dsb(ish);
	set_cpu_online((unsigned int)cpu, true);
	dsb(ish);

	/* cpu_startup_entry(CPUHP_AP_ONLINE_IDLE): IRQs on, wfi until an IPI arrives. */
	__asm__ __volatile__("msr daifclr, #2" ::: "memory");
	for (;;)
		__asm__ __volatile__("wfi" ::: "memory");
}

/* Mirrors __cpu_up() with cpu_psci_cpu_boot(): CPU_ON, then wait for it to come online. */
static int __cpu_up(unsigned int cpu)
{
	long ret = (long)psci_invoke(PSCI_0_2_FN64_CPU_ON, cpu_logical_map(cpu),
	                             virt_to_phys(secondary_entry), cpu);
	if (ret) {
		pr_err("psci: failed to boot CPU%u (%ld)\n", cpu, ret);
		pr_err("CPU%u: failed to boot: %d\n", cpu, -5 /* -EIO */);
		return -5;
	}
	for (unsigned long i = 0; i < SECONDARY_BOOT_LOOPS && !cpu_online(cpu); i++)
		cpu_relax();
	if (!cpu_online(cpu)) {
		pr_crit("CPU%u: failed to come online\n", cpu);
		return -5;
	}
	return 0;
}

/*
 * gic_dist_init() / gic_cpu_init(): the distributor and this CPU's interface on, every SPI
 * targeted at the boot CPU. Linux does it in init_IRQ() whatever the CPU count: the UART's
 * interrupt needs it as much as the IPIs do.
 */
static void gic_init(void)
{
	u32 me = (u32)cpu_targets(1); /* gic_get_cpumask(): this CPU's interface */
	for (unsigned int i = 32; i < 64; i += 4)
		writel(me * 0x01010101u, io_offset(GICD_BASE, GIC_DIST_TARGET + i));
	writel(1, io_offset(GICD_BASE, GIC_DIST_CTRL));
	gic_cpu_if_up();
	gic_enabled = true;
	dsb(ish);
}

/* gic_unmask_irq(): set the interrupt's bit in GICD_ISENABLERn. */
void gic_enable_irq(unsigned int irq)
{
	writel(1u << (irq % 32), io_offset(GICD_BASE, GIC_DIST_ENABLE_SET + (irq / 32) * 4));
}

void smp_init(void)
{
	gic_init();
	if (nr_cpu_ids < 2)
		return;
#ifdef CONFIG_CRASH_DUMP
	if (is_kdump_kernel()) {
		pr_info("smp: kdump capture kernel: secondary CPUs stay off (maxcpus=1)\n");
		return;
	}
#endif
	pr_info("smp: Bringing up secondary CPUs ...\n");
	for (unsigned int cpu = 1; cpu < nr_cpu_ids; cpu++)
		__cpu_up(cpu);
	unsigned int n = num_online_cpus();
	pr_info("smp: Brought up 1 node, %u CPU%s\n", n, n > 1 ? "s" : "");
	pr_info("SMP: Total of %u processors activated.\n", n);
	pr_info("CPU: All CPU(s) started at EL1\n");
}

void arch_send_call_function_single_ipi(int cpu)
{
	smp_cross_call(1UL << cpu, IPI_CALL_FUNC);
}

/* "%*pbl" of a cpumask (lib/bitmap-str.c bitmap_print_list): "1-3,5". */
static void cpumask_list(char *buf, unsigned long mask)
{
	size_t n = 0;
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!((mask >> cpu) & 1))
			continue;
		unsigned int last = cpu;
		while (last + 1 < NR_CPUS && (mask >> (last + 1)) & 1)
			last++;
		if (n)
			buf[n++] = ',';
		buf[n++] = (char)('0' + cpu);
		if (last > cpu) {
			buf[n++] = '-';
			buf[n++] = (char)('0' + last);
		}
		cpu = last;
	}
	buf[n] = '\0';
}

#define USEC_PER_SEC 1000000UL

/*
 * The wait of smp_send_stop() and crash_smp_send_stop() (arch/arm64/kernel/smp.c, 6.1): up to
 * USEC_PER_SEC until `pending()` is 0 (the other CPUs went offline / answered the crash IPI),
 * then the warning with the mask the IPI went to (6.1 prints that whole mask). Linux counts
 * udelay(1) calls; here the microseconds left are computed from CNTVCT (the instruction clock)
 * each time round, so the wait is one second of machine time, and the countdown, live in a
 * register, keeps the machine's spin detection from taking the wait for a spin.
 */
static void wait_for_other_cpus_to_stop(unsigned long (*pending)(void), unsigned long mask)
{
	u64 ticks_per_us = read_sysreg(cntfrq_el0) / USEC_PER_SEC;
	u64 start = read_sysreg(cntvct_el0);
	unsigned long timeout = USEC_PER_SEC;
	if (!ticks_per_us)
		ticks_per_us = 1;
	while (pending() && timeout) {
		cpu_relax();
		u64 us = (read_sysreg(cntvct_el0) - start) / ticks_per_us;
		timeout = us < USEC_PER_SEC ? USEC_PER_SEC - us : 0;
	}
	if (pending()) {
		char list[2 * NR_CPUS + 1] = "";
		cpumask_list(list, mask);
		pr_warn("SMP: failed to stop secondary CPUs %s\n", list);
	}
}

/* Mirrors smp_send_stop() (machine_shutdown() before kexec -e): IPI_CPU_STOP, wait. */
void smp_send_stop(void)
{
	unsigned long mask = other_online_cpus();
	if (!mask)
		return;
	pr_crit("SMP: stopping secondary CPUs\n");
	smp_cross_call(mask, IPI_CPU_STOP);
	wait_for_other_cpus_to_stop(other_online_cpus, mask);
}

static unsigned long crash_ipi_pending(void)
{
	return waiting_for_crash_ipi;
}

/* Mirrors crash_smp_send_stop(): IPI_CPU_CRASH_STOP to every other online CPU, each saves its
 * registers into its crash_notes and powers off (staying in the online mask); a CPU that does
 * not answer (interrupts masked) keeps running, and its crash_notes stay as they were (zeroed
 * at boot). */
void crash_smp_send_stop(void)
{
	static int cpus_stopped;

	/* This function can be called twice in panic path, but obviously we execute this only
	 * once. */
	if (cpus_stopped)
		return;
	cpus_stopped = 1;

	/* If this cpu is the only one alive at this point in time, online or not, there are no
	 * stop messages to be sent around, so just back out. */
	if (num_online_cpus() == 1)
		return;

	unsigned long mask = other_online_cpus();
	waiting_for_crash_ipi = mask;
	dsb(ish);
	pr_crit("SMP: stopping secondary CPUs\n");
	smp_cross_call(mask, IPI_CPU_CRASH_STOP);
	wait_for_other_cpus_to_stop(crash_ipi_pending, mask);
}
