/* SPDX-License-Identifier: MIT */
/*
 * The capture ("kdump") kernel's view of the crashed kernel (mirrors
 * include/linux/crash_dump.h, kernel/crash_dump.c and fs/proc/vmcore.c).
 */
#ifndef KERNEL_CRASH_DUMP_H
#define KERNEL_CRASH_DUMP_H

#include <kernel/types.h>

#define ELFCORE_ADDR_MAX (~0ULL)
#define ELFCORE_ADDR_ERR (~1ULL)

/* Physical address and size of the ELF core header the loader built (elfcorehdr=). */
extern unsigned long long elfcorehdr_addr;
extern unsigned long long elfcorehdr_size;

static inline bool is_kdump_kernel(void)
{
	return elfcorehdr_addr != ELFCORE_ADDR_MAX;
}

static inline bool is_vmcore_usable(void)
{
	return elfcorehdr_addr != ELFCORE_ADDR_ERR && elfcorehdr_addr != ELFCORE_ADDR_MAX;
}

/*
 * early_param("elfcorehdr", setup_elfcorehdr): "elfcorehdr=[size[KMG]@]offset[KMG]" anywhere
 * in cmdline (last one wins). Archs call it from setup_arch() after their firmware tables
 * (arm64: after /chosen/linux,elfcorehdr, which the command line overrides, as in Linux).
 */
void parse_elfcorehdr_param(const char *cmdline);

/* fs/proc/vmcore.c: parse the old kernel's ELF core header, create /proc/vmcore. */
int vmcore_init(void);

#endif /* KERNEL_CRASH_DUMP_H */
