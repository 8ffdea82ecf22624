// SPDX-License-Identifier: MIT
/*
 * A tiny read-only FDT reader (libfdt's names and error codes; Documentation: the DT spec,
 * chapter 5 "Flattened Devicetree (DTB) Format"). Constraints: it runs with the MMU off on
 * arm64, so only byte loads of the blob (no unaligned wide loads), no absolute pointers in
 * data, no library calls besides lib/string.c.
 */
#include <kernel/fdt.h>
#include <kernel/string.h>

#define FDT_BEGIN_NODE 0x1
#define FDT_END_NODE 0x2
#define FDT_PROP 0x3
#define FDT_NOP 0x4
#define FDT_END 0x9

/* Header field offsets (big-endian u32s). */
#define FDT_OFF_MAGIC 0
#define FDT_OFF_TOTALSIZE 4
#define FDT_OFF_DT_STRUCT 8
#define FDT_OFF_DT_STRINGS 12
#define FDT_OFF_VERSION 20
#define FDT_OFF_SIZE_DT_STRINGS 32
#define FDT_OFF_SIZE_DT_STRUCT 36
#define FDT_HEADER_SIZE 40
#define FDT_TAGSIZE 4
#define FDT_MAX_DEPTH 16

u32 fdt32_ld(const void *p)
{
	const volatile u8 *b = p;
	return ((u32)b[0] << 24) | ((u32)b[1] << 16) | ((u32)b[2] << 8) | b[3];
}

static u32 fdt_header_field(const void *fdt, unsigned int off)
{
	return fdt32_ld((const char *)fdt + off);
}

u32 fdt_totalsize(const void *fdt)
{
	return fdt_header_field(fdt, FDT_OFF_TOTALSIZE);
}

int fdt_check_header(const void *fdt)
{
	if (fdt_header_field(fdt, FDT_OFF_MAGIC) != FDT_MAGIC)
		return -FDT_ERR_BADMAGIC;
	u32 total = fdt_totalsize(fdt);
	u32 st = fdt_header_field(fdt, FDT_OFF_DT_STRUCT);
	u32 st_size = fdt_header_field(fdt, FDT_OFF_SIZE_DT_STRUCT);
	u32 str = fdt_header_field(fdt, FDT_OFF_DT_STRINGS);
	u32 str_size = fdt_header_field(fdt, FDT_OFF_SIZE_DT_STRINGS);
	if (total < FDT_HEADER_SIZE || fdt_header_field(fdt, FDT_OFF_VERSION) < 17)
		return -FDT_ERR_BADSTRUCTURE;
	/* Overflow-safe "[off, off + size) inside [0, total)" checks. */
	if (st > total || st_size > total - st || str > total || str_size > total - str)
		return -FDT_ERR_TRUNCATED;
	return 0;
}

static const char *fdt_struct(const void *fdt)
{
	return (const char *)fdt + fdt_header_field(fdt, FDT_OFF_DT_STRUCT);
}

static u32 fdt_struct_size(const void *fdt)
{
	return fdt_header_field(fdt, FDT_OFF_SIZE_DT_STRUCT);
}

static const char *fdt_string(const void *fdt, u32 stroff)
{
	if (stroff >= fdt_header_field(fdt, FDT_OFF_SIZE_DT_STRINGS))
		return "";
	return (const char *)fdt + fdt_header_field(fdt, FDT_OFF_DT_STRINGS) + stroff;
}

/* Tag at offset; sets *next to the offset of the following tag, or returns FDT_END on error. */
static u32 fdt_next_tag(const void *fdt, int offset, int *next)
{
	u32 size = fdt_struct_size(fdt);
	const char *base = fdt_struct(fdt);
	if (offset < 0 || (u32)offset + FDT_TAGSIZE > size)
		return FDT_END;
	u32 tag = fdt32_ld(base + offset);
	u32 pos = (u32)offset + FDT_TAGSIZE;
	switch (tag) {
	case FDT_BEGIN_NODE:
		while (pos < size && base[pos])
			pos++;
		pos++; /* NUL */
		break;
	case FDT_PROP: {
		if (pos + 8 > size)
			return FDT_END;
		u32 len = fdt32_ld(base + pos);
		if (len > size - pos - 8)
			return FDT_END;
		pos += 8 + len;
		break;
	}
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		break;
	default:
		return FDT_END;
	}
	*next = (int)((pos + 3) & ~3u);
	return tag;
}

