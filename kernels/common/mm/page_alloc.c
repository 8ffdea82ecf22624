// SPDX-License-Identifier: MIT
/*
 * The buddy allocator's view of memory (mirrors mm/page_alloc.c of Linux 6.1, one node):
 * contig_page_data and its zones (free_area_init()), every struct page initialised
 * (memmap_init(): reserved pages PG_reserved), free memory handed to the buddy free lists
 * (memblock_free_all() -> __free_one_page(): head page PageBuddy with its order in private,
 * linked on zone->free_area[order].free_list[MIGRATE_MOVABLE]). makedumpfile -d 16 drops free
 * pages by exactly these marks; crash's kmem -f/-i walks the lists and counters.
 *
 * The toy kernel keeps allocating through memblock after mem_init(); memblock then calls
 * page_alloc_claim_range()/page_alloc_release_range() so that the memmap stays true: a page
 * the kernel allocated is never on a free list.
 *
 * Struct pages of free tail pages stay all zero (Linux: the zone bits, _mapcount -1): the
 * tools only look at a free block's head page and skip its 2^order pages. Zero is what a
 * fresh page holds, so the memmap costs almost no stores on first boot; after kexec -l the
 * RAM is dirty and memmap_clear() zeroes what is not.
 */
#include <kernel/init.h>
#include <kernel/memblock.h>
#include <kernel/mm.h>
#include <kernel/mmzone.h>
#include <kernel/nodemask.h>
#include <kernel/page-flags.h>
#include <kernel/printk.h>

struct pglist_data contig_page_data = { .node_id = 0 };

/* Node 0 is possible, online, has memory and CPUs (node_states_set_node()). */
nodemask_t node_states[NR_NODE_STATES] = {
	[N_POSSIBLE] = { { 1 } },
	[N_ONLINE] = { { 1 } },
	[N_NORMAL_MEMORY] = { { 1 } },
	[N_MEMORY] = { { 1 } },
	[N_CPU] = { { 1 } },
};

static const char *const zone_names[MAX_NR_ZONES] = { "DMA", "DMA32", "Normal", "Movable",
	                                              "Device" };

static bool buddy_live;

static struct zone *pfn_zone(unsigned long pfn)
{
	struct zone *z = contig_page_data.node_zones;
	for (int i = 0; i < MAX_NR_ZONES; i++)
		if (pfn >= z[i].zone_start_pfn && pfn - z[i].zone_start_pfn < z[i].spanned_pages)
			return &z[i];
	return &z[ZONE_DMA];
}

static unsigned long zone_bits(const struct zone *z)
{
	return (unsigned long)(z - contig_page_data.node_zones) << ZONES_PGSHIFT;
}

static bool page_is_buddy_head(const struct page *p, unsigned int order)
{
	return (p->page_type & (PAGE_TYPE_BASE | PG_buddy)) == PAGE_TYPE_BASE && p->private == order;
}

static void del_page_from_free_list(struct page *p, struct zone *z, unsigned int order)
{
	list_del(&p->buddy_list);
	p->page_type = 0;
	p->private = 0;
	p->flags = 0;
	z->free_area[order].nr_free--;
	z->vm_stat[NR_FREE_PAGES].counter -= 1L << order;
}

static void add_to_free_list(struct page *p, struct zone *z, unsigned int order)
{
	p->flags = zone_bits(z);
	p->_refcount.counter = 0;
	p->page_type = (unsigned int)PAGE_BUDDY_MAPCOUNT_VALUE; /* __SetPageBuddy() */
	p->private = order;                                      /* set_buddy_order() */
	list_add(&p->buddy_list, &z->free_area[order].free_list[MIGRATE_MOVABLE]);
	z->free_area[order].nr_free++;
	z->vm_stat[NR_FREE_PAGES].counter += 1L << order;
}

