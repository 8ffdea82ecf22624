/* SPDX-License-Identifier: MIT */
/*
 * struct page (mirrors include/linux/mm_types.h of Linux 6.1, 64 bytes, the same offsets):
 * one per page frame, in the vmemmap (common/mm/sparse.c). crash reads it through its DWARF
 * (kmem -p/-f/-i), makedumpfile through VMCOREINFO's SIZE(page) and OFFSET(page.*) lines.
 */
#ifndef KERNEL_MM_TYPES_H
#define KERNEL_MM_TYPES_H

#include <kernel/list.h>
#include <kernel/types.h>

struct address_space;

struct page {
	unsigned long flags; /* enum pageflags bits; the zone number in the top bits */
	union {
		struct { /* page cache, anonymous and buddy pages */
			union {
				struct list_head lru;
				/* A free page's link on its zone's free_area[order].free_list. */
				struct list_head buddy_list;
			};
			struct address_space *mapping;
			unsigned long index;
			/* A free buddy block's head: its order (set_buddy_order()). */
			unsigned long private;
		};
		struct { /* tail pages of a compound page */
			unsigned long compound_head; /* bit 0 set */
			unsigned char compound_dtor;
			unsigned char compound_order;
			atomic_t compound_mapcount;
			atomic_t compound_pincount;
			unsigned int compound_nr;
		};
	};
	union {
		/* -1 when not mapped; for a free buddy head it holds page_type instead. */
		atomic_t _mapcount;
		/* PAGE_TYPE_BASE with type bits cleared: PG_buddy clear = a free buddy block. */
		unsigned int page_type;
	};
	atomic_t _refcount;
	unsigned long memcg_data;
};

_Static_assert(sizeof(struct page) == 64, "struct page is 64 bytes in Linux 6.1");
_Static_assert(__builtin_offsetof(struct page, mapping) == 24, "page.mapping");
_Static_assert(__builtin_offsetof(struct page, private) == 40, "page.private");
_Static_assert(__builtin_offsetof(struct page, _mapcount) == 48, "page._mapcount");
_Static_assert(__builtin_offsetof(struct page, _refcount) == 52, "page._refcount");

#endif /* KERNEL_MM_TYPES_H */
