// SPDX-License-Identifier: MIT
/*
 * x86 SMP bring-up (mirrors native_smp_prepare_cpus(), do_boot_cpu(),
 * wakeup_secondary_cpu_via_init(), announce_cpu(), start_secondary() and smp_cpus_done() of
 * arch/x86/kernel/smpboot.c, setup_real_mode() of arch/x86/realmode/init.c, reduced).
 *
 * The boot CPU copies the trampoline (realmode/trampoline_64.S) to TRAMPOLINE_PHYS, then wakes
 * each CPU the MADT listed with INIT, INIT de-assert and two STARTUP IPIs to its APIC ID. The AP
 * goes real mode -> protected mode -> long mode on trampoline_pgd, reaches secondary_startup_64,
 * and start_secondary() on its own stack: its IDT, its per-CPU block (GS base), its local APIC,
 * online, then the idle loop (hlt with interrupts enabled) until an NMI stops it (crash.c).
 * One CPU is brought up at a time (smpboot_cpu/smpboot_stack, Linux's smpboot_control and
 * initial_stack). A capture kernel (is_kdump_kernel()) leaves the other CPUs stopped.
 */
#include <kernel/sched.h>
#include <kernel/arch.h>
#include <kernel/crash_dump.h>
#include <kernel/memblock.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <asm/apic.h>
#include <asm/barrier.h>
#include <asm/memory.h>
#include <asm/msr-index.h>
#include <asm/processor.h>
#include <asm/segment.h>

/* Linux places the real-mode blob in a page below 1 MiB reserved by reserve_real_mode(); the
 * whole first MiB is reserved here (setup_arch()). */
#define TRAMPOLINE_PHYS 0x9a000UL
#define THREAD_SIZE 0x4000UL
/* Bounded waits (iterations; time is the instruction count). Linux waits 10 s for an AP. */
#define BOOT_CPU_LOOPS 20000000UL

extern const char trampoline_start[], trampoline_end[], trampoline_startup_32[], trampoline_startup_64[];
extern char tr_gdt[], tr_gdt_descr[], tr_startup_32[], tr_startup_64[], tr_cr3[], tr_target[];
extern char secondary_startup_64[];
extern u64 init_top_pgt[];
extern u64 gdt_page[];
void idt_load(void);

/* Read by secondary_startup_64 (the CPU being brought up and where it starts). */
u64 smpboot_cr3;
unsigned long smpboot_stack;
unsigned long smpboot_cpu;
const struct {
	u16 limit;
	unsigned long base;
} __attribute__((packed)) smpboot_gdt_descr = { GDT_ENTRIES * 8 - 1, (unsigned long)gdt_page };

/* Each AP's stack, allocated at bring-up (Linux: the idle thread's stack, fork_idle()). */
static unsigned long ap_stack_top[NR_CPUS];
static struct x86_pcpu ap_pcpu[NR_CPUS];

/* Linux reads %gs:pcpu_hot.cpu_number; here the per-CPU block's address says which CPU. */
int smp_processor_id(void)
{
	unsigned long gs = rdmsr(MSR_GS_BASE);
	for (unsigned int cpu = 1; cpu < NR_CPUS; cpu++)
		if (gs == (unsigned long)&ap_pcpu[cpu])
			return (int)cpu;
	return 0;
}

static void *trampoline_field(const char *field)
{
	return __va(TRAMPOLINE_PHYS + (unsigned long)(field - trampoline_start));
}

/*
 * setup_real_mode() + init_trampoline(): copy, relocate the tr_* fields, build the PML4
 * (Linux's trampoline_pgd: the kernel's PML4 plus the identity map of low memory in slot 0;
 * allocated below 4 GiB, as the 32-bit trampoline loads it into CR3).
 */
static bool setup_real_mode(void)
{
	phys_addr_t pgd = memblock_phys_alloc_range(PAGE_SIZE, PAGE_SIZE, 0, 0x100000000ULL);
	if (!pgd) {
		pr_err("smpboot: no page below 4 GiB for trampoline_pgd\n");
		return false;
	}
	u64 *trampoline_pgd = __va(pgd);
	memcpy(trampoline_pgd, init_top_pgt, PAGE_SIZE);
	trampoline_pgd[0] = init_top_pgt[(PAGE_OFFSET >> PGDIR_SHIFT) & 511];
	memcpy(__va(TRAMPOLINE_PHYS), trampoline_start, (size_t)(trampoline_end - trampoline_start));
	const u32 base = (u32)TRAMPOLINE_PHYS;
	*(u32 *)((u8 *)trampoline_field(tr_gdt_descr) + 2) = base + (u32)(tr_gdt - trampoline_start);
	*(u32 *)trampoline_field(tr_startup_32) = base + (u32)(trampoline_startup_32 - trampoline_start);
	*(u32 *)trampoline_field(tr_startup_64) = base + (u32)(trampoline_startup_64 - trampoline_start);
	*(u64 *)trampoline_field(tr_cr3) = pgd;
	*(u64 *)trampoline_field(tr_target) = (u64)secondary_startup_64;
	smpboot_cr3 = virt_to_phys(init_top_pgt);
	return true;
}

