/* SPDX-License-Identifier: MIT */
/*
 * SLUB's cache descriptors (mirrors include/linux/slub_def.h and mm/slab.h of Linux 6.1, the
 * fields crash reads to recognise a SLUB kernel: kmem_cache.cpu_slab/node/list/name/size and
 * struct kmem_cache_node). This kernel allocates only from memblock, so slab_caches is empty:
 * crash's `kmem -s` then truthfully lists no caches.
 */
#ifndef KERNEL_SLUB_DEF_H
#define KERNEL_SLUB_DEF_H

#include <kernel/list.h>
#include <kernel/spinlock_types.h>
#include <kernel/types.h>

struct slab;

struct kmem_cache_cpu {
	void **freelist;
	unsigned long tid;
	struct slab *slab;
	struct slab *partial;
};

struct kmem_cache_node {
	spinlock_t list_lock;
	unsigned long nr_partial;
	struct list_head partial;
	long nr_slabs;      /* atomic_long_t */
	long total_objects; /* atomic_long_t */
	struct list_head full;
};

struct kmem_cache_order_objects {
	unsigned int x;
};

struct kmem_cache {
	struct kmem_cache_cpu *cpu_slab; /* __percpu */
	unsigned int flags;
	unsigned long min_partial;
	unsigned int size;
	unsigned int object_size;
	unsigned int offset;
	struct kmem_cache_order_objects oo;
	unsigned int inuse;
	unsigned int align;
	unsigned int red_left_pad;
	const char *name;
	struct list_head list;
	struct kmem_cache_node *node[1]; /* MAX_NUMNODES */
};

/* Every cache (mm/slab_common.c), and the cache of caches (NULL: there is none). */
extern struct list_head slab_caches;
extern struct kmem_cache *kmem_cache;

#endif /* KERNEL_SLUB_DEF_H */
