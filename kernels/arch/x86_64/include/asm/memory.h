/* SPDX-License-Identifier: MIT */
/*
 * x86_64 virtual memory layout (mirrors arch/x86/include/asm/page_64_types.h and
 * Documentation/arch/x86/x86_64/mm.rst, 4-level paging, 4 KiB pages). Usable from assembly
 * and linker-script preprocessing.
 *
 *   0x0000_0000_0000_0000 .. 0x0000_7fff_ffff_efff  user (TASK_SIZE); init at USER_TEXT_BASE
 *                                                   (above 64 GiB: the simulator maps RAM at
 *                                                   VA == PA, user VAs must not collide)
 *   0xffff_8880_0000_0000 ..                        direct map of PA [0, max(4 GiB, RAM end))
 *                                                   (PAGE_OFFSET, 1 GiB pages; includes the
 *                                                   MMIO hole, so ioremap() is __va())
 *   0xffff_ffff_8000_0000 ..                        kernel text mapping (__START_KERNEL_map);
 *                                                   the image at KIMAGE_VADDR = +16 MiB is
 *                                                   mapped to wherever it was loaded
 */
#ifndef ASM_MEMORY_H
#define ASM_MEMORY_H

#include <kernel/const.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (UL(1) << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PMD_SHIFT 21
#define PMD_SIZE (UL(1) << PMD_SHIFT)
#define PUD_SHIFT 30
#define PUD_SIZE (UL(1) << PUD_SHIFT)
#define PGDIR_SHIFT 39
#define PTRS_PER_TABLE 512

#define PAGE_OFFSET UL(0xffff888000000000)
#define __START_KERNEL_map UL(0xffffffff80000000)
/* Linux's CONFIG_PHYSICAL_START: the default physical load address (16 MiB). */
#define KERNEL_LOAD_PHYS UL(0x1000000)
#define KIMAGE_VADDR (__START_KERNEL_map + KERNEL_LOAD_PHYS)
/* Linux's CONFIG_PHYSICAL_ALIGN: the image runs from any 2 MiB-aligned base. */
#define MIN_KERNEL_ALIGN UL(0x200000)
/* The direct map always covers the 32-bit physical space (devices at 0xfeb00000). */
#define DIRECT_MAP_MIN_SIZE UL(0x100000000)
/*
 * The direct map uses 1 GiB pages (gbpages): one 4 KiB PUD page per 512 GiB, statically
 * allocated in head_64.S, so it reaches 2 TiB of physical address space (the kdsim PC's RAM
 * ends at 1 TiB + 1 GiB at most).
 */
#define DIRECT_MAP_PUD_PAGES 4
#define DIRECT_MAP_MAX_GB (DIRECT_MAP_PUD_PAGES * PTRS_PER_TABLE)

/* User address space (Linux's TASK_SIZE_MAX with 4-level paging). */
#define TASK_SIZE UL(0x00007ffffffff000)
#define USER_TEXT_BASE UL(0x0000100000000000)
#define USER_STACK_TOP UL(0x0000100040000000)
#define USER_STACK_SIZE UL(0x10000)

#ifndef __ASSEMBLER__
#include <kernel/types.h>

/* Physical load address of the image (head_64.S) and Linux's phys_base (load - 16 MiB). */
extern phys_addr_t kimage_phys_base;
#define __va(pa) ((void *)((unsigned long)(pa) + PAGE_OFFSET))

/* The vmemmap (arch/x86/include/asm/pgtable_64.h): struct page of pfn N at vmemmap + N. */
extern unsigned long vmemmap_base;
#define VMEMMAP_START vmemmap_base
#define vmemmap ((struct page *)VMEMMAP_START)
#endif

#endif /* ASM_MEMORY_H */
