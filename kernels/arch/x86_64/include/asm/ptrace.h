/* SPDX-License-Identifier: MIT */
/*
 * x86_64 exception frame (mirrors arch/x86/include/asm/ptrace.h). Layout = Linux's struct
 * pt_regs = struct user_regs_struct minus the segment tail: the kdump work copies it into
 * elf_prstatus.pr_reg. entry_64.S uses the offsets of asm/asm-offsets.h, which
 * arch/x86_64/kernel/asm-offsets.c checks against this struct at compile time.
 */
#ifndef ASM_PTRACE_H
#define ASM_PTRACE_H

#ifndef __ASSEMBLER__
#include <kernel/types.h>

struct pt_regs {
	/* Callee-saved registers (saved only at full entries, like Linux). */
	unsigned long r15;
	unsigned long r14;
	unsigned long r13;
	unsigned long r12;
	unsigned long bp;
	unsigned long bx;
	/* Caller-saved registers. */
	unsigned long r11;
	unsigned long r10;
	unsigned long r9;
	unsigned long r8;
	unsigned long ax;
	unsigned long cx;
	unsigned long dx;
	unsigned long si;
	unsigned long di;
	/* Syscall number at syscall entry, error code at exceptions, -1 otherwise. */
	unsigned long orig_ax;
	/* The hardware (iret) frame. */
	unsigned long ip;
	unsigned long cs;
	unsigned long flags;
	unsigned long sp;
	unsigned long ss;
};

#define user_mode(regs) (((regs)->cs & 3) == 3)
#define instruction_pointer(regs) ((regs)->ip)
#define user_stack_pointer(regs) ((regs)->sp)
#endif

#endif /* ASM_PTRACE_H */
