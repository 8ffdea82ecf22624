// SPDX-License-Identifier: MIT
/*
 * Memory preserving reboot related code (mirrors arch/x86/kernel/crash_dump_64.c
 * copy_oldmem_page()). Linux ioremap_cache()s the old page; here the capture kernel reads it
 * through the direct map, which head_64.S built over [0, max(4 GiB, end of its e820 RAM)) and
 * which grows on demand (in whole GiB, up to DIRECT_MAP_MAX_GB) for old RAM above that, e.g.
 * crash notes or VMCOREINFO the crashed kernel allocated above 4 GiB.
 */
#include <kernel/arch.h>
#include <kernel/string.h>
#include <asm/memory.h>
#include <asm/setup.h>
#include <asm-generic/errno-base.h>

ssize_t copy_oldmem_page(void *buf, unsigned long pfn, size_t csize, unsigned long offset)
{
	phys_addr_t pa = (phys_addr_t)pfn << PAGE_SHIFT;

	if (!csize)
		return 0;
	if (offset + csize > PAGE_SIZE)
		return -EINVAL;
	/* ioremap_cache() failing: beyond what the direct map can cover. */
	if (!x86_direct_map_extend(pa + PAGE_SIZE))
		return -ENOMEM;
	memcpy(buf, (const char *)__va(pa) + offset, csize);
	return (ssize_t)csize;
}
