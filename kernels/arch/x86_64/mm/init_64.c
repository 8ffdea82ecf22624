// SPDX-License-Identifier: MIT
/*
 * Address translation helpers and user page tables (mirrors arch/x86/mm/physaddr.c,
 * ioremap.c, pgtable.c and pgd_alloc(), reduced to 4-level 4 KiB tables).
 *
 * Unicorn 2.0.1 rules (machine/cpu/x86_64/x86_64_cpu.h): every leaf maps linearly, user VAs
 * stay away from RAM addresses (init lives above 64 GiB), and a VA never changes its PA.
 */
#include <kernel/arch.h>
#include <kernel/memblock.h>
#include <kernel/mm.h>
#include <kernel/mmzone.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <asm/board.h>
#include <asm/memory.h>
#include <asm/pgtable_types.h>
#include <asm/processor.h>
#include <asm/setup.h>
#include <asm-generic/errno-base.h>

phys_addr_t virt_to_phys(const volatile void *addr)
{
	unsigned long va = (unsigned long)addr;
	if (va >= KIMAGE_VADDR && va < (unsigned long)_end)
		return va - KIMAGE_VADDR + kimage_phys_base; /* __pa_symbol() */
	if (va >= PAGE_OFFSET && va - PAGE_OFFSET < direct_map_size)
		return va - PAGE_OFFSET; /* __pa() of a direct-map address */
	return (phys_addr_t)-1;
}

void *phys_to_virt(phys_addr_t pa)
{
	return __va(pa);
}

/* The device window lies in the direct map (it covers the whole 32-bit space). */
void __iomem *ioremap(phys_addr_t pa, size_t size)
{
	bool kdsim_slots = pa >= BOARD_DEVICE_PHYS_START && pa < BOARD_DEVICE_PHYS_END &&
	                   size <= BOARD_DEVICE_PHYS_END - pa;
	bool hpet = pa >= PC_HPET_PHYS && pa < PC_HPET_PHYS + PC_HPET_SIZE &&
	            size <= PC_HPET_PHYS + PC_HPET_SIZE - pa;
	if (!kdsim_slots && !hpet)
		return NULL;
	return (void __iomem *)__va(pa);
}

/*
 * Grow the direct map so that it covers [0, end) (whole GiB, at most DIRECT_MAP_MAX_GB): the
 * capture kernel's stand-in for ioremap_cache() of old memory above what head_64.S mapped (its
 * e820 holds only the crash region, so the boot direct map stops at 4 GiB). The new 1 GiB
 * entries go into head_64.S's level3_direct_pgt pages, which init_top_pgt and every user PML4
 * share, so the mapping is visible everywhere at once. Returns false beyond the PUD pages or
 * the CPU's MAXPHYADDR.
 */
extern u64 level3_direct_pgt[];

bool x86_direct_map_extend(phys_addr_t end)
{
	if (end <= direct_map_size)
		return true;
	u64 gb_end = ALIGN(end, PUD_SIZE) >> PUD_SHIFT;
	if (gb_end > DIRECT_MAP_MAX_GB || gb_end > (UL(1) << (x86_phys_bits - PUD_SHIFT)))
		return false; /* beyond the PUD pages, or at/above MAXPHYADDR (reserved PTE bits) */
	for (u64 g = direct_map_size >> PUD_SHIFT; g < gb_end; g++)
		level3_direct_pgt[g] = (g << PUD_SHIFT) | __PAGE_KERNEL_LARGE_EXEC;
	direct_map_size = gb_end << PUD_SHIFT;
	write_cr3(__read_cr3()); /* __flush_tlb_all() */
	return true;
}

/* The kernel-only table behind *entry (no _PAGE_USER), allocated empty when absent. */
static u64 *kernel_table_at(u64 *entry)
{
	if (!(*entry & _PAGE_PRESENT)) {
		u64 *next = memblock_alloc(PAGE_SIZE, PAGE_SIZE);
		if (!next)
			return NULL;
		*entry = virt_to_phys(next) | _KERNPG_TABLE;
		return next;
	}
	return (*entry & _PAGE_PSE) ? NULL : __va(*entry & PTE_PFN_MASK);
}

