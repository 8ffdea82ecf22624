// SPDX-License-Identifier: MIT
/*
 * The slab allocator's globals (mirrors mm/slab_common.c). There is no slab allocator here
 * (memblock serves every allocation): the only cache is the cache of caches that Linux boots
 * with (kmem_cache, "kmem_cache"), described but never allocated from, so crash's `kmem -s`
 * shows it empty. crash identifies SLUB from these types and reads kmem_cache->object_size
 * before it starts.
 */
#include <kernel/slub_def.h>

static struct kmem_cache_node boot_kmem_cache_node = {
	.partial = LIST_HEAD_INIT(boot_kmem_cache_node.partial),
	.full = LIST_HEAD_INIT(boot_kmem_cache_node.full),
};

static struct kmem_cache boot_kmem_cache = {
	.size = sizeof(struct kmem_cache),
	.object_size = sizeof(struct kmem_cache),
	.align = 8,
	.inuse = sizeof(struct kmem_cache),
	.name = "kmem_cache",
	.list = LIST_HEAD_INIT(slab_caches),
	.node = { &boot_kmem_cache_node },
};

struct list_head slab_caches = { &boot_kmem_cache.list, &boot_kmem_cache.list };
struct kmem_cache *kmem_cache = &boot_kmem_cache;
