/* SPDX-License-Identifier: MIT */
/*
 * struct elf_prstatus, the NT_PRSTATUS descriptor of a crash dump's per-CPU note (mirrors
 * include/linux/elfcore.h and include/uapi/linux/elfcore.h). The arch supplies ELF_NGREG and
 * ELF_CORE_COPY_REGS in asm/elf.h; pr_reg is at offset 112 on every LP64 arch
 * (linux-kexec.md 3.4: 336 bytes on x86_64, 392 on arm64).
 */
#ifndef KERNEL_ELFCORE_H
#define KERNEL_ELFCORE_H

#include <kernel/types.h>
#include <asm/elf.h>

typedef unsigned long elf_greg_t;
typedef elf_greg_t elf_gregset_t[ELF_NGREG];

struct elf_siginfo {
	int si_signo;
	int si_code;
	int si_errno;
};

struct __kernel_old_timeval {
	long tv_sec;
	long tv_usec;
};

struct elf_prstatus_common {
	struct elf_siginfo pr_info;
	short pr_cursig;
	unsigned long pr_sigpend;
	unsigned long pr_sighold;
	int pr_pid;
	int pr_ppid;
	int pr_pgrp;
	int pr_sid;
	struct __kernel_old_timeval pr_utime;
	struct __kernel_old_timeval pr_stime;
	struct __kernel_old_timeval pr_cutime;
	struct __kernel_old_timeval pr_cstime;
};

struct elf_prstatus {
	struct elf_prstatus_common common;
	elf_gregset_t pr_reg;
	int pr_fpvalid;
};

_Static_assert(__builtin_offsetof(struct elf_prstatus, pr_reg) == 112,
               "elf_prstatus.pr_reg must be at offset 112 (Linux LP64 layout)");

#endif /* KERNEL_ELFCORE_H */
