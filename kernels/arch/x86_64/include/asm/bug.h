/* SPDX-License-Identifier: MIT */
/*
 * x86_64 BUG() (mirrors arch/x86/include/asm/bug.h): `ud2` (0f 0b, ASM_UD2) and a __bug_table
 * entry. The CPU raises #UD (vector 6); traps.c hands kernel-mode #UD to report_bug() first,
 * like handle_bug() in arch/x86/kernel/traps.c. Include <kernel/bug.h>, not this file.
 */
#ifndef ASM_BUG_H
#define ASM_BUG_H

#define BUG() __BUG_SITE("ud2")

#endif /* ASM_BUG_H */
