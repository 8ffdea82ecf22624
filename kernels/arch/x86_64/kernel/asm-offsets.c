// SPDX-License-Identifier: MIT
/*
 * Compile-time checks of the offsets entry_64.S hard-codes (asm/asm-offsets.h; Linux
 * generates them from arch/x86/kernel/asm-offsets_64.c).
 */
#include <asm/asm-offsets.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <kernel/compiler.h>

#define CHECK_OFFSET(type, sym, member) \
	_Static_assert(__builtin_offsetof(type, member) == (sym), #sym " != offsetof(" #member ")")

CHECK_OFFSET(struct pt_regs, R15, r15);
CHECK_OFFSET(struct pt_regs, RBP, bp);
CHECK_OFFSET(struct pt_regs, RBX, bx);
CHECK_OFFSET(struct pt_regs, R11, r11);
CHECK_OFFSET(struct pt_regs, RAX, ax);
CHECK_OFFSET(struct pt_regs, RCX, cx);
CHECK_OFFSET(struct pt_regs, RDI, di);
CHECK_OFFSET(struct pt_regs, ORIG_RAX, orig_ax);
CHECK_OFFSET(struct pt_regs, RIP, ip);
CHECK_OFFSET(struct pt_regs, CS, cs);
CHECK_OFFSET(struct pt_regs, EFLAGS, flags);
CHECK_OFFSET(struct pt_regs, RSP, sp);
CHECK_OFFSET(struct pt_regs, SS, ss);
_Static_assert(sizeof(struct pt_regs) == PTREGS_SIZE, "PTREGS_SIZE");
/* elf_prstatus.pr_reg is user_regs_struct (27 words): pt_regs is its first 21. */
_Static_assert(sizeof(struct pt_regs) == 21 * 8, "pt_regs = the first 21 words of user_regs_struct");
CHECK_OFFSET(struct x86_hw_tss, TSS_sp0, sp0);
CHECK_OFFSET(struct x86_hw_tss, TSS_sp2, sp2);
_Static_assert(sizeof(struct x86_hw_tss) == 104, "x86_hw_tss is 104 bytes");
CHECK_OFFSET(struct x86_pcpu, PCPU_top_of_stack, top_of_stack);
CHECK_OFFSET(struct x86_pcpu, PCPU_user_rsp, user_rsp);
