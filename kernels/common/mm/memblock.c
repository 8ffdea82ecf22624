// SPDX-License-Identifier: MIT
/*
 * Boot memory allocator (mirrors mm/memblock.c, reduced): sorted, non-merged region arrays;
 * allocation is top-down like Linux's default, and never frees.
 */
#include <kernel/memblock.h>
#include <kernel/printk.h>
#include <kernel/arch.h>
#include <kernel/compiler.h>
#include <kernel/string.h>
#include <asm-generic/errno-base.h>
#include <asm/memory.h>

struct memblock memblock = {
	.memory = { .name = "memory" },
	.reserved = { .name = "reserved" },
};

/* Mirrors memblock_merge_regions(): coalesce neighbours that touch or overlap. */
static void memblock_merge_regions(struct memblock_type *type)
{
	unsigned int i = 0;
	while (i + 1 < type->cnt) {
		struct memblock_region *this = &type->regions[i];
		struct memblock_region *next = &type->regions[i + 1];
		if (this->base + this->size < next->base) {
			i++;
			continue;
		}
		phys_addr_t end = max(this->base + this->size, next->base + next->size);
		this->size = end - this->base;
		memmove(next, next + 1, (type->cnt - (i + 2)) * sizeof(*next));
		type->cnt--;
	}
	type->total_size = 0;
	for (i = 0; i < type->cnt; i++)
		type->total_size += type->regions[i].size;
}

static int memblock_insert(struct memblock_type *type, phys_addr_t base, phys_addr_t size)
{
	if (!size)
		return 0;
	if (base + size < base)
		return -EINVAL;
	if (type->cnt >= MEMBLOCK_MAX_REGIONS)
		return -ENOSPC;
	unsigned int i = 0;
	while (i < type->cnt && type->regions[i].base < base)
		i++;
	memmove(&type->regions[i + 1], &type->regions[i],
	        (type->cnt - i) * sizeof(struct memblock_region));
	type->regions[i].base = base;
	type->regions[i].size = size;
	type->cnt++;
	memblock_merge_regions(type);
	return 0;
}

/* Mirrors memblock_remove_range() (splitting regions as needed). */
static int memblock_remove_range(struct memblock_type *type, phys_addr_t base, phys_addr_t size)
{
	phys_addr_t end = base + size;
	if (!size)
		return 0;
	for (unsigned int i = 0; i < type->cnt; i++) {
		struct memblock_region *r = &type->regions[i];
		phys_addr_t rb = r->base, re = r->base + r->size;
		if (re <= base || rb >= end)
			continue;
		if (rb < base && re > end) { /* split in two */
			if (type->cnt >= MEMBLOCK_MAX_REGIONS)
				return -ENOSPC;
			memmove(r + 1, r, (type->cnt - i) * sizeof(*r));
			type->cnt++;
			r->size = base - rb;
			r[1].base = end;
			r[1].size = re - end;
			break;
		}
		if (rb < base) {
			r->size = base - rb;
		} else if (re > end) {
			r->base = end;
			r->size = re - end;
		} else {
			memmove(r, r + 1, (type->cnt - i - 1) * sizeof(*r));
			type->cnt--;
			i--;
		}
	}
	memblock_merge_regions(type);
	return 0;
}

int memblock_phys_free(phys_addr_t base, phys_addr_t size)
{
	return memblock_remove_range(&memblock.reserved, base, size);
}

bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size)
{
	for (unsigned int i = 0; i < memblock.reserved.cnt; i++) {
		const struct memblock_region *r = &memblock.reserved.regions[i];
		if (r->base < base + size && base < r->base + r->size)
			return true;
	}
	return false;
}

int memblock_add(phys_addr_t base, phys_addr_t size)
{
	return memblock_insert(&memblock.memory, base, size);
}

int memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	return memblock_insert(&memblock.reserved, base, size);
}

int memblock_cap_memory_range(phys_addr_t base, phys_addr_t size)
{
	struct memblock_type *type = &memblock.memory;
	phys_addr_t end = base + size;
	if (end < base)
		return -EINVAL;
	unsigned int out = 0;
	type->total_size = 0;
	for (unsigned int i = 0; i < type->cnt; i++) {
		phys_addr_t rb = max(type->regions[i].base, base);
		phys_addr_t re = min(type->regions[i].base + type->regions[i].size, end);
		if (rb >= re)
			continue;
		type->regions[out].base = rb;
		type->regions[out].size = re - rb;
		type->total_size += re - rb;
		out++;
	}
	type->cnt = out;
	return 0;
}

