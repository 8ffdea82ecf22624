/* SPDX-License-Identifier: MIT */
/*
 * The resource tree behind /proc/iomem (mirrors include/linux/ioport.h and kernel/resource.c,
 * reduced): resources are statically allocated by their owners, linked parent/sibling/child,
 * siblings sorted by start, ends inclusive.
 */
#ifndef KERNEL_IOPORT_H
#define KERNEL_IOPORT_H

#include <kernel/types.h>

#define IORESOURCE_MEM 0x00000200
#define IORESOURCE_SYSTEM_RAM (0x01000000 | IORESOURCE_MEM)
#define IORESOURCE_BUSY 0x80000000

struct resource {
	phys_addr_t start;
	phys_addr_t end; /* inclusive */
	const char *name;
	unsigned long flags;
	struct resource *parent, *sibling, *child;
};

extern struct resource iomem_resource;

static inline phys_addr_t resource_size(const struct resource *res)
{
	return res->end - res->start + 1;
}

/* Mirrors request_resource(): 0, or -EBUSY when new conflicts with a child of root. */
int request_resource(struct resource *root, struct resource *new);
/* Mirrors insert_resource(): descends into a containing resource, adopts contained ones;
 * -EBUSY on a partial overlap. */
int insert_resource(struct resource *parent, struct resource *new);
/* Register /proc/iomem (kernel/resource.c ioresources_init). */
void proc_iomem_init(void);

#endif /* KERNEL_IOPORT_H */
