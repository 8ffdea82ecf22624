/* SPDX-License-Identifier: MIT */
/*
 * crashkernel= parsing and reservation (mirrors include/linux/crash_reserve.h and
 * kernel/crash_reserve.c). The arch provides asm/crash_reserve.h: CRASH_ALIGN,
 * CRASH_ADDR_LOW_MAX, CRASH_ADDR_HIGH_MAX, optionally DEFAULT_CRASH_KERNEL_LOW_SIZE and
 * HAVE_ARCH_ADD_CRASH_RES_TO_IOMEM_EARLY (x86: the resource is inserted at reservation time;
 * otherwise insert_crashkernel_resources() does it from do_basic_setup(), arm64's
 * early_initcall).
 */
#ifndef KERNEL_CRASH_RESERVE_H
#define KERNEL_CRASH_RESERVE_H

#include <kernel/types.h>
#include <kernel/ioport.h>
#include <asm/crash_reserve.h>

#ifndef DEFAULT_CRASH_KERNEL_LOW_SIZE
#define DEFAULT_CRASH_KERNEL_LOW_SIZE (128ULL << 20)
#endif

extern struct resource crashk_res;
extern struct resource crashk_low_res;

/* Mirrors memparse(): a number (base 0: 0x.. hex, 0.. octal) with an optional K/M/G/T/P/E. */
unsigned long long memparse(const char *ptr, char **retptr);

int parse_crashkernel(char *cmdline, unsigned long long system_ram,
                      unsigned long long *crash_size, unsigned long long *crash_base,
                      unsigned long long *low_size, unsigned long long *cma_size, bool *high);
void reserve_crashkernel_generic(unsigned long long crash_size, unsigned long long crash_base,
                                 unsigned long long crash_low_size, bool high);
/* arm64 early_initcall(insert_crashkernel_resources). */
void insert_crashkernel_resources(void);
/* Bytes reserved (crashk_res + crashk_low_res), as /sys/kernel/kexec_crash_size shows. */
size_t crash_get_memory_size(void);

#endif /* KERNEL_CRASH_RESERVE_H */
