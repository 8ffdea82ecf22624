// SPDX-License-Identifier: MIT
/*
 * kexec for x86_64 (mirrors arch/x86/kernel/machine_kexec_64.c, ~6.15: init_pgtable(),
 * init_transition_pgtable(), machine_kexec_prepare(), machine_kexec(); and
 * arch_crash_save_vmcoreinfo() of arch/x86/kernel/vmcore_info_64.c).
 *
 * The identity page table is built at load time from control pages (alloc_pgt_page(): for a
 * crash image they come from the crashkernel= region, so the hand-off never depends on
 * memory the crashed kernel may have scribbled on):
 *   - every RAM range memblock knows (Linux: pfn_mapped[]), 1 GiB pages (init_pgtable() sets
 *     info.direct_gbpages when the direct map uses them): a handful of control pages for any
 *     RAM size;
 *   - every segment [mem, mem + memsz);
 *   - the kdsim MMIO window (Linux: map_mmio_serial() maps the debug UART the same way): the
 *     purgatory and relocate_kernel write stages through it at its physical address;
 *   - last, the transition mapping: the control page at its direct-map VA, which is where
 *     machine_kexec() calls the relocate_kernel copy before it switches CR3.
 * The control page holds a copy of relocate_kernel (relocate_kernel_64.S); the rest of the page
 * is its stack.
 */
#include <kernel/kexec.h>
#include <kernel/arch.h>
#include <kernel/crash_core.h>
#include <kernel/memblock.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kdsim/stage.h>
#include <asm/reboot.h>
#include <asm/board.h>
#include <asm/memory.h>
#include <asm/pgtable_types.h>
#include <asm/processor.h>
#include <asm/segment.h>
#include <asm/setup.h>
#include <asm-generic/errno-base.h>

/* Mirrors alloc_pgt_page(): a zeroed control page (from the crash region for crash images). */
static u64 *alloc_pgt_page(struct kimage *image)
{
	phys_addr_t pa = kimage_alloc_control_pages(image, 0);
	if (!pa)
		return NULL;
	u64 *p = phys_to_virt(pa);
	memset(p, 0, PAGE_SIZE);
	return p;
}

/* The table behind *entry, allocating an empty one when absent (ident_p4d/pud_init's role). */
static u64 *ident_next_table(struct kimage *image, u64 *entry)
{
	if (*entry & _PAGE_PRESENT)
		return (*entry & _PAGE_PSE) ? NULL : phys_to_virt(*entry & PTE_PFN_MASK);
	u64 *next = alloc_pgt_page(image);
	if (!next)
		return NULL;
	*entry = virt_to_phys(next) | _KERNPG_TABLE;
	return next;
}

/*
 * Map [va, va + size) -> [pa, ...) with 1 GiB pages, both rounded out to 1 GiB (va - pa must be
 * a multiple of 1 GiB: true of the identity map and of the direct map). Mirrors ident_pud_init()
 * with info->direct_gbpages: a GiB already mapped by an earlier range is left alone.
 */
static int map_large(struct kimage *image, u64 *pgd, unsigned long va, phys_addr_t pa,
                     unsigned long size)
{
	unsigned long end = ALIGN(va + size, PUD_SIZE);
	pa = ALIGN_DOWN(pa, PUD_SIZE);
	for (va = ALIGN_DOWN(va, PUD_SIZE); va < end; va += PUD_SIZE, pa += PUD_SIZE) {
		u64 *pud = ident_next_table(image, &pgd[(va >> PGDIR_SHIFT) & (PTRS_PER_TABLE - 1)]);
		if (!pud)
			return -ENOMEM;
		u64 *entry = &pud[(va >> PUD_SHIFT) & (PTRS_PER_TABLE - 1)];
		if (!(*entry & _PAGE_PRESENT))
			*entry = pa | __PAGE_KERNEL_LARGE_EXEC;
	}
	return 0;
}

/* Mirrors kernel_ident_mapping_init(): VA == PA over [mstart, mend). */
static int kernel_ident_mapping_init(struct kimage *image, u64 *pgd, phys_addr_t mstart,
                                     phys_addr_t mend)
{
	if (mend <= mstart)
		return 0;
	return map_large(image, pgd, mstart, mstart, mend - mstart);
}

/*
 * Mirrors map_mmio_serial(): kdsim's stage port must stay reachable after the CR3 switch
 * (relocate_kernel's IDENTITY_CR3 stage, the purgatory's stages, the next kernel's
 * KERNEL_ENTRY stage before it builds its own tables).
 */
static int map_kdsim_mmio(struct kimage *image, u64 *pgd)
{
	return kernel_ident_mapping_init(image, pgd, BOARD_DEVICE_PHYS_START & PAGE_MASK,
	                                 BOARD_DEVICE_PHYS_END);
}

/* Mirrors init_transition_pgtable(): the control page at the VA machine_kexec() calls it. */
static int init_transition_pgtable(struct kimage *image, u64 *pgd, void *control_page)
{
	return map_large(image, pgd, (unsigned long)control_page, virt_to_phys(control_page),
	                 PAGE_SIZE);
}

