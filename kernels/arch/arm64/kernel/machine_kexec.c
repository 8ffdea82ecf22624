// SPDX-License-Identifier: MIT
/*
 * kexec for arm64 (mirrors arch/arm64/kernel/machine_kexec.c and arch_crash_save_vmcoreinfo() of
 * arch/arm64/kernel/vmcore_info.c).
 *
 * Crash images (head == IND_DONE: the segments already sit at their destinations) are entered
 * through cpu_soft_restart(): idmap in TTBR0, MMU off, x0 = dtb (0 for kexec_load images),
 * x1 = x2 = x3 = 0, br entry (the purgatory). Normal images use the pre-5.15 scheme: the
 * relocation routine is copied into the control code page and runs with the MMU off
 * (relocate_kernel.S), since there is no trans_pgd here.
 */
#include <kernel/kexec.h>
#include <kernel/arch.h>
#include <kernel/crash_core.h>
#include <kernel/crash_reserve.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kdsim/stage.h>
#include <asm/barrier.h>
#include <asm/memory.h>
#include <asm/setup.h>
#include <asm/smp.h>
#include <asm/sysreg.h>

#define CPACR_EL1_FPEN (UL(3) << 20)

/* dcache_clean_inval_poc(): clean and invalidate [start, end) to the point of coherency. */
static void dcache_clean_inval_poc(unsigned long start, unsigned long end)
{
	u64 ctr = read_sysreg(ctr_el0);
	unsigned long line = 4UL << ((ctr >> 16) & 0xf);
	for (unsigned long p = start & ~(line - 1); p < end; p += line)
		__asm__ __volatile__("dc civac, %0" ::"r"(p) : "memory");
	dsb(sy);
}

static void kexec_segment_flush(const struct kimage *kimage)
{
	for (unsigned long i = 0; i < kimage->nr_segments; i++) {
		unsigned long va = (unsigned long)phys_to_virt(kimage->segment[i].mem);
		dcache_clean_inval_poc(va, va + kimage->segment[i].memsz);
	}
}

/* Secondaries leave through PSCI CPU_OFF (smp.c), so none can be stuck in the kernel. */
static bool cpus_are_stuck_in_kernel(void)
{
	return false;
}

int machine_kexec_prepare(struct kimage *kimage)
{
	if (kimage->type != KEXEC_TYPE_CRASH && cpus_are_stuck_in_kernel()) {
		pr_err("Can't kexec: CPUs are stuck in the kernel.\n");
		return -16; /* -EBUSY */
	}

	return 0;
}

int machine_kexec_post_load(struct kimage *kimage)
{
	if (kimage->head & IND_DONE) {
		kexec_segment_flush(kimage);
		return 0;
	}

	/* Pre-5.15: the MMU-off relocation routine goes into the control code page. */
	void *reloc_code = phys_to_virt(kimage->control_code_page);
	memcpy(reloc_code, arm64_relocate_new_kernel, arm64_relocate_new_kernel_size);
	kimage->arch.kern_reloc = kimage->control_code_page;
	dcache_clean_inval_poc((unsigned long)reloc_code,
	                       (unsigned long)reloc_code + arm64_relocate_new_kernel_size);
	__asm__ __volatile__("ic iallu\n\tdsb nsh\n\tisb" ::: "memory");
	return 0;
}

/* Mirrors cpu_install_idmap(): TTBR0 = the identity map of the image (head.S built it). */
static void cpu_install_idmap(void)
{
	write_sysreg(virt_to_phys(idmap_pg_dir), ttbr0_el1);
	isb();
	__asm__ __volatile__("dsb ishst\n\ttlbi vmalle1\n\tdsb ish\n\tisb" ::: "memory");
}

void machine_shutdown(void)
{
	/* smp_shutdown_nonboot_cpus(reboot_cpu): here an IPI_CPU_STOP, each leaves via CPU_OFF. */
	smp_send_stop();
}

/**
 * machine_kexec - Do the kexec reboot.
 *
 * Called from the core kexec code for a sys_reboot with LINUX_REBOOT_CMD_KEXEC, and from
 * __crash_kexec() for a crash image.
 */
