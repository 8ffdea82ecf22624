// SPDX-License-Identifier: MIT
/*
 * Reading the crashed kernel's memory from the capture kernel (mirrors
 * arch/arm64/kernel/crash_dump.c copy_oldmem_page()). Linux memremap()s the page; here the
 * early linear map already covers every RAM range of the DTB's /memory (not only the
 * usable range memblock was capped to), so the page is read through it.
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
	if (offset + csize > PAGE_SIZE || !arm64_linear_map_covers(pa, PAGE_SIZE))
		return -ENOMEM; /* memremap() failed */
	memcpy(buf, (const char *)phys_to_virt(pa) + offset, csize);
	return (ssize_t)csize;
}