static int init_pgtable(struct kimage *image, void *control_page)
{
	int result;

	image->arch.pgd = alloc_pgt_page(image);
	if (!image->arch.pgd)
		return -ENOMEM;

	/* All RAM the direct map covers (Linux: for each pfn_mapped range). */
	for (unsigned int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		result = kernel_ident_mapping_init(image, image->arch.pgd, r->base, r->base + r->size);
		if (result)
			return result;
	}

	/*
	 * segments's mem ranges could be outside 0 ~ max_pfn, for example when jump back to
	 * original kernel from kexeced kernel. or first kernel is booted with user mem map, and
	 * second kernel could be loaded out of that range.
	 */
	for (unsigned long i = 0; i < image->nr_segments; i++) {
		phys_addr_t mstart = image->segment[i].mem;
		phys_addr_t mend = mstart + image->segment[i].memsz;
		result = kernel_ident_mapping_init(image, image->arch.pgd, mstart, mend);
		if (result)
			return result;
	}

	/* No EFI system table, ACPI tables or NVS on the kdsim PC (map_efi_systab, map_acpi_tables). */
	result = map_kdsim_mmio(image, image->arch.pgd);
	if (result)
		return result;

	/*
	 * This must be last because the intermediate page table pages it allocates will not
	 * be control pages and may overlap the image.
	 */
	return init_transition_pgtable(image, image->arch.pgd, control_page);
}

int machine_kexec_prepare(struct kimage *image)
{
	void *control_page = phys_to_virt(image->control_code_page);
	int result;

	/* Setup the identity mapped 64bit page table */
	result = init_pgtable(image, control_page);
	if (result)
		return result;

	/* The relocation code and its data go into the control page (the rest is its stack). */
	memcpy(control_page, relocate_kernel, relocate_kernel_size);
	/* set_memory_rox(): the direct map uses 1 GiB pages here; the copy stays writable. */
	return 0;
}

/* Mirrors machine_kexec_post_load(): nothing to do on x86 (the code was placed at prepare). */
int machine_kexec_post_load(struct kimage *image)
{
	(void)image;
	return 0;
}

/* Mirrors native_machine_shutdown(): stop_other_cpus(); no IOAPIC or HPET to quiesce. */
void machine_shutdown(void)
{
	stop_other_cpus();
}

/* Mirrors load_segments(): every data segment register = __KERNEL_DS. */
static void load_segments(void)
{
	__asm__ __volatile__("movl %0, %%ds\n\t"
	                     "movl %0, %%es\n\t"
	                     "movl %0, %%ss\n\t"
	                     "movl %0, %%fs\n\t"
	                     "movl %0, %%gs\n\t"
	                     :
	                     : "r"(__KERNEL_DS)
	                     : "memory");
}

/*
 * Do not allocate memory (or fail in any way) in machine_kexec(). We are past the point of no
 * return, committed to rebooting now.
 */
void __noreturn machine_kexec(struct kimage *image)
{
	relocate_kernel_fn relocate_kernel_ptr;
	void *control_page = phys_to_virt(image->control_code_page);

	/*
	 * kdsim addition: Linux x86 prints nothing here (arm64 prints "Bye!"); the kdsim kdump
	 * scenarios expect the same marker on both architectures.
	 */
	pr_info("Bye!\n");

	/* Interrupts aren't acceptable while we reboot */
	arch_local_irq_save();
	/* hw_breakpoint_disable(), cet_disable(): nothing armed here. */

	kdsim_stage(STAGE_MACHINE_KEXEC, image->start, 0 /* boot_params: in a segment */);

	/*
	 * The segment registers may contain selectors for descriptors that are no longer
	 * valid once relocate_kernel loads an empty GDT.
	 */
	load_segments();

	/* Now call it: through the control page's copy, at its direct-map VA. */
	relocate_kernel_ptr = (relocate_kernel_fn)control_page;
	relocate_kernel_ptr(image->head, image->control_code_page, image->start,
	                    virt_to_phys(image->arch.pgd), image->preserve_context,
	                    kdsim_stage_base ? KDSIM_STAGE_PHYS : 0);

	/* Should never get here. */
	machine_halt();
}

/* ---- arch/x86/kernel/vmcore_info_64.c ---- */

void arch_crash_save_vmcoreinfo(void)
{
	long phys_base = (long)(kimage_phys_base - KERNEL_LOAD_PHYS);
	long KERNEL_IMAGE_SIZE = 512L << 20; /* !CONFIG_RANDOMIZE_BASE */
	long sme_mask = 0;

	VMCOREINFO_NUMBER(phys_base);
	VMCOREINFO_SYMBOL(init_top_pgt);
	vmcoreinfo_append_str("NUMBER(pgtable_l5_enabled)=%d\n", 0);
	vmcoreinfo_append_str("KERNELOFFSET=%lx\n", 0UL); /* kaslr_offset(): no KASLR */
	VMCOREINFO_NUMBER(KERNEL_IMAGE_SIZE);
	VMCOREINFO_NUMBER(sme_mask);
}