void __noreturn machine_kexec(struct kimage *kimage)
{
	typedef void (*restart_fn)(unsigned long, unsigned long, unsigned long, unsigned long,
	                           unsigned long);
	bool in_kexec_crash = (kimage == kexec_crash_image);
	restart_fn restart;

	/* New cpus may have become stuck_in_kernel after we loaded the image. */
	if (!in_kexec_crash && (cpus_are_stuck_in_kernel() || num_online_cpus() > 1))
		panic("kexec: secondary CPUs still online");

	pr_info("Bye!\n");

	__asm__ __volatile__("msr daifset, #0xf" ::: "memory"); /* local_daif_mask() */

	/* The purgatory saves/uses q0-q7 (kexec-tools-purgatory.md 5.2): FP must not trap. */
	write_sysreg(read_sysreg(cpacr_el1) | CPACR_EL1_FPEN, cpacr_el1);
	isb();

	kdsim_stage(STAGE_MACHINE_KEXEC, kimage->start, kimage->arch.dtb_mem);

	/*
	 * Both restart and the relocation routine shut down the MMU and disable data caches.
	 * In the kexec_load case kimage->start points to purgatory assuming that kernel entry
	 * and dtb address are embedded in purgatory by userspace (kexec-tools).
	 */
	cpu_install_idmap();
	restart = (restart_fn)(uintptr_t)virt_to_phys(cpu_soft_restart);
	if (kimage->head & IND_DONE)
		restart(0 /* is_hyp_nvhe() */, kimage->start, kimage->arch.dtb_mem, 0, 0);
	else
		restart(0, kimage->arch.kern_reloc, kimage->head, kimage->start,
		        kimage->arch.dtb_mem);

	/* Should never get here. */
	machine_halt();
}

/**
 * machine_crash_shutdown - shutdown non-crashing cpus and save registers
 */
void machine_crash_shutdown(struct pt_regs *regs)
{
	int cpu = smp_processor_id();

	arch_local_irq_save(); /* local_irq_disable() */

	/* shutdown non-crashing cpus */
	crash_smp_send_stop();

	/* for crashing cpu */
	crash_save_cpu(regs, cpu);
	kdsim_stage(STAGE_MACHINE_CRASH_SHUTDOWN, crash_notes_phys((unsigned int)cpu),
	            (u64)cpu);
	/* machine_kexec_mask_interrupts(): no interrupt controller driver here. */

	pr_info("Starting crashdump kernel...\n");
}

extern u64 init_pg_dir[];

void arch_crash_save_vmcoreinfo(void)
{
	VMCOREINFO_NUMBER(VA_BITS);
	/* Please note VMCOREINFO_NUMBER() uses "%d", not "%x" */
	vmcoreinfo_append_str("NUMBER(MODULES_VADDR)=0x%lx\n", MODULES_VADDR);
	vmcoreinfo_append_str("NUMBER(MODULES_END)=0x%lx\n", MODULES_END);
	vmcoreinfo_append_str("NUMBER(VMALLOC_START)=0x%lx\n", VMALLOC_START);
	vmcoreinfo_append_str("NUMBER(VMALLOC_END)=0x%lx\n", VMALLOC_END);
	vmcoreinfo_append_str("NUMBER(VMEMMAP_START)=0x%lx\n", VMEMMAP_START);
	vmcoreinfo_append_str("NUMBER(VMEMMAP_END)=0x%lx\n", VMEMMAP_END);
	vmcoreinfo_append_str("NUMBER(kimage_voffset)=0x%llx\n", (unsigned long long)kimage_voffset);
	vmcoreinfo_append_str("NUMBER(PHYS_OFFSET)=0x%llx\n", (unsigned long long)PHYS_OFFSET);
	vmcoreinfo_append_str("NUMBER(TCR_EL1_T1SZ)=0x%llx\n", (unsigned long long)(64 - VA_BITS));
	vmcoreinfo_append_str("KERNELOFFSET=%lx\n", 0UL); /* kaslr_offset(): no KASLR */
	/* system_supports_address_auth(): no pointer authentication here. */
	vmcoreinfo_append_str("NUMBER(KERNELPACMASK)=0x%llx\n", 0ULL);
}