/*
 * Mirrors vmemmap_populate_hugepages(): one 2 MiB PMD leaf of the vmemmap in init_top_pgt
 * (the user PML4s copy its kernel half later). Only the dump tools walk it: the kernel writes
 * struct pages through the direct map, since Unicorn 2.0.1 ignores a walk's result on x86_64.
 */
int vmemmap_populate_pmd(unsigned long addr, phys_addr_t phys)
{
	u64 *pud = kernel_table_at(&init_top_pgt[(addr >> PGDIR_SHIFT) & (PTRS_PER_TABLE - 1)]);
	if (!pud)
		return -ENOMEM;
	u64 *pmd = kernel_table_at(&pud[(addr >> PUD_SHIFT) & (PTRS_PER_TABLE - 1)]);
	if (!pmd)
		return -ENOMEM;
	pmd[(addr >> PMD_SHIFT) & (PTRS_PER_TABLE - 1)] = phys | __PAGE_KERNEL_LARGE_EXEC;
	return 0;
}

/* Mirrors zone_sizes_init() (arch/x86/mm/init.c): DMA below 16 MiB, DMA32 below 4 GiB. */
void arch_zone_limits(unsigned long *max_zone_pfn)
{
	unsigned long end_pfn = (unsigned long)(memblock_end_of_DRAM() >> PAGE_SHIFT);
	max_zone_pfn[ZONE_DMA] = min(UL(0x1000000) >> PAGE_SHIFT, end_pfn); /* MAX_DMA_PFN */
	max_zone_pfn[ZONE_DMA32] = min(UL(0x100000000) >> PAGE_SHIFT, end_pfn); /* MAX_DMA32_PFN */
	max_zone_pfn[ZONE_NORMAL] = end_pfn;
}

/* Mirrors pgd_alloc(): an empty user half plus the kernel half of swapper's PML4. */
int arch_mm_init(struct mm_struct *mm)
{
	u64 *pgd = memblock_alloc(PAGE_SIZE, PAGE_SIZE);
	if (!pgd)
		return -ENOMEM;
	memcpy(pgd + PTRS_PER_TABLE / 2, init_top_pgt + PTRS_PER_TABLE / 2,
	       PTRS_PER_TABLE / 2 * sizeof(u64));
	mm->pgd = virt_to_phys(pgd);
	return 0;
}

/* The next-level table behind *entry, allocating an empty one when absent. */
static u64 *table_at(u64 *entry)
{
	if (!(*entry & _PAGE_PRESENT)) {
		u64 *next = memblock_alloc(PAGE_SIZE, PAGE_SIZE);
		if (!next)
			return NULL;
		*entry = virt_to_phys(next) | _PAGE_TABLE;
		return next;
	}
	if (*entry & _PAGE_PSE)
		return NULL; /* a large page is in the way */
	return __va(*entry & PTE_PFN_MASK);
}

int arch_map_user_range(struct mm_struct *mm, unsigned long va, phys_addr_t pa, size_t size,
                        unsigned int prot)
{
	if ((va | pa | size) & (PAGE_SIZE - 1) || va >= TASK_SIZE || size > TASK_SIZE - va)
		return -EINVAL;
	u64 *pgd = __va(mm->pgd);
	/* No NX: CPUID reports none on Unicorn 2.0.1, so USER_PROT_EXEC is implied by READ. */
	u64 attrs = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED;
	if (prot & USER_PROT_WRITE)
		attrs |= _PAGE_RW | _PAGE_DIRTY;
	for (size_t off = 0; off < size; off += PAGE_SIZE) {
		unsigned long addr = va + off;
		u64 *pud = table_at(&pgd[(addr >> PGDIR_SHIFT) & (PTRS_PER_TABLE - 1)]);
		if (!pud)
			return -ENOMEM;
		u64 *pmd = table_at(&pud[(addr >> PUD_SHIFT) & (PTRS_PER_TABLE - 1)]);
		if (!pmd)
			return -ENOMEM;
		u64 *pte = table_at(&pmd[(addr >> PMD_SHIFT) & (PTRS_PER_TABLE - 1)]);
		if (!pte)
			return -ENOMEM;
		pte[(addr >> PAGE_SHIFT) & (PTRS_PER_TABLE - 1)] = (pa + off) | attrs;
	}
	return 0;
}

/* Mirrors switch_mm(): load CR3 (flushes the non-global TLB entries). */
void arch_switch_mm(struct mm_struct *mm)
{
	write_cr3(mm->pgd);
}
