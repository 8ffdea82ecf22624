/* SPDX-License-Identifier: MIT */
/*
 * Page flags and page types (mirrors include/linux/page-flags.h of Linux 6.1 with Debian's
 * config: CONFIG_MMU, CONFIG_MEMORY_FAILURE; x86_64 also CONFIG_ARCH_USES_PG_UNCACHED, so
 * PG_hwpoison is 23 there and 22 on arm64). VMCOREINFO's NUMBER(PG_*) lines carry the values
 * makedumpfile's -d filter uses; crash reads the enum from the DWARF (kmem -p flag names).
 */
#ifndef KERNEL_PAGE_FLAGS_H
#define KERNEL_PAGE_FLAGS_H

enum pageflags {
	PG_locked,
	PG_referenced,
	PG_uptodate,
	PG_dirty,
	PG_lru,
	PG_active,
	PG_workingset,
	PG_waiters,
	PG_error,
	PG_slab,
	PG_owner_priv_1,
	PG_arch_1,
	PG_reserved,
	PG_private,
	PG_private_2,
	PG_writeback,
	PG_head,
	PG_mappedtodisk,
	PG_reclaim,
	PG_swapbacked,
	PG_unevictable,
	PG_mlocked,
#ifdef __x86_64__
	PG_uncached,
#endif
	PG_hwpoison,
	__NR_PAGEFLAGS,

	PG_swapcache = PG_owner_priv_1,
};

#define PG_head_mask ((1UL << PG_head))

/*
 * Page types live in page_type (which overlays _mapcount): it starts at -1 and a type is set
 * by clearing its bit, so PageBuddy() is (page_type & (PAGE_TYPE_BASE | PG_buddy)) ==
 * PAGE_TYPE_BASE, and a free block's head reads PAGE_BUDDY_MAPCOUNT_VALUE (-129).
 */
#define PAGE_TYPE_BASE 0xf0000000
#define PG_buddy 0x00000080
#define PG_offline 0x00000100
#define PG_table 0x00000200
#define PG_guard 0x00000400

/* What crash_save_vmcoreinfo_init() defines next to its NUMBER() lines. */
#define PAGE_BUDDY_MAPCOUNT_VALUE (~PG_buddy)
#define PAGE_OFFLINE_MAPCOUNT_VALUE (~PG_offline)

/* enum compound_dtor_id (include/linux/mm.h, CONFIG_HUGETLB_PAGE): makedumpfile's hugetlb test. */
enum compound_dtor_id {
	NULL_COMPOUND_DTOR,
	COMPOUND_PAGE_DTOR,
	HUGETLB_PAGE_DTOR,
	TRANSHUGE_PAGE_DTOR,
	NR_COMPOUND_DTORS,
};

#endif /* KERNEL_PAGE_FLAGS_H */
