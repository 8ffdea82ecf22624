/* SPDX-License-Identifier: MIT */
/*
 * arm64 BUG() (mirrors arch/arm64/include/asm/bug.h and asm/asm-bug.h): `brk #0x800`
 * (BUG_BRK_IMM, arch/arm64/include/asm/brk-imm.h) and a __bug_table entry. The trap arrives as
 * ESR_ELx_EC_BRK64 with the immediate in ESR[15:0]; traps.c hands it to report_bug().
 * Include <kernel/bug.h>, not this file.
 */
#ifndef ASM_BUG_H
#define ASM_BUG_H

#define BUG_BRK_IMM 0x800

#define BUG()                                                                       \
	do {                                                                        \
		__asm__ __volatile__(                                               \
			"14470:\tbrk #" __BUG_STR(BUG_BRK_IMM) "\n"                 \
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
