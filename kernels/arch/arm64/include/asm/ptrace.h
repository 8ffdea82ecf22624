/* SPDX-License-Identifier: MIT */
/*
 * arm64 exception frame (mirrors arch/arm64/include/asm/ptrace.h). The first 34 words are
 * struct user_pt_regs (x0..x30, sp, pc, pstate): the kdump work copies them into
 * elf_prstatus.pr_reg. entry.S uses the S_* offsets of asm/asm-offsets.h, which
 * arch/arm64/kernel/asm-offsets.c checks against this struct at compile time.
 */
#ifndef ASM_PTRACE_H
#define ASM_PTRACE_H

#define PSR_MODE_EL0t 0x00000000
#define PSR_MODE_EL1t 0x00000004
#define PSR_MODE_EL1h 0x00000005
#define PSR_MODE_MASK 0x0000000f
#define PSR_F_BIT 0x00000040
#define PSR_I_BIT 0x00000080
#define PSR_A_BIT 0x00000100
#define PSR_D_BIT 0x00000200
#define PSR_PAN_BIT 0x00400000
#define PSR_UAO_BIT 0x00800000
#define PSR_DIT_BIT 0x01000000
#define PSR_TCO_BIT 0x02000000
#define PSR_SSBS_BIT 0x00001000
#define PSR_BTYPE_MASK 0x00000c00
#define PSR_BTYPE_SHIFT 10
#define PSR_V_BIT 0x10000000
#define PSR_C_BIT 0x20000000
#define PSR_Z_BIT 0x40000000
#define PSR_N_BIT 0x80000000

#ifndef __ASSEMBLER__
#include <kernel/types.h>

struct user_pt_regs {
	u64 regs[31];
	u64 sp;
	u64 pc;
	u64 pstate;
};

struct pt_regs {
	union {
		struct user_pt_regs user_regs;
		struct {
			u64 regs[31];
			u64 sp;
			u64 pc;
			u64 pstate;
		};
	};
	u64 orig_x0;
	s32 syscallno;
	u32 unused2;
	/* A frame record (x29, x30) so backtraces can walk through exceptions. */
	u64 stackframe[2];
};

#define user_mode(regs) (((regs)->pstate & PSR_MODE_MASK) == PSR_MODE_EL0t)
#define instruction_pointer(regs) ((regs)->pc)
#define user_stack_pointer(regs) ((regs)->sp)
#endif

#endif /* ASM_PTRACE_H */
