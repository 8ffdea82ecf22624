// SPDX-License-Identifier: MIT
/*
 * SPARSEMEM with a virtually mapped memmap (mirrors mm/sparse.c and mm/sparse-vmemmap.c,
 * CONFIG_SPARSEMEM_EXTREME + CONFIG_SPARSEMEM_VMEMMAP): the mem_section roots, one
 * mem_section per 128 MiB of RAM, and the struct pages at `vmemmap + pfn`, mapped with 2 MiB
 * blocks in the kernel page tables. crash and makedumpfile find every struct page this way:
 * mem_section[root][i].section_mem_map -> vmemmap VA -> page-table walk -> physical page.
 *
 * kdsim limit (cost): Linux gives every section a memmap, 1/64 of RAM (16 GiB on a 1 TiB
 * machine). Here only the first MEMMAP_MAX_SECTIONS sections (4 GiB of physical address
 * space from the start of RAM) get one; the sections above are marked present without a
 * memmap (no SECTION_HAS_MEM_MAP), and every allocation after mem_init() comes from the
 * kernel pool inside the memmap (page_alloc.c), so the pages the toy kernel allocates at run
 * time all have a struct page. On machines up to 4 GiB (all the scenarios but big_memory) this
 * is Linux's picture exactly. The tools keep the pages of memmap-less sections unfiltered.
 *
 * The kernel itself writes the struct pages through the linear map (pfn_to_page()): on
 * x86_64 Unicorn 2.0.1 only honours linear aliases, so the vmemmap VAs exist only in the
 * page tables, for the dump tools' walks.
 */
#include <kernel/arch.h>
#include <kernel/init.h>
#include <kernel/memblock.h>
#include <kernel/mm.h>
#include <kernel/mmzone.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/string.h>

#define MEMMAP_MAX_SECTIONS 32
/* One section's struct pages: exactly one 2 MiB block of the vmemmap. */
#define SECTION_MEMMAP_SIZE (PAGES_PER_SECTION * sizeof(struct page))
_Static_assert(SECTION_MEMMAP_SIZE == 0x200000, "a section's memmap is one PMD block");

struct mem_section **mem_section;

/* The populated memmap: sections [memmap_first_sec, memmap_end_sec), one 2 MiB block each. */
static unsigned long memmap_first_sec, memmap_end_sec;
static struct page *memmap_lm; /* linear-map alias of memmap_first_sec's first struct page */

static inline unsigned long pfn_to_section_nr(unsigned long pfn)
{
	return pfn >> PFN_SECTION_SHIFT;
}

static inline unsigned long section_nr_to_pfn(unsigned long sec)
{
	return sec << PFN_SECTION_SHIFT;
}

static struct mem_section *__nr_to_section(unsigned long nr)
{
	struct mem_section *root = mem_section[nr / SECTIONS_PER_ROOT];
	return root ? &root[nr % SECTIONS_PER_ROOT] : NULL;
}

/* Mirrors sparse_index_init(): a root page of sections on first use. */
static struct mem_section *sparse_index_init(unsigned long nr)
{
	struct mem_section **root = &mem_section[nr / SECTIONS_PER_ROOT];
	if (!*root)
		*root = memblock_alloc(PAGE_SIZE, PAGE_SIZE);
	return *root ? &(*root)[nr % SECTIONS_PER_ROOT] : NULL;
}

/* Mirrors memory_present(): every section holding RAM is marked present. */
static int __init memory_present(void)
{
	for (unsigned int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		unsigned long first = pfn_to_section_nr(r->base >> PAGE_SHIFT);
		unsigned long last = pfn_to_section_nr((r->base + r->size - 1) >> PAGE_SHIFT);
		for (unsigned long nr = first; nr <= last && nr < NR_MEM_SECTIONS; nr++) {
			struct mem_section *ms = sparse_index_init(nr);
			if (!ms)
				return -1;
			ms->section_mem_map |= SECTION_MARKED_PRESENT;
		}
	}
	return 0;
}