int fdt_next_node(const void *fdt, int offset, int *depth)
{
	int next = 0;
	if (offset < 0) {
		/* The root node is the first BEGIN_NODE of the structure block. */
		offset = 0;
		for (;;) {
			u32 tag = fdt_next_tag(fdt, offset, &next);
			if (tag == FDT_BEGIN_NODE) {
				if (depth)
					*depth = 0;
				return offset;
			}
			if (tag != FDT_NOP)
				return -FDT_ERR_NOTFOUND;
			offset = next;
		}
	}
	/* Skip the current node's BEGIN tag, then walk until the next BEGIN_NODE. */
	if (fdt_next_tag(fdt, offset, &next) != FDT_BEGIN_NODE)
		return -FDT_ERR_BADSTRUCTURE;
	int d = depth ? *depth : 0;
	for (;;) {
		offset = next;
		u32 tag = fdt_next_tag(fdt, offset, &next);
		switch (tag) {
		case FDT_BEGIN_NODE:
			d++;
			if (depth)
				*depth = d;
			return offset;
		case FDT_END_NODE:
			d--;
			if (d < 0)
				return -FDT_ERR_NOTFOUND;
			break;
		case FDT_PROP:
		case FDT_NOP:
			break;
		default:
			return -FDT_ERR_NOTFOUND;
		}
	}
}

const char *fdt_get_name(const void *fdt, int nodeoffset)
{
	return fdt_struct(fdt) + nodeoffset + FDT_TAGSIZE;
}

const void *fdt_getprop(const void *fdt, int nodeoffset, const char *name, int *lenp)
{
	int next;
	if (fdt_next_tag(fdt, nodeoffset, &next) != FDT_BEGIN_NODE)
		return NULL;
	for (int offset = next;; offset = next) {
		u32 tag = fdt_next_tag(fdt, offset, &next);
		if (tag == FDT_NOP)
			continue;
		if (tag != FDT_PROP)
			return NULL; /* properties precede subnodes */
		const char *p = fdt_struct(fdt) + offset + FDT_TAGSIZE;
		u32 len = fdt32_ld(p);
		if (!strcmp(fdt_string(fdt, fdt32_ld(p + 4)), name)) {
			if (lenp)
				*lenp = (int)len;
			return p + 8;
		}
	}
}

/* Does node name "memory@40000000" match path component "memory" (or the full name)? */
static bool fdt_name_matches(const char *name, const char *comp, size_t comp_len)
{
	if (strncmp(name, comp, comp_len))
		return false;
	if (name[comp_len] == '\0')
		return true;
	/* "memory" matches "memory@...", but "memory@0" must match exactly. */
	for (size_t i = 0; i < comp_len; i++)
		if (comp[i] == '@')
			return false;
	return name[comp_len] == '@';
}

int fdt_path_offset(const void *fdt, const char *path)
{
	if (path[0] != '/')
		return -FDT_ERR_BADSTRUCTURE;
	int depth = 0;
	int offset = fdt_next_node(fdt, -1, &depth);
	const char *p = path + 1;
	while (offset >= 0 && *p) {
		const char *end = p;
		while (*end && *end != '/')
			end++;
		size_t len = (size_t)(end - p);
		/* Search the direct children of the node at offset. */
		int want = depth + 1;
		int child = offset;
		for (;;) {
			child = fdt_next_node(fdt, child, &depth);
			if (child < 0 || depth < want)
				return -FDT_ERR_NOTFOUND;
			if (depth == want && fdt_name_matches(fdt_get_name(fdt, child), p, len))
				break;
		}
		offset = child;
		p = *end ? end + 1 : end;
	}
	return offset;
}

static int fdt_cells(const void *fdt, int nodeoffset, const char *name, int dflt)
{
	int len;
	const void *p = fdt_getprop(fdt, nodeoffset, name, &len);
	if (!p || len != 4)
		return dflt;
	return (int)fdt32_ld(p);
}

int fdt_address_cells(const void *fdt, int nodeoffset)
{
	return fdt_cells(fdt, nodeoffset, "#address-cells", 2);
}

int fdt_size_cells(const void *fdt, int nodeoffset)
{
	return fdt_cells(fdt, nodeoffset, "#size-cells", 1);
}

u64 fdt_read_number(const void **p, int cells)
{
	const char *c = *p;
	u64 v = 0;
	for (int i = 0; i < cells; i++)
		v = (v << 32) | fdt32_ld(c + 4 * i);
	*p = c + 4 * cells;
	return v;
}

int fdt_scan_memory(const void *fdt, fdt_mem_cb cb, void *ctx)
{
	int depth = 0;
	int root = fdt_next_node(fdt, -1, &depth);
	if (root < 0)
		return 0;
	int ac = fdt_address_cells(fdt, root);
	int sc = fdt_size_cells(fdt, root);
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return 0;
	int found = 0;
	for (int node = fdt_next_node(fdt, root, &depth); node >= 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		if (depth != 1)
			continue;
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		if (!type || strcmp(type, "memory"))
			continue;
		int len;
		const void *reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg)
			continue;
		int entry = 4 * (ac + sc);
		for (; len >= entry; len -= entry) {
			u64 base = fdt_read_number(&reg, ac);
			u64 size = fdt_read_number(&reg, sc);
			if (size) {
				cb(base, size, ctx);
				found++;
			}
		}
	}
	return found;
}
