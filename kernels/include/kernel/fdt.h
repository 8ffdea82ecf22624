/* SPDX-License-Identifier: MIT */
/*
 * A tiny read-only flattened-device-tree reader (common/lib/fdt.c) with libfdt's names and
 * return conventions (negative FDT_ERR_* on failure). Position independent and alignment
 * safe: the arm64 port runs it with the MMU off to find RAM before building the linear map.
 */
#ifndef KERNEL_FDT_H
#define KERNEL_FDT_H

#include <kernel/types.h>

#define FDT_MAGIC 0xd00dfeed
#define FDT_ERR_NOTFOUND 1
#define FDT_ERR_BADMAGIC 9
#define FDT_ERR_BADSTRUCTURE 11
#define FDT_ERR_TRUNCATED 8

static inline u32 fdt32_to_cpu(u32 x) { return __builtin_bswap32(x); }

/* Read a big-endian cell from a possibly unaligned pointer (byte loads only). */
u32 fdt32_ld(const void *p);
/* Read a number of #cells (1 or 2) cells; advances *p. */
u64 fdt_read_number(const void **p, int cells);

int fdt_check_header(const void *fdt);
u32 fdt_totalsize(const void *fdt);
/* Offset of the node at an absolute path ("/", "/chosen", "/memory" matches "memory@..."). */
int fdt_path_offset(const void *fdt, const char *path);
/* Next node after offset at any depth (pass -1 for the root); *depth tracks the depth. */
int fdt_next_node(const void *fdt, int offset, int *depth);
/* Node name (with unit address) of the node at offset. */
const char *fdt_get_name(const void *fdt, int nodeoffset);
const void *fdt_getprop(const void *fdt, int nodeoffset, const char *name, int *lenp);
/* #address-cells / #size-cells of a node (defaults 2 and 1 per the DT spec). */
int fdt_address_cells(const void *fdt, int nodeoffset);
int fdt_size_cells(const void *fdt, int nodeoffset);

/* Callback for every reg range of every /memory node (device_type = "memory"). */
typedef void (*fdt_mem_cb)(u64 base, u64 size, void *ctx);
/* Mirrors early_init_dt_scan_memory(); returns the number of ranges found. */
int fdt_scan_memory(const void *fdt, fdt_mem_cb cb, void *ctx);

#endif /* KERNEL_FDT_H */
