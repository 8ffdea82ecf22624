// SPDX-License-Identifier: MIT
/*
 * The iomem resource tree and /proc/iomem (mirrors kernel/resource.c: __request_resource(),
 * __insert_resource(), r_show()).
 */
#include <kernel/ioport.h>
#include <kernel/fs.h>
#include <kernel/printk.h>
#include <kernel/compiler.h>
#include <asm-generic/errno-base.h>

struct resource iomem_resource = {
	.name = "PCI mem",
	.start = 0,
	.end = ~(phys_addr_t)0,
	.flags = IORESOURCE_MEM,
};

/* Mirrors __request_resource(): the conflicting resource, or NULL once inserted. */
static struct resource *__request_resource(struct resource *root, struct resource *new)
{
	phys_addr_t start = new->start;
	phys_addr_t end = new->end;
	struct resource *tmp, **p;

	if (end < start)
		return root;
	if (start < root->start)
		return root;
	if (end > root->end)
		return root;
	p = &root->child;
	for (;;) {
		tmp = *p;
		if (!tmp || tmp->start > end) {
			new->sibling = tmp;
			*p = new;
			new->parent = root;
			return NULL;
		}
		p = &tmp->sibling;
		if (tmp->end < start)
			continue;
		return tmp;
	}
}

int request_resource(struct resource *root, struct resource *new)
{
	return __request_resource(root, new) ? -EBUSY : 0;
}

/* Mirrors __insert_resource(): NULL on success, else the conflicting resource. */
static struct resource *__insert_resource(struct resource *parent, struct resource *new)
{
	struct resource *first, *next;

	for (;; parent = first) {
		first = __request_resource(parent, new);
		if (!first)
			return first;

		if (first == parent)
			return first;
		if (first == new) /* duplicated insertion */
			return first;

		if ((first->start > new->start) || (first->end < new->end))
			break;
		if ((first->start == new->start) && (first->end == new->end))
			break;
	}

	for (next = first;; next = next->sibling) {
		/* Partial overlap? Bad, and unfixable */
		if (next->start < new->start || next->end > new->end)
			return next;
		if (!next->sibling)
			break;
		if (next->sibling->start > new->end)
			break;
	}

	new->parent = parent;
	new->sibling = next->sibling;
	new->child = first;

	next->sibling = NULL;
	for (next = first; next; next = next->sibling)
		next->parent = new;

	if (parent->child == first) {
		parent->child = new;
	} else {
		next = parent->child;
		while (next->sibling != first)
			next = next->sibling;
		next->sibling = new;
	}
	return NULL;
}

int insert_resource(struct resource *parent, struct resource *new)
{
	return __insert_resource(parent, new) ? -EBUSY : 0;
}

/* ---- /proc/iomem: r_show() over a pre-order walk ---- */

#define MAX_IORES_LEVEL 5
#define IOMEM_TEXT_MAX 4096

static int iomem_format(char *buf, size_t size)
{
	struct resource *root = &iomem_resource;
	struct resource *r = root->child;
	int depth = 0;
	size_t len = 0;

	while (r) {
		/* "%*s%0*llx-%0*llx : %s\n": 2 spaces per level, >= 8 hex digits, inclusive end. */
		int n = snprintf(buf + len, size - len, "%*s%0*llx-%0*llx : %s\n", depth * 2, "", 8,
		                 (unsigned long long)r->start, 8, (unsigned long long)r->end,
		                 r->name ? r->name : "<BAD>");
		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
		/* Mirrors next_resource(): children first (up to MAX_IORES_LEVEL), then siblings. */
		if (r->child && depth + 1 < MAX_IORES_LEVEL) {
			r = r->child;
			depth++;
			continue;
		}
		while (!r->sibling && r->parent && r->parent != root) {
			r = r->parent;
			depth--;
		}
		r = r->sibling;
	}
	return (int)len;
}

static ssize_t iomem_read(struct file *file, char *buf, size_t count, loff_t *pos)
{
	static char text[IOMEM_TEXT_MAX];
	(void)file;
	int n = iomem_format(text, sizeof(text));
	return simple_read_from_buffer(buf, count, pos, text, (size_t)n);
}

static const struct file_operations iomem_fops = { .read = iomem_read };

void proc_iomem_init(void)
{
	fs_register_node("/proc/iomem", 0444, &iomem_fops, NULL);
}
