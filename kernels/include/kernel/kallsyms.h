/* SPDX-License-Identifier: MIT */
/* Symbol lookup for oops reports (common/kernel/kallsyms.c, mirrors include/linux/kallsyms.h). */
#ifndef KERNEL_KALLSYMS_H
#define KERNEL_KALLSYMS_H

#include <kernel/types.h>

#define KSYM_SYMBOL_LEN 128

/* "name+0xoff/0xsize" for a kernel text address, else "0x<addr>"; returns the length. */
int sprint_symbol(char *buf, size_t size, unsigned long addr);

#endif /* KERNEL_KALLSYMS_H */
