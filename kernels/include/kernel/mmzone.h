/* SPDX-License-Identifier: MIT */
/*
 * Zones, the buddy allocator's free lists, the node and the sparse memory sections (mirrors
 * include/linux/mmzone.h of Linux 6.1, !CONFIG_NUMA, CONFIG_SPARSEMEM_VMEMMAP +
 * CONFIG_SPARSEMEM_EXTREME; only the fields the dump tools read). crash reads them through
 * the DWARF (kmem -i/-f/-z, its page walks); makedumpfile through VMCOREINFO: the
 * mem_section roots to find every struct page, and SIZE/OFFSET lines for free_area.
 */
#ifndef KERNEL_MMZONE_H
#define KERNEL_MMZONE_H

#include <kernel/list.h>
#include <kernel/mm_types.h>
#include <kernel/types.h>
#include <asm/memory.h>
#include <asm/sparsemem.h>

/* Buddy blocks are 2^0 .. 2^(MAX_ORDER - 1) pages (4 MiB at most). */
#define MAX_ORDER 11

/* Debian 6.1 has CONFIG_CMA and CONFIG_MEMORY_ISOLATION: six lists per order. */
enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_PCPTYPES,
	MIGRATE_HIGHATOMIC = MIGRATE_PCPTYPES,
	MIGRATE_CMA,
	MIGRATE_ISOLATE,
	MIGRATE_TYPES
};

struct free_area {
	struct list_head free_list[MIGRATE_TYPES];
	unsigned long nr_free;
};

/* Per-zone counters (crash's kmem -i reads NR_FREE_PAGES through this enum's DWARF). */
enum zone_stat_item {
	NR_FREE_PAGES,
	NR_ZONE_LRU_BASE,
	NR_ZONE_INACTIVE_ANON = NR_ZONE_LRU_BASE,
	NR_ZONE_ACTIVE_ANON,
	NR_ZONE_INACTIVE_FILE,
	NR_ZONE_ACTIVE_FILE,
	NR_ZONE_UNEVICTABLE,
	NR_ZONE_WRITE_PENDING,
	NR_MLOCK,
	NR_BOUNCE,
	NR_ZSPAGES,
	NR_FREE_CMA_PAGES,
	NR_VM_ZONE_STAT_ITEMS
};

/* Debian 6.1 on both arches: CONFIG_ZONE_DMA, CONFIG_ZONE_DMA32, CONFIG_ZONE_DEVICE. */
enum zone_type {
	ZONE_DMA,
	ZONE_DMA32,
	ZONE_NORMAL,
	ZONE_MOVABLE,
	ZONE_DEVICE,
	__MAX_NR_ZONES
};
#define MAX_NR_ZONES __MAX_NR_ZONES
/* page->flags keeps the zone in its top ZONES_WIDTH bits (no node bits without NUMA). */
#define ZONES_WIDTH 3
#define ZONES_PGSHIFT (64 - ZONES_WIDTH)

struct pglist_data;

enum zone_watermarks {
	WMARK_MIN,
	WMARK_LOW,
	WMARK_HIGH,
	WMARK_PROMO,
	NR_WMARK
};

struct zone {
	unsigned long _watermark[NR_WMARK];
	struct pglist_data *zone_pgdat;
	unsigned long zone_start_pfn;
	atomic_long_t managed_pages;
	unsigned long spanned_pages;
	unsigned long present_pages;
	const char *name;
	struct free_area free_area[MAX_ORDER];
	atomic_long_t vm_stat[NR_VM_ZONE_STAT_ITEMS];
};

typedef struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	int nr_zones;
	unsigned long node_start_pfn;
	unsigned long node_present_pages;
	unsigned long node_spanned_pages;
	int node_id;
} pg_data_t;

extern struct pglist_data contig_page_data;

/*
 * SPARSEMEM: physical memory in 2^SECTION_SIZE_BITS sections (128 MiB), each described by a
 * mem_section whose section_mem_map is the encoded memmap pointer (struct page of the
 * section's first pfn minus that pfn; with the vmemmap always `vmemmap`) OR'ed with flags.
 */
struct mem_section_usage;

struct mem_section {
	unsigned long section_mem_map;
	struct mem_section_usage *usage;
};

#define PFN_SECTION_SHIFT (SECTION_SIZE_BITS - PAGE_SHIFT)
#define PAGES_PER_SECTION (1UL << PFN_SECTION_SHIFT)
#define NR_MEM_SECTIONS (1UL << (MAX_PHYSMEM_BITS - SECTION_SIZE_BITS))
/* SPARSEMEM_EXTREME: mem_section is an array of pointers to one page of sections each. */
#define SECTIONS_PER_ROOT (PAGE_SIZE / sizeof(struct mem_section))
#define NR_SECTION_ROOTS ((NR_MEM_SECTIONS + SECTIONS_PER_ROOT - 1) / SECTIONS_PER_ROOT)

extern struct mem_section **mem_section;

/* section_mem_map flag bits (6.1 with CONFIG_ZONE_DEVICE: SECTION_MAP_LAST_BIT is bit 5). */
#define SECTION_MARKED_PRESENT (1UL << 0)
#define SECTION_HAS_MEM_MAP (1UL << 1)
#define SECTION_IS_ONLINE (1UL << 2)
#define SECTION_IS_EARLY (1UL << 3)
#define SECTION_TAINT_ZONE_DEVICE (1UL << 4)
#define SECTION_MAP_LAST_BIT (1UL << 5)
#define SECTION_MAP_MASK (~(SECTION_MAP_LAST_BIT - 1))

#endif /* KERNEL_MMZONE_H */
