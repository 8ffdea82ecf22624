/* SPDX-License-Identifier: MIT */
#ifndef ASM_ELF_H
#define ASM_ELF_H

#include <kernel/elf.h>

#define ELF_ARCH EM_AARCH64
/* utsname machine, also printed in the kdsim banner. */
#define UTS_MACHINE "aarch64"

/* elf_prstatus.pr_reg: struct user_pt_regs, 34 words (arch/arm64/include/asm/elf.h). */
#define ELF_NGREG (34)
#define ELF_CORE_COPY_REGS(dest, regs) \
	__builtin_memcpy(&(dest), &(regs)->user_regs, sizeof(struct user_pt_regs))
/* vmcore_elf64_check_arch() */
#define vmcore_elf64_check_arch(x) ((x)->e_machine == EM_AARCH64)

#endif /* ASM_ELF_H */
