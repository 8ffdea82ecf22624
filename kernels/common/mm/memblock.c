// SPDX-License-Identifier: MIT
/*
 * Boot memory allocator (mirrors mm/memblock.c, reduced): sorted, non-merged region arrays;
 * allocation is top-down like Linux's default, and never frees.
 */
#include <kernel/memblock.h>
#include <kernel/arch.h>
#include <kernel/compiler.h>
#include <kernel/string.h>
#include <asm-generic/errno-base.h>

struct memblock memblock = {
	.memory = { .name = "memory" },
	.reserved = { .name = "reserved" },
};

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
	type->total_size += size;
	return 0;
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

phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align)
{
	size = ALIGN(size, align);
	for (int i = (int)memblock.memory.cnt - 1; i >= 0; i--) {
		const struct memblock_region *m = &memblock.memory.regions[i];
		if (m->size < size)
			continue;
		phys_addr_t cand = ALIGN_DOWN(m->base + m->size - size, align);
		while (cand >= m->base) {
			const struct memblock_region *r = reserved_overlap(cand, cand + size);
			if (!r) {
				if (memblock_reserve(cand, size))
					return 0;
				return cand;
			}
			if (r->base < size || r->base - size < m->base)
				break;
			cand = ALIGN_DOWN(r->base - size, align);
		}
	}
	return 0;
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
