/* SPDX-License-Identifier: MIT */
/*
 * kexec_load(2) UAPI (mirrors include/uapi/linux/kexec.h). Shared with init, so no kernel
 * headers here: plain C types only.
 */
#ifndef UAPI_LINUX_KEXEC_H
#define UAPI_LINUX_KEXEC_H

#include <stddef.h>

/* kexec flags for different usage scenarios */
#define KEXEC_ON_CRASH 0x00000001
#define KEXEC_PRESERVE_CONTEXT 0x00000002
#define KEXEC_UPDATE_ELFCOREHDR 0x00000004
#define KEXEC_CRASH_HOTPLUG_SUPPORT 0x00000008
#define KEXEC_ARCH_MASK 0xffff0000

/* Arch values in the top 16 bits of the flags (= the ELF e_machine). */
#define KEXEC_ARCH_DEFAULT (0 << 16)
#define KEXEC_ARCH_X86_64 (62 << 16)
#define KEXEC_ARCH_AARCH64 (183 << 16)

/* The artificial cap on the number of segments passed to kexec_load. */
#define KEXEC_SEGMENT_MAX 16

/* The user-space view of a segment: 32 bytes on LP64 (the kernel has its own view with
 * "unsigned long mem", include/kernel/kexec.h, exactly like Linux's #ifndef __KERNEL__). */
#ifndef __KERNEL__
struct kexec_segment {
	const void *buf;
	size_t bufsz;
	const void *mem;
	size_t memsz;
};
#endif

#endif /* UAPI_LINUX_KEXEC_H */
