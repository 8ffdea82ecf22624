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

/*
 * A BUG() site: the arch's trapping instruction `insn`, its file name in .rodata.str1.1 and a
 * struct bug_entry in __bug_table (the asm form of include/asm-generic/bug.h's table). The
 * arch's asm/bug.h defines BUG() with it.
 */
#define __BUG_SITE(insn)                                                            \
	do {                                                                        \
		__asm__ __volatile__(                                               \
			"14470:\t" insn "\n"                                        \
			"\t.pushsection .rodata.str1.1,\"aMS\",@progbits,1\n"       \
			"14472:\t.string \"" __FILE__ "\"\n"                        \
			"\t.popsection\n"                                           \
			"\t.pushsection __bug_table,\"a\"\n"                        \
			"\t.balign 4\n"                                             \
			"14471:\t.long 14470b - .\n"                                \
			"\t.long 14472b - .\n"                                      \
			"\t.short " __BUG_STR(__LINE__) "\n"                        \
			"\t.short 0\n"                                              \
			"\t.popsection\n");                                         \
		__builtin_unreachable();                                            \
	} while (0)

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
