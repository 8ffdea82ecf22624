// SPDX-License-Identifier: MIT
/*
 * The buddy allocator's view of memory (mirrors mm/page_alloc.c of Linux 6.1, one node):
 * contig_page_data and its zones (free_area_init()), every struct page initialised
 * (memmap_init(): reserved pages PG_reserved), free memory handed to the buddy free lists
 * (memblock_free_all() -> __free_one_page(): head page PageBuddy with its order in private,
 * linked on zone->free_area[order].free_list[MIGRATE_MOVABLE]). makedumpfile -d 16 drops free
 * pages by exactly these marks; crash's kmem -f/-i walks the lists and counters.
 *
 * The toy kernel keeps allocating through memblock after mem_init(). Those allocations come
 * from a kernel pool, the top KERNEL_POOL_SIZE bytes of free memory below memmap_limit(),
 * whose pages are in use in the buddy view (refcount 1, like pages a slab cache holds), so
 * a page the kernel allocated is never on a free list and the view never changes after boot.
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

#define KERNEL_POOL_SIZE (64UL << 20)

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

struct free_walk {
	unsigned long cursor;    /* the first pfn not handled yet */
	unsigned long pool_pfn;  /* the kernel pool's first pfn */
	phys_addr_t free_bytes;  /* free memory below memmap_limit() (first walk) */
};

/* First walk: how much free memory the memmap covers (to place the kernel pool). */
static void count_free_cb(phys_addr_t base, phys_addr_t end, void *arg)
{
	struct free_walk *w = arg;
	end = min(end, memmap_limit());
	if (end > base)
		w->free_bytes += end - base;
}

/* Second walk, the pfn at which the free memory above holds KERNEL_POOL_SIZE bytes. */
static void find_pool_cb(phys_addr_t base, phys_addr_t end, void *arg)
{
	struct free_walk *w = arg;
	end = min(end, memmap_limit());
	if (end <= base)
		return;
	if (w->free_bytes > KERNEL_POOL_SIZE && w->free_bytes - (end - base) <= KERNEL_POOL_SIZE)
		w->pool_pfn = (unsigned long)((end - (KERNEL_POOL_SIZE - (w->free_bytes - (end - base)))) >>
		                              PAGE_SHIFT);
	w->free_bytes -= end - base;
}

/* Pages the kernel pool owns: in use (set_page_allocated()), never on a free list. */
static void pool_pfn_range(unsigned long start, unsigned long end)
{
	for (unsigned long pfn = start; pfn < end; pfn++)
		if (pfn_has_memmap(pfn))
			set_page_allocated(pfn_to_page(pfn), zone_bits(pfn_zone(pfn)));
}

/* Third walk: free memory to the buddy (the pool's part in use), the rest stays reserved. */
static void free_range_cb(phys_addr_t base, phys_addr_t end, void *arg)
{
	struct free_walk *w = arg;
	unsigned long start = (unsigned long)(ALIGN(base, PAGE_SIZE) >> PAGE_SHIFT);
	unsigned long stop = (unsigned long)(ALIGN_DOWN(end, PAGE_SIZE) >> PAGE_SHIFT);
	reserve_pfn_range(w->cursor, start);
	clamp_to_memmap(&start, &stop);
	if (start < stop) {
		unsigned long split = max(start, min(stop, w->pool_pfn));
		free_pfn_range(start, split);
		pool_pfn_range(split, stop);
	}
	if (stop > w->cursor)
		w->cursor = stop;
}

/*
 * Mirrors free_area_init() (memmap_init()) + mem_init()'s memblock_free_all(): every struct page
 * of the memmap initialised, reserved and hole pages PG_reserved, free ranges to the buddy.
 * From here on memblock allocates only from the kernel pool.
 */
void __init memblock_free_all(void)
{
	unsigned long first = (unsigned long)(memblock_start_of_DRAM() >> PAGE_SHIFT);
	struct free_walk w = { .cursor = first & ~(PAGES_PER_SECTION - 1) };
	unsigned long end = (unsigned long)(memmap_limit() >> PAGE_SHIFT);

	zones_init();
	for (unsigned long pfn = w.cursor; pfn < end; pfn += PAGES_PER_SECTION)
		if (pfn_has_memmap(pfn))
			memmap_clear(pfn_to_page(pfn), PAGES_PER_SECTION);
	for_each_free_mem_range(count_free_cb, &w);
	w.pool_pfn = w.cursor; /* less free memory than a pool: all of it is the pool */
	for_each_free_mem_range(find_pool_cb, &w);
	for_each_free_mem_range(free_range_cb, &w);
	reserve_pfn_range(w.cursor, end);
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &contig_page_data.node_zones[i];
		z->managed_pages.counter = z->vm_stat[NR_FREE_PAGES].counter;
	}
	memblock_set_current_range((phys_addr_t)w.pool_pfn << PAGE_SHIFT, memmap_limit());
}