/* Mirrors __free_one_page(): merge with free buddies of the same order, then list the block. */
static void __free_one_page(unsigned long pfn, unsigned int order)
{
	struct zone *z = pfn_zone(pfn);
	while (order < MAX_ORDER - 1) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		if (!pfn_has_memmap(buddy_pfn) || pfn_zone(buddy_pfn) != z)
			break;
		struct page *buddy = pfn_to_page(buddy_pfn);
		if (!page_is_buddy_head(buddy, order))
			break;
		del_page_from_free_list(buddy, z, order);
		pfn &= buddy_pfn;
		order++;
	}
	add_to_free_list(pfn_to_page(pfn), z, order);
}

/* Free [start, end) as the largest naturally aligned blocks (__free_pages_memory()). */
static void free_pfn_range(unsigned long start, unsigned long end)
{
	while (start < end) {
		unsigned int order = (unsigned int)__builtin_ctzl(start | (1UL << (MAX_ORDER - 1)));
		while (start + (1UL << order) > end)
			order--;
		__free_one_page(start, order);
		start += 1UL << order;
	}
}

/* A page in use by the kernel: one reference, not mapped (init_page_count()). */
static void set_page_allocated(struct page *p, unsigned long flags)
{
	p->flags = flags;
	p->_mapcount.counter = -1;
	p->_refcount.counter = 1;
}

/* Zero the struct pages that are not zero yet (loads are cheap in the simulator, stores not). */
static void memmap_clear(struct page *p, unsigned long n)
{
	for (; n; n--, p++) {
		const u64 *w = (const u64 *)p;
		if (w[0] | w[1] | w[2] | w[3] | w[4] | w[5] | w[6] | w[7])
			*p = (struct page){ 0 };
	}
}

/* The clamped [start, end) part of the memmap-covered pfns. */
static void clamp_to_memmap(unsigned long *start, unsigned long *end)
{
	unsigned long limit = (unsigned long)(memmap_limit() >> PAGE_SHIFT);
	if (*end > limit)
		*end = limit;
}

/* Mark [start, end) PG_reserved (mirrors reserve_bootmem_region() / init_unavailable_range()). */
static void reserve_pfn_range(unsigned long start, unsigned long end)
{
	clamp_to_memmap(&start, &end);
	for (unsigned long pfn = start; pfn < end; pfn++) {
		if (!pfn_has_memmap(pfn)) { /* a hole section: skip to the next one */
			pfn |= PAGES_PER_SECTION - 1;
			continue;
		}
		set_page_allocated(pfn_to_page(pfn), zone_bits(pfn_zone(pfn)) | 1UL << PG_reserved);
	}
}

/* Mirrors zone_sizes_init() + free_area_init(): the zones' spans inside node 0. */
static void __init zones_init(void)
{
	unsigned long max_zone_pfn[MAX_NR_ZONES] = { 0 };
	struct pglist_data *pgdat = &contig_page_data;
	unsigned long node_start = (unsigned long)(memblock_start_of_DRAM() >> PAGE_SHIFT);
	unsigned long node_end = (unsigned long)(memblock_end_of_DRAM() >> PAGE_SHIFT);
	unsigned long lo = node_start;

	arch_zone_limits(max_zone_pfn);
	pgdat->node_start_pfn = node_start;
	pgdat->node_spanned_pages = node_end - node_start;
	pgdat->node_present_pages = (unsigned long)(memblock_phys_mem_size() >> PAGE_SHIFT);
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &pgdat->node_zones[i];
		unsigned long hi = max(lo, min(max_zone_pfn[i], node_end));
		z->name = zone_names[i];
		z->zone_pgdat = pgdat;
		z->zone_start_pfn = hi > lo ? lo : 0;
		z->spanned_pages = hi - lo;
		z->present_pages = z->spanned_pages ? memblock_pages_in(lo, hi) : 0;
		for (int o = 0; o < MAX_ORDER; o++)
			for (int t = 0; t < MIGRATE_TYPES; t++)
				INIT_LIST_HEAD(&z->free_area[o].free_list[t]);
		if (z->spanned_pages)
			pgdat->nr_zones = i + 1;
		lo = hi;
	}
}

