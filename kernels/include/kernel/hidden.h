/* SPDX-License-Identifier: MIT */
/*
 * Force-included into every kernel and init object (-include): all symbols, including extern
 * declarations, are hidden, so -fpie code reaches them PC-relative (adrp/add) and never
 * through a GOT holding link-time addresses. That is what lets the arm64 early code run with
 * the MMU off at the physical load address. Mirrors include/linux/hidden.h.
 */
#pragma GCC visibility push(hidden)