/* wakeup_secondary_cpu_via_init(): 0 when both STARTUPs were accepted. */
static u32 wakeup_secondary_cpu_via_init(u32 phys_apicid, unsigned long start_eip)
{
	u32 send_status, accept_status = 0;

	/* Be paranoid about clearing APIC errors. */
	apic_write(APIC_ESR, 0);
	apic_read(APIC_ESR);
	apic_icr_write(APIC_INT_LEVELTRIG | APIC_INT_ASSERT | APIC_DM_INIT, phys_apicid);
	send_status = safe_apic_wait_icr_idle();
	apic_icr_write(APIC_INT_LEVELTRIG | APIC_DM_INIT, phys_apicid);
	send_status |= safe_apic_wait_icr_idle();
	mb();
	for (int j = 1; j <= 2; j++) {
		apic_write(APIC_ESR, 0);
		apic_icr_write(APIC_DM_STARTUP | (u32)(start_eip >> 12), phys_apicid);
		send_status |= safe_apic_wait_icr_idle();
		apic_write(APIC_ESR, 0);
		accept_status = apic_read(APIC_ESR) & 0xef;
		if (send_status || accept_status)
			break;
	}
	if (send_status)
		pr_err("APIC never delivered???\n");
	if (accept_status)
		pr_err("APIC delivery error (%x)\n", accept_status);
	return send_status | accept_status;
}

/* do_boot_cpu(): announce_cpu()'s " #N", wake it, wait until it marks itself online. */
static int do_boot_cpu(unsigned int cpu)
{
	pr_cont(cpu == 1 ? "#%u" : " #%u", cpu); /* announce_cpu() */
	phys_addr_t stack = memblock_phys_alloc(THREAD_SIZE, THREAD_SIZE);
	if (!stack)
		return -12; /* -ENOMEM */
	ap_stack_top[cpu] = (unsigned long)__va(stack) + THREAD_SIZE;
	smpboot_cpu = cpu;
	smpboot_stack = ap_stack_top[cpu];
	mb();
	if (wakeup_secondary_cpu_via_init(x86_cpu_to_apicid[cpu], TRAMPOLINE_PHYS))
		return -5; /* -EIO */
	for (unsigned long i = 0; i < BOOT_CPU_LOOPS && !cpu_online(cpu); i++)
		cpu_relax();
	return cpu_online(cpu) ? 0 : -5;
}

/* start_secondary() + cpu_startup_entry(): the AP's C entry, on the stack do_boot_cpu() gave it. */
void __noreturn start_secondary(unsigned long cpu);
void __noreturn start_secondary(unsigned long cpu)
{
	idt_load();
	ap_pcpu[cpu].top_of_stack = ap_stack_top[cpu];
	sched_set_idle_stack((unsigned int)cpu, (void *)(ap_stack_top[cpu] - THREAD_SIZE));
	wrmsr(MSR_GS_BASE, (unsigned long)&ap_pcpu[cpu]);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	setup_local_APIC();
	mb();
	set_cpu_online((unsigned int)cpu, true);
	mb();
	/* do_idle() -> default_idle(): "sti; hlt" until an interrupt, forever. */
	for (;;)
		__asm__ __volatile__("sti; hlt" ::: "memory");
}

/* smp_init() + native_smp_prepare_cpus() + smp_cpus_done(). */
void smp_init(void)
{
	if (!x86_apic_present)
		return;
	setup_local_APIC();
	if (nr_cpu_ids == 1)
		return;
	if (is_kdump_kernel()) {
		pr_info("smp: kdump capture kernel: secondary CPUs stay off (maxcpus=1)\n");
		return;
	}
	pr_info("smp: Bringing up secondary CPUs ...\n");
	if (!setup_real_mode())
		return;
	pr_info("x86: Booting SMP configuration:\n");
	pr_info(".... node  #0, CPUs:      ");
	for (unsigned int cpu = 1; cpu < nr_cpu_ids; cpu++) {
		int err = do_boot_cpu(cpu);
		if (err) {
			pr_cont("\n");
			pr_err("smpboot: do_boot_cpu failed(%d) to wakeup CPU#%u\n", err, cpu);
			pr_info(".... node  #0, CPUs:      ");
		}
	}
	pr_cont("\n");
	pr_info("smp: Brought up 1 node, %u CPUs\n", num_online_cpus());
}
