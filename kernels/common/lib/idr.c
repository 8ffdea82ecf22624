// SPDX-License-Identifier: MIT
/*
 * A one-level idr (mirrors lib/idr.c + lib/xarray.c's layout, not their algorithms): index 0
 * may live in xa_head itself, anything else needs the node, which xa_head then points to with
 * the internal-entry tag 2 (xa_mk_node()). Enough for this kernel's handful of pids.
 */
#include <kernel/idr.h>
#include <kernel/memblock.h>
#include <asm-generic/errno-base.h>

static bool xa_is_node(const void *entry)
{
	return ((unsigned long)entry & 3) == 2 && (unsigned long)entry > 4096;
}

static struct xa_node *xa_to_node(const void *entry)
{
	return (struct xa_node *)((unsigned long)entry - 2);
}

static void *xa_mk_node(const struct xa_node *node)
{
	return (void *)((unsigned long)node | 2);
}

/* The root node, created on first use (moving an entry stored at the head into slot 0). */
static struct xa_node *idr_root_node(struct idr *idr)
{
	struct xarray *xa = &idr->idr_rt;
	if (xa_is_node(xa->xa_head))
		return xa_to_node(xa->xa_head);
	struct xa_node *node = memblock_alloc(sizeof(*node), 64);
	if (!node)
		return NULL;
	node->array = xa;
	INIT_LIST_HEAD(&node->private_list);
	if (xa->xa_head) {
		node->slots[0] = xa->xa_head;
		node->count = 1;
	}
	xa->xa_head = xa_mk_node(node);
	return node;
}

int idr_alloc_at(struct idr *idr, void *ptr, unsigned long id)
{
	id -= idr->idr_base;
	if (id >= XA_CHUNK_SIZE)
		return -ENOSPC;
	struct xa_node *node = idr_root_node(idr);
	if (!node)
		return -ENOMEM;
	if (node->slots[id])
		return -EBUSY;
	node->slots[id] = ptr;
	node->count++;
	if (id >= idr->idr_next)
		idr->idr_next = (unsigned int)id + 1;
	return 0;
}

void *idr_find(const struct idr *idr, unsigned long id)
{
	const void *head = idr->idr_rt.xa_head;
	id -= idr->idr_base;
	if (!xa_is_node(head))
		return id == 0 ? (void *)head : NULL;
	return id < XA_CHUNK_SIZE ? xa_to_node(head)->slots[id] : NULL;
}
