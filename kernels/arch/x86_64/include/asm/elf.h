/* SPDX-License-Identifier: MIT */
/* ELF definitions (mirrors arch/x86/include/asm/elf.h, x86_64 only). */
#ifndef ASM_ELF_H
#define ASM_ELF_H

#include <kernel/elf.h>
#include <asm/msr-index.h>
#include <asm/processor.h>

#define ELF_ARCH EM_X86_64
/* utsname machine, also printed in the kdsim banner. */
#define UTS_MACHINE "x86_64"

/* elf_prstatus.pr_reg: struct user_regs_struct, 27 words. */
#define ELF_NGREG (27)

/*
 * Mirrors ELF_CORE_COPY_REGS(): the first 21 words are struct pt_regs in the same order
 * (r15 .. ss); then fs_base (x86_fsbase_read_cpu()), gs_base (x86_gsbase_read_cpu_inactive():
 * in the kernel the user's base waits in MSR_KERNEL_GS_BASE), ds, es, fs, gs (read live).
 */
#define ELF_CORE_COPY_REGS(pr_reg, regs)                                              \
	do {                                                                          \
		unsigned int __v;                                                     \
		__builtin_memcpy(&(pr_reg)[0], (regs), 21 * sizeof((pr_reg)[0]));     \
		(pr_reg)[21] = rdmsr(MSR_FS_BASE);                                    \
		(pr_reg)[22] = rdmsr(MSR_KERNEL_GS_BASE);                             \
		__asm__ __volatile__("movl %%ds, %0" : "=r"(__v));                    \
		(pr_reg)[23] = __v & 0xffff;                                          \
		__asm__ __volatile__("movl %%es, %0" : "=r"(__v));                    \
		(pr_reg)[24] = __v & 0xffff;                                          \
		__asm__ __volatile__("movl %%fs, %0" : "=r"(__v));                    \
		(pr_reg)[25] = __v & 0xffff;                                          \
		__asm__ __volatile__("movl %%gs, %0" : "=r"(__v));                    \
		(pr_reg)[26] = __v & 0xffff;                                          \
	} while (0)

/* vmcore_elf64_check_arch() (elf_check_arch for x86_64). */
#define vmcore_elf64_check_arch(x) ((x)->e_machine == EM_X86_64)

#endif /* ASM_ELF_H */