bool pfn_has_memmap(unsigned long pfn)
{
	unsigned long nr = pfn_to_section_nr(pfn);
	if (nr < memmap_first_sec || nr >= memmap_end_sec)
		return false;
	const struct mem_section *ms = __nr_to_section(nr);
	return ms && (ms->section_mem_map & SECTION_HAS_MEM_MAP);
}

struct page *pfn_to_page(unsigned long pfn)
{
	return memmap_lm + (pfn - section_nr_to_pfn(memmap_first_sec));
}

unsigned long page_to_pfn(const struct page *page)
{
	return section_nr_to_pfn(memmap_first_sec) + (unsigned long)(page - memmap_lm);
}

phys_addr_t memmap_limit(void)
{
	return (phys_addr_t)section_nr_to_pfn(memmap_end_sec) << PAGE_SHIFT;
}

/*
 * Mirrors sparse_init_one_section() after vmemmap_populate(): map the section's 2 MiB of
 * struct pages at vmemmap + its first pfn, and record the encoded memmap (sparse_encode_mem_map()
 * of a vmemmap section is vmemmap itself) with the early-section flags.
 */
static int __init sparse_init_one_section(unsigned long nr, phys_addr_t map_phys)
{
	struct mem_section *ms = __nr_to_section(nr);
	unsigned long addr = (unsigned long)(vmemmap + section_nr_to_pfn(nr));
	if (vmemmap_populate_pmd(addr, map_phys))
		return -1;
	ms->section_mem_map = (unsigned long)vmemmap | SECTION_MARKED_PRESENT | SECTION_HAS_MEM_MAP |
	                      SECTION_IS_ONLINE | SECTION_IS_EARLY;
	return 0;
}

/* The first present section and the end of the populated range (capped). */
static void __init memmap_range(void)
{
	unsigned long first = pfn_to_section_nr(memblock_start_of_DRAM() >> PAGE_SHIFT);
	unsigned long end = pfn_to_section_nr((memblock_end_of_DRAM() - 1) >> PAGE_SHIFT) + 1;
	memmap_first_sec = first;
	memmap_end_sec = min(end, first + MEMMAP_MAX_SECTIONS);
}

/* Mirrors sparse_init(): present sections, then their memmap (one PMD block each). */
void __init sparse_init(void)
{
	mem_section = memblock_alloc(NR_SECTION_ROOTS * sizeof(*mem_section), PAGE_SIZE);
	if (!mem_section || memory_present())
		panic("sparse_init: cannot allocate the mem_section roots");
	memmap_range();
	size_t map_bytes = (memmap_end_sec - memmap_first_sec) * PAGES_PER_SECTION * sizeof(struct page);
	phys_addr_t map = memblock_phys_alloc(map_bytes, SECTION_MEMMAP_SIZE);
	if (!map)
		panic("sparse_init: cannot allocate 0x%zx bytes of memmap", map_bytes);
	memmap_lm = phys_to_virt(map);
	for (unsigned long nr = memmap_first_sec; nr < memmap_end_sec; nr++) {
		const struct mem_section *ms = __nr_to_section(nr);
		if (!ms || !(ms->section_mem_map & SECTION_MARKED_PRESENT))
			continue;
		if (sparse_init_one_section(nr, map + (nr - memmap_first_sec) * SECTION_MEMMAP_SIZE))
			panic("sparse_init: cannot map the vmemmap of section %lu", nr);
	}
	if (memmap_end_sec < pfn_to_section_nr((memblock_end_of_DRAM() - 1) >> PAGE_SHIFT) + 1)
		pr_info("kdsim: memmap for [mem 0x%016llx-0x%016llx] only; sections above have none\n",
		        (unsigned long long)section_nr_to_pfn(memmap_first_sec) << PAGE_SHIFT,
		        (unsigned long long)memmap_limit() - 1);
}
