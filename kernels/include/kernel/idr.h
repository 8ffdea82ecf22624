/* SPDX-License-Identifier: MIT */
/*
 * An ID -> pointer map (mirrors include/linux/idr.h and xarray.h of Linux 6.1): struct idr is an
 * xarray whose head is either the entry for index 0 or an internal node pointer (tagged with 2)
 * holding XA_CHUNK_SIZE slots. drgn's idr_find()/xa_load() walk exactly this. This kernel needs
 * few ids, so the tree has one level (ids below XA_CHUNK_SIZE).
 */
#ifndef KERNEL_IDR_H
#define KERNEL_IDR_H

#include <kernel/list.h>
#include <kernel/spinlock_types.h>
#include <kernel/types.h>

#define XA_CHUNK_SHIFT 6
#define XA_CHUNK_SIZE (1UL << XA_CHUNK_SHIFT)
#define XA_MAX_MARKS 3
#define XA_MARK_LONGS ((XA_CHUNK_SIZE + 63) / 64)

struct xarray {
	spinlock_t xa_lock;
	unsigned int xa_flags;
	void *xa_head;
};

struct xa_node {
	unsigned char shift;  /* bits of the index below this node */
	unsigned char offset; /* slot in the parent */
	unsigned char count;  /* slots in use */
	unsigned char nr_values;
	struct xa_node *parent;
	struct xarray *array;
	struct list_head private_list;
	void *slots[XA_CHUNK_SIZE];
	unsigned long marks[XA_MAX_MARKS][XA_MARK_LONGS];
};

/* include/linux/radix-tree.h: #define radix_tree_root xarray */
struct idr {
	struct xarray idr_rt;
	unsigned int idr_base;
	unsigned int idr_next;
};

/* Store ptr at id; -ENOSPC past the single node, -EBUSY if taken. */
int idr_alloc_at(struct idr *idr, void *ptr, unsigned long id);
void *idr_find(const struct idr *idr, unsigned long id);

#endif /* KERNEL_IDR_H */