/* One free range of memblock: memmap pages go to the buddy, the rest stays reserved. */
static void free_range_cb(phys_addr_t base, phys_addr_t end, void *arg)
{
	unsigned long *cursor = arg;
	unsigned long start = (unsigned long)(ALIGN(base, PAGE_SIZE) >> PAGE_SHIFT);
	unsigned long stop = (unsigned long)(ALIGN_DOWN(end, PAGE_SIZE) >> PAGE_SHIFT);
	reserve_pfn_range(*cursor, start);
	clamp_to_memmap(&start, &stop);
	if (start < stop)
		free_pfn_range(start, stop);
	if (stop > *cursor)
		*cursor = stop;
}

/*
 * Mirrors free_area_init() (memmap_init()) + mem_init()'s memblock_free_all(): every struct page
 * of the memmap initialised, reserved and hole pages PG_reserved, free ranges to the buddy.
 * From here on memblock allocates only below memmap_limit() and tells the buddy.
 */
void __init memblock_free_all(void)
{
	unsigned long first = (unsigned long)(memblock_start_of_DRAM() >> PAGE_SHIFT);
	unsigned long cursor = first & ~(PAGES_PER_SECTION - 1);
	unsigned long end = (unsigned long)(memmap_limit() >> PAGE_SHIFT);

	zones_init();
	for (unsigned long pfn = cursor; pfn < end; pfn += PAGES_PER_SECTION)
		if (pfn_has_memmap(pfn))
			memmap_clear(pfn_to_page(pfn), PAGES_PER_SECTION);
	for_each_free_mem_range(free_range_cb, &cursor);
	reserve_pfn_range(cursor, end);
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &contig_page_data.node_zones[i];
		z->managed_pages.counter = z->vm_stat[NR_FREE_PAGES].counter;
	}
	memblock_set_current_limit(memmap_limit());
	buddy_live = true;
}

/* memblock allocated [base, base + size) at run time: take it off the free lists. */
void page_alloc_claim_range(phys_addr_t base, phys_addr_t size)
{
	if (!buddy_live)
		return;
	unsigned long start = (unsigned long)(base >> PAGE_SHIFT);
	unsigned long end = (unsigned long)((base + size + PAGE_SIZE - 1) >> PAGE_SHIFT);
	clamp_to_memmap(&start, &end);
	for (unsigned long pfn = start; pfn < end; pfn++) {
		if (!pfn_has_memmap(pfn))
			continue;
		/* The free block holding pfn (if any): its head is pfn aligned down to its order. */
		for (unsigned int order = 0; order < MAX_ORDER; order++) {
			unsigned long head = pfn & ~((1UL << order) - 1);
			struct page *hp = pfn_to_page(head);
			if (!page_is_buddy_head(hp, order))
				continue;
			struct zone *z = pfn_zone(head);
			del_page_from_free_list(hp, z, order); /* expand(): re-free what stays free */
			free_pfn_range(head, pfn);
			free_pfn_range(pfn + 1, head + (1UL << order));
			break;
		}
		set_page_allocated(pfn_to_page(pfn), zone_bits(pfn_zone(pfn)));
	}
}

/* memblock freed [base, base + size) at run time (kexec's pages): back to the buddy. */
void page_alloc_release_range(phys_addr_t base, phys_addr_t size)
{
	if (!buddy_live)
		return;
	unsigned long start = (unsigned long)(ALIGN(base, PAGE_SIZE) >> PAGE_SHIFT);
	unsigned long end = (unsigned long)(ALIGN_DOWN(base + size, PAGE_SIZE) >> PAGE_SHIFT);
	clamp_to_memmap(&start, &end);
	for (unsigned long pfn = start; pfn < end; pfn++)
		if (pfn_has_memmap(pfn))
			*pfn_to_page(pfn) = (struct page){ 0 };
	for (unsigned long pfn = start; pfn < end; pfn++)
		if (pfn_has_memmap(pfn))
			free_pfn_range(pfn, pfn + 1);
}
