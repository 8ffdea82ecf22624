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

#define BUG() __BUG_SITE("brk #" __BUG_STR(BUG_BRK_IMM))

#endif /* ASM_BUG_H */