/* The highest reserved region overlapping [base, end), or NULL. */
static const struct memblock_region *reserved_overlap(phys_addr_t base, phys_addr_t end)
{
	const struct memblock_region *hit = NULL;
	for (unsigned int i = 0; i < memblock.reserved.cnt; i++) {
		const struct memblock_region *r = &memblock.reserved.regions[i];
		if (r->base < end && base < r->base + r->size)
			hit = r;
	}
	return hit;
}

/*
 * Mirrors memblock_phys_alloc_range(): top-down, the highest aligned free block of size bytes
 * inside [start, end) (end 0 = no limit); reserved on success; 0 on failure.
 */
phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align, phys_addr_t start,
                                      phys_addr_t end)
{
	if (!size)
		return 0;
	size = ALIGN(size, align);
	if (!end)
		end = ~(phys_addr_t)0;
	if (memblock.current_limit && end > memblock.current_limit)
		end = memblock.current_limit;
	if (start < memblock.current_base)
		start = memblock.current_base;
	for (int i = (int)memblock.memory.cnt - 1; i >= 0; i--) {
		const struct memblock_region *m = &memblock.memory.regions[i];
		phys_addr_t lo = max(m->base, start);
		phys_addr_t hi = min(m->base + m->size, end);
		if (hi <= lo || hi - lo < size)
			continue;
		phys_addr_t cand = ALIGN_DOWN(hi - size, align);
		while (cand >= lo) {
			const struct memblock_region *r = reserved_overlap(cand, cand + size);
			if (!r) {
				if (memblock_reserve(cand, size))
					return 0;
				return cand;
			}
			if (r->base < size || r->base - size < lo)
				break;
			cand = ALIGN_DOWN(r->base - size, align);
		}
	}
	return 0;
}

phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align)
{
	return memblock_phys_alloc_range(size, align, 0, 0);
}

void *memblock_alloc(phys_addr_t size, phys_addr_t align)
{
	phys_addr_t pa = memblock_phys_alloc(size, align);
	if (!pa)
		return NULL;
	void *va = phys_to_virt(pa);
	memset(va, 0, size);
	return va;
}

phys_addr_t memblock_phys_mem_size(void)
{
	return memblock.memory.total_size;
}

phys_addr_t memblock_start_of_DRAM(void)
{
	return memblock.memory.cnt ? memblock.memory.regions[0].base : 0;
}

phys_addr_t memblock_end_of_DRAM(void)
{
	unsigned int n = memblock.memory.cnt;
	return n ? memblock.memory.regions[n - 1].base + memblock.memory.regions[n - 1].size : 0;
}

void memblock_set_current_range(phys_addr_t base, phys_addr_t limit)
{
	memblock.current_base = base;
	memblock.current_limit = limit;
}

void for_each_free_mem_range(void (*fn)(phys_addr_t base, phys_addr_t end, void *arg), void *arg)
{
	for (unsigned int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *m = &memblock.memory.regions[i];
		phys_addr_t base = m->base, end = m->base + m->size;
		/* reserved is sorted and merged: walk it once per memory region */
		for (unsigned int j = 0; j < memblock.reserved.cnt && base < end; j++) {
			const struct memblock_region *r = &memblock.reserved.regions[j];
			if (r->base + r->size <= base || r->base >= end)
				continue;
			if (r->base > base)
				fn(base, r->base, arg);
			base = r->base + r->size;
		}
		if (base < end)
			fn(base, end, arg);
	}
}

unsigned long memblock_pages_in(unsigned long start, unsigned long end)
{
	unsigned long n = 0;
	for (unsigned int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *m = &memblock.memory.regions[i];
		unsigned long lo = max((unsigned long)(m->base >> PAGE_SHIFT), start);
		unsigned long hi = min((unsigned long)((m->base + m->size) >> PAGE_SHIFT), end);
		if (hi > lo)
			n += hi - lo;
	}
	return n;
}

static unsigned long totalram;

void memblock_snapshot_totalram(void)
{
	totalram = (unsigned long)((memblock.memory.total_size - memblock.reserved.total_size) >>
	                           PAGE_SHIFT);
}

unsigned long totalram_pages(void)
{
	return totalram;
}

/* The "Early memory node ranges" lines free_area_init() (mm/mm_init.c) prints: one node. */
void memblock_print_early_ranges(void)
{
	pr_info("Early memory node ranges\n");
	for (unsigned int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		pr_info("  node   0: [mem 0x%016llx-0x%016llx]\n", (unsigned long long)r->base,
		        (unsigned long long)(r->base + r->size - 1));
	}
}
