/* SPDX-License-Identifier: MIT */
/*
 * struct pt_regs offsets for entry.S. Linux generates these (arch/arm64/kernel/asm-offsets.c);
 * here they are written by hand and checked with _Static_assert in asm-offsets.c.
 */
#ifndef ASM_ASM_OFFSETS_H
#define ASM_ASM_OFFSETS_H

#define S_X0 0
#define S_X2 16
#define S_X4 32
#define S_X6 48
#define S_X8 64
#define S_X10 80
#define S_X12 96
#define S_X14 112
#define S_X16 128
#define S_X18 144
#define S_X20 160
#define S_X22 176
#define S_X24 192
#define S_X26 208
#define S_X28 224
#define S_FP 232
#define S_LR 240
#define S_SP 248
#define S_PC 256
#define S_PSTATE 264
#define S_ORIG_X0 272
#define S_SYSCALLNO 280
#define S_STACKFRAME 288
#define PT_REGS_SIZE 304

#endif /* ASM_ASM_OFFSETS_H */
