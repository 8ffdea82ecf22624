/* SPDX-License-Identifier: MIT */
/*
 * BUG() and its table (mirrors include/asm-generic/bug.h and lib/bug.c with
 * CONFIG_GENERIC_BUG_RELATIVE_POINTERS): each BUG() site is a trapping instruction (asm/bug.h:
 * arm64 `brk #0x800`, x86 `ud2`) plus an entry in the __bug_table section naming its file and
 * line, which the trap handler looks up to print "kernel BUG at FILE:LINE!".
 */
#ifndef KERNEL_BUG_H
#define KERNEL_BUG_H

#include <kernel/types.h>

#define __BUG_STR1(x) #x
#define __BUG_STR(x) __BUG_STR1(x)

/* One BUG() site; both displacements are relative to the field that holds them. */
struct bug_entry {
	int bug_addr_disp;
	int file_disp;
	unsigned short line;
	unsigned short flags;
};

enum bug_trap_type {
	BUG_TRAP_TYPE_NONE = 0,
	BUG_TRAP_TYPE_WARN = 1,
	BUG_TRAP_TYPE_BUG = 2,
};

#include <asm/bug.h>

/*
 * Called by the arch trap handler with the trapping PC: when it is a BUG() site, prints
 * "------------[ cut here ]------------" and "kernel BUG at FILE:LINE!" and returns
 * BUG_TRAP_TYPE_BUG; else BUG_TRAP_TYPE_NONE (the caller reports the plain exception).
 */
enum bug_trap_type report_bug(unsigned long bug_addr);

#endif /* KERNEL_BUG_H */
