// SPDX-License-Identifier: MIT
/*
 * Compile-time checks of the struct pt_regs offsets that entry.S hard-codes
 * (asm/asm-offsets.h; Linux generates them from arch/arm64/kernel/asm-offsets.c), and of the
 * user_pt_regs prefix the kdump work copies into elf_prstatus.pr_reg (34 u64s, 272 bytes).
 */
#include <asm/asm-offsets.h>
#include <asm/ptrace.h>
#include <kernel/compiler.h>

#define CHECK_OFFSET(sym, member) \
	_Static_assert(__builtin_offsetof(struct pt_regs, member) == (sym), #sym " != offsetof(" #member ")")

CHECK_OFFSET(S_X0, regs[0]);
CHECK_OFFSET(S_X2, regs[2]);
CHECK_OFFSET(S_X8, regs[8]);
CHECK_OFFSET(S_X28, regs[28]);
CHECK_OFFSET(S_FP, regs[29]);
CHECK_OFFSET(S_LR, regs[30]);
CHECK_OFFSET(S_SP, sp);
CHECK_OFFSET(S_PC, pc);
CHECK_OFFSET(S_PSTATE, pstate);
CHECK_OFFSET(S_ORIG_X0, orig_x0);
CHECK_OFFSET(S_SYSCALLNO, syscallno);
CHECK_OFFSET(S_STACKFRAME, stackframe);
_Static_assert(sizeof(struct pt_regs) == PT_REGS_SIZE, "PT_REGS_SIZE");
_Static_assert(PT_REGS_SIZE % 16 == 0, "the stack must stay 16-byte aligned");
_Static_assert(sizeof(struct user_pt_regs) == 34 * 8, "user_pt_regs = ELF_NGREG (34) words");
