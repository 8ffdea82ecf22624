// SPDX-License-Identifier: MIT
/*
 * Address translation helpers and user page tables (mirrors arch/arm64/mm/mmu.c,
 * include/asm/memory.h and pgtable.h, reduced to 4-level 4 KiB tables, VA_BITS = 48).
 */
#include <kernel/arch.h>
#include <kernel/memblock.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <asm/barrier.h>
#include <asm/board.h>
#include <asm/memory.h>
#include <asm/pgtable-hwdef.h>
#include <asm/setup.h>
#include <asm/sysreg.h>
#include <asm-generic/errno-base.h>

#define LINEAR_MAP_END PAGE_END

extern u64 reserved_pg_dir[];

phys_addr_t virt_to_phys(const volatile void *addr)
{
	unsigned long va = (unsigned long)addr;
	if (va >= KIMAGE_VADDR && va < (unsigned long)_end)
		return va - kimage_voffset; /* __pa_symbol() */
	if (va >= PAGE_OFFSET && va < LINEAR_MAP_END)
		return va - PAGE_OFFSET + PHYS_OFFSET; /* __pa() of a linear address */
	return (phys_addr_t)-1;
}

void *phys_to_virt(phys_addr_t pa)
{
	return (void *)__phys_to_virt(pa);
}

void __iomem *ioremap(phys_addr_t pa, size_t size)
{
	if (pa < BOARD_DEVICE_PHYS_START || pa >= BOARD_DEVICE_PHYS_END ||
	    size > BOARD_DEVICE_PHYS_END - pa)
		return NULL;
	return (void __iomem *)(DEVICE_VIRT_BASE + pa);
}

static void local_flush_tlb_all(void)
{
	dsb(nshst);
	__asm__ __volatile__("tlbi vmalle1" ::: "memory");
	dsb(nsh);
	isb();
}

/* Mirrors cpu_uninstall_idmap(): TTBR0 -> an empty table once we run from TTBR1. */
void cpu_uninstall_idmap(void)
{
	/* NOBITS outside .bss: nothing else guarantees it is zero (a kexec loader need not). */
	memset(reserved_pg_dir, 0, PAGE_SIZE);
	write_sysreg(virt_to_phys(reserved_pg_dir), ttbr0_el1);
	isb();
	local_flush_tlb_all();
}

int arch_mm_init(struct mm_struct *mm)
{
	u64 *pgd = memblock_alloc(PAGE_SIZE, PAGE_SIZE);
	if (!pgd)
		return -ENOMEM;
	mm->pgd = virt_to_phys(pgd);
	return 0;
}

/* The next-level table behind *entry, allocating an empty one when absent. */
static u64 *table_at(u64 *entry)
{
	if (!(*entry & PTE_VALID)) {
		u64 *next = memblock_alloc(PAGE_SIZE, PAGE_SIZE);
		if (!next)
			return NULL;
		*entry = virt_to_phys(next) | PTE_TYPE_TABLE;
		return next;
	}
	if ((*entry & PTE_TYPE_TABLE) != PTE_TYPE_TABLE)
		return NULL; /* a block is in the way */
	return phys_to_virt(*entry & PTE_ADDR_MASK);
}

extern u64 init_pg_dir[];

/*
 * Mirrors vmemmap_populate() with section mappings (ARM64_SWAPPER_USES_SECTION_MAPS): one
 * 2 MiB block of the vmemmap in the kernel's TTBR1 tables, not executable. The kernel writes
 * struct pages through the linear map; the block is there for the dump tools' table walks.
 */
int vmemmap_populate_pmd(unsigned long addr, phys_addr_t phys)
{
	u64 *pud = table_at(&init_pg_dir[(addr >> PGDIR_SHIFT) & TABLE_INDEX_MASK]);
	if (!pud)
		return -ENOMEM;
	u64 *pmd = table_at(&pud[(addr >> PUD_SHIFT) & TABLE_INDEX_MASK]);
	if (!pmd)
		return -ENOMEM;
	pmd[(addr >> PMD_SHIFT) & TABLE_INDEX_MASK] = phys | PROT_SECT_NORMAL_NX;
	dsb(ishst);
	return 0;
}

static u64 user_pte_prot(unsigned int prot)
{
	u64 pte = PTE_TYPE_PAGE | PTE_AF | PTE_SHARED | PTE_ATTRINDX(MT_NORMAL) | PTE_USER |
	          PTE_NG | PTE_PXN;
	if (!(prot & USER_PROT_WRITE))
		pte |= PTE_RDONLY;
	if (!(prot & USER_PROT_EXEC))
		pte |= PTE_UXN;
	return pte;
}

int arch_map_user_range(struct mm_struct *mm, unsigned long va, phys_addr_t pa, size_t size,
                        unsigned int prot)
{
	if ((va | pa | size) & (PAGE_SIZE - 1) || va >= TASK_SIZE || size > TASK_SIZE - va)
		return -EINVAL;
	u64 *pgd = phys_to_virt(mm->pgd);
	u64 attrs = user_pte_prot(prot);
	for (size_t off = 0; off < size; off += PAGE_SIZE) {
		unsigned long addr = va + off;
		u64 *pud = table_at(&pgd[(addr >> PGDIR_SHIFT) & TABLE_INDEX_MASK]);
		if (!pud)
			return -ENOMEM;
		u64 *pmd = table_at(&pud[(addr >> PUD_SHIFT) & TABLE_INDEX_MASK]);
		if (!pmd)
			return -ENOMEM;
		u64 *pte = table_at(&pmd[(addr >> PMD_SHIFT) & TABLE_INDEX_MASK]);
		if (!pte)
			return -ENOMEM;
		pte[(addr >> PAGE_SHIFT) & TABLE_INDEX_MASK] = (pa + off) | attrs;
	}
	return 0;
}

void arch_switch_mm(struct mm_struct *mm)
{
	write_sysreg(mm->pgd, ttbr0_el1); /* ASID 0: flush everything on a switch */
	isb();
	local_flush_tlb_all();
}
