/* SPDX-License-Identifier: MIT */
/*
 * x86_64 BUG() (mirrors arch/x86/include/asm/bug.h): `ud2` (0f 0b, ASM_UD2) and a __bug_table
 * entry. The CPU raises #UD (vector 6); traps.c hands kernel-mode #UD to report_bug() first,
 * like handle_bug() in arch/x86/kernel/traps.c. Include <kernel/bug.h>, not this file.
 */
#ifndef ASM_BUG_H
#define ASM_BUG_H

#define BUG()                                                                       \
	do {                                                                        \
		__asm__ __volatile__(                                               \
			"14470:\tud2\n"                                             \
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

#endif /* ASM_BUG_H */
