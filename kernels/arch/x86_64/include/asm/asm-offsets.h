/* SPDX-License-Identifier: MIT */
/*
 * struct pt_regs offsets for entry_64.S (Linux generates them from
 * arch/x86/kernel/asm-offsets_64.c); written by hand and checked in kernel/asm-offsets.c.
 */
#ifndef ASM_ASM_OFFSETS_H
#define ASM_ASM_OFFSETS_H

#define R15 0
#define R14 8
#define R13 16
#define R12 24
#define RBP 32
#define RBX 40
#define R11 48
#define R10 56
#define R9 64
#define R8 72
#define RAX 80
#define RCX 88
#define RDX 96
#define RSI 104
#define RDI 112
#define ORIG_RAX 120
#define RIP 128
#define CS 136
#define EFLAGS 144
#define RSP 152
#define SS 160
#define PTREGS_SIZE 168

/* struct x86_hw_tss (asm/processor.h). */
#define TSS_sp0 4
#define TSS_sp2 20

/* struct pcpu_hot-like per-CPU block reached through %gs (kernel/cpu.c). */
#define PCPU_top_of_stack 0
#define PCPU_user_rsp 8

#endif /* ASM_ASM_OFFSETS_H */
