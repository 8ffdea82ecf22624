/* SPDX-License-Identifier: MIT */
/* Loading init (common/fs/binfmt_elf.c + exec.c, mirrors fs/binfmt_elf.c / fs/exec.c). */
#ifndef KERNEL_BINFMTS_H
#define KERNEL_BINFMTS_H

#include <kernel/types.h>

struct mm_struct;

/* The user-mode init ELF embedded in the kernel image (arch/<arch>/kernel/init_elf.S). */
extern const char __initramfs_init_start[];
extern const char __initramfs_init_end[];

struct linux_binprm {
	const char *filename;
	const void *image; /* the whole ELF file, in kernel memory */
	size_t size;
	unsigned long entry; /* out: e_entry */
	unsigned long sp;    /* out: initial user stack pointer */
};

/* Map the PT_LOADs and a stack into mm; returns 0 or -ENOEXEC/-ENOMEM/-EINVAL. */
int load_elf_binary(struct linux_binprm *bprm, struct mm_struct *mm);

/* Replace the current task's image with filename and enter user mode; returns only on error. */
int kernel_execve(const char *filename);

#endif /* KERNEL_BINFMTS_H */
