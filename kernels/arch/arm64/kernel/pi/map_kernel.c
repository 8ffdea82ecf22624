// SPDX-License-Identifier: MIT
/*
 * Early page tables, built with the MMU OFF at the image's physical address (mirrors
 * arch/arm64/kernel/pi/map_kernel.c and the old __create_page_tables in head.S).
 *
 * Rules for everything reachable from here: PC-relative addressing only (all symbols are
 * hidden, see kernel/hidden.h), no absolute pointers stored in data, no unaligned accesses
 * (with the MMU off all data accesses are Device memory), nothing in .bss (zeroed later).
 *
 * Result:
 *   init_pg_dir (TTBR1): linear map of RAM at PAGE_OFFSET + (pa - memstart_addr),
 *                        the image at KIMAGE_VADDR, the board device window at
 *                        DEVICE_VIRT_BASE + pa; 1 GiB blocks where aligned, else 2 MiB.
 *   idmap_pg_dir (TTBR0): the image at VA == PA, for the instructions that turn the MMU on
 *                        (kept for the kdump work's cpu_soft_restart).
 */
#include <kernel/compiler.h>
#include <kernel/fdt.h>
#include <kernel/types.h>
#include <asm/board.h>
#include <asm/memory.h>
#include <asm/pgtable-hwdef.h>
#include <asm/setup.h>

/* Written here with the MMU off, read later through the kernel mapping: must not be .bss. */
s64 memstart_addr = -1;
u64 kimage_voffset = KIMAGE_VADDR - KERNEL_LOAD_PHYS;

#define EARLY_MAX_RAM_RANGES 8
#define EARLY_POOL_PAGES 16

/* Pool of pud/pmd tables (after .bss in the image, not zeroed by the loader we trust). */
extern u64 early_pgtable_pool[EARLY_POOL_PAGES][PTRS_PER_TABLE];

struct early_ranges {
	unsigned int n;
	u64 base[EARLY_MAX_RAM_RANGES];
	u64 size[EARLY_MAX_RAM_RANGES];
};

struct early_pool {
	unsigned int used;
};

static void early_halt(void)
{
	/* Nothing can be printed yet; the host's stage record shows where we stopped. */
	for (;;)
		__asm__ __volatile__("wfe");
}

static void clear_table(u64 *table)
{
	for (unsigned int i = 0; i < PTRS_PER_TABLE; i++)
		table[i] = 0;
}

static u64 *early_alloc_table(struct early_pool *pool)
{
	if (pool->used >= EARLY_POOL_PAGES)
		early_halt();
	u64 *t = early_pgtable_pool[pool->used++];
	clear_table(t);
	return t;
}

/* The next-level table behind *entry, taken from the pool when the entry is empty. */
static u64 *early_next_table(u64 *entry, struct early_pool *pool)
{
	if (*entry == 0) {
		u64 *t = early_alloc_table(pool);
		/* MMU off: the table's address is its physical address. */
		*entry = (u64)(uintptr_t)t | PTE_TYPE_TABLE;
		return t;
	}
	if ((*entry & PTE_TYPE_TABLE) != PTE_TYPE_TABLE)
		early_halt(); /* a block is in the way: a layout bug */
	return (u64 *)(uintptr_t)(*entry & PTE_ADDR_MASK);
}

/*
 * Map [va, va + size) -> pa with block descriptors (prot includes the block type bits) under
 * a level-0 table (pgd): 1 GiB pud blocks where aligned, else 2 MiB pmd blocks. Like Linux's
 * map_range() it never writes level-3 pages, so the cost is one descriptor per GiB of RAM.
 */
static void map_blocks(u64 *pgd, struct early_pool *pool, u64 va, u64 pa, u64 size, u64 prot)
{
	while (size) {
		u64 *pud = early_next_table(&pgd[(va >> PGDIR_SHIFT) & TABLE_INDEX_MASK], pool);
		u64 *pude = &pud[(va >> PUD_SHIFT) & TABLE_INDEX_MASK];
		if (IS_ALIGNED(va | pa, PUD_SIZE) && size >= PUD_SIZE && *pude == 0) {
			*pude = pa | prot;
			va += PUD_SIZE;
			pa += PUD_SIZE;
			size -= PUD_SIZE;
			continue;
		}
		u64 *pmd = early_next_table(pude, pool);
		pmd[(va >> PMD_SHIFT) & TABLE_INDEX_MASK] = pa | prot;
		va += PMD_SIZE;
		pa += PMD_SIZE;
		size = size > PMD_SIZE ? size - PMD_SIZE : 0;
	}
}

static void collect_range(u64 base, u64 size, void *ctx)
{
	struct early_ranges *r = ctx;
	if (r->n < EARLY_MAX_RAM_RANGES) {
		r->base[r->n] = base;
		r->size[r->n] = size;
		r->n++;
	}
}

int arm64_scan_memory(const void *fdt, arm64_mem_cb cb, void *ctx)
{
	if (fdt && fdt_check_header(fdt) == 0) {
		int n = fdt_scan_memory(fdt, cb, ctx);
		if (n > 0)
			return n;
	}
	/* x0 = 0 (QEMU ELF boot) or no /memory: QEMU virt's default RAM. */
	cb(VIRT_RAM_PHYS, VIRT_RAM_DEFAULT_SIZE, ctx);
	return 1;
}

void early_map_kernel(phys_addr_t fdt_pa, phys_addr_t phys_base)
{
	struct early_ranges ram = { .n = 0 };
	struct early_pool pool = { .used = 0 };

	if (!IS_ALIGNED(phys_base, MIN_KIMG_ALIGN))
		early_halt(); /* the boot protocol requires a 2 MiB-aligned image */

	arm64_scan_memory((const void *)(uintptr_t)fdt_pa, collect_range, &ram);
	u64 lowest = ram.base[0];
	for (unsigned int i = 1; i < ram.n; i++)
		lowest = min(lowest, ram.base[i]);
	memstart_addr = (s64)ALIGN_DOWN(lowest, ARM64_MEMSTART_ALIGN);
	kimage_voffset = KIMAGE_VADDR - phys_base;

	clear_table(init_pg_dir);
	clear_table(idmap_pg_dir);

	for (unsigned int i = 0; i < ram.n; i++) {
		u64 start = ALIGN(ram.base[i], PMD_SIZE);
		u64 end = ALIGN_DOWN(ram.base[i] + ram.size[i], PMD_SIZE);
		if (end > start)
			map_blocks(init_pg_dir, &pool, __phys_to_virt(start), start, end - start,
			           PROT_SECT_NORMAL_NX);
	}

	u64 image_size = ALIGN((u64)(_end - _text), PMD_SIZE);
	map_blocks(init_pg_dir, &pool, KIMAGE_VADDR, phys_base, image_size, PROT_SECT_NORMAL);
	map_blocks(init_pg_dir, &pool, DEVICE_VIRT_BASE + BOARD_DEVICE_PHYS_START,
	           BOARD_DEVICE_PHYS_START, BOARD_DEVICE_PHYS_END - BOARD_DEVICE_PHYS_START,
	           PROT_SECT_DEVICE);
	map_blocks(idmap_pg_dir, &pool, phys_base, phys_base, image_size, PROT_SECT_NORMAL);
}
