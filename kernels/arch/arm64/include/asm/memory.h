/* SPDX-License-Identifier: MIT */
/*
 * arm64 virtual memory layout (mirrors arch/arm64/include/asm/memory.h for VA_BITS = 48,
 * Linux's default with 4 KiB pages: 4-level tables, a 128 TiB linear map), 4 KiB pages. Usable
 * from assembly and linker-script preprocessing.
 *
 *   0x0000_0000_0000_0000 .. 0x0000_ffff_ffff_ffff  user (TTBR0), init at USER_TEXT_BASE
 *   0xffff_0000_0000_0000 .. 0xffff_7fff_ffff_ffff  linear map of RAM (PAGE_OFFSET .. PAGE_END)
 *   0xffff_8000_0800_0000 ..                        kernel image (KIMAGE_VADDR = MODULES_END,
 *                                                   as in Linux 5.4 .. 6.0)
 *   0xffff_ffff_0000_0000 .. 0xffff_ffff_3fff_ffff  device window: PA [0, 1 GiB) at a fixed
 *                                                   offset (only the used 2 MiB blocks)
 *
 * With VA_BITS = 39 the linear map would end at 256 GiB and collide with the image; Linux's
 * arm64 defconfig uses 48 bits, and so does this kernel (machines up to 1 TiB and beyond).
 */
#ifndef ASM_MEMORY_H
#define ASM_MEMORY_H

#include <kernel/const.h>

#define VA_BITS 48
#define PAGE_SHIFT 12
#define PAGE_SIZE (UL(1) << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

/* _PAGE_OFFSET(VA_BITS) = -(1 << VA_BITS) and _PAGE_END(VA_BITS) = -(1 << (VA_BITS - 1)). */
#define PAGE_OFFSET UL(0xffff000000000000)
#define PAGE_END UL(0xffff800000000000)
/* MODULES_VADDR = PAGE_END, MODULES_VSIZE = 128 MiB, KIMAGE_VADDR = MODULES_END. */
#define KIMAGE_VADDR UL(0xffff800008000000)
/*
 * The vmemmap (6.1: VMEMMAP_SHIFT = PAGE_SHIFT - STRUCT_PAGE_MAX_SHIFT = 6): room for the
 * struct pages of the whole linear map, below PCI I/O and the fixmap; vmalloc ends 256 MiB
 * below it. VMCOREINFO carries all of them (crash and makedumpfile read them there).
 */
#define VMEMMAP_SHIFT (PAGE_SHIFT - 6)
#define VMEMMAP_SIZE ((PAGE_END - PAGE_OFFSET) >> VMEMMAP_SHIFT)
#define VMEMMAP_START (-(UL(1) << (VA_BITS - VMEMMAP_SHIFT)))
#define VMEMMAP_END (VMEMMAP_START + VMEMMAP_SIZE)
#define MODULES_VADDR PAGE_END
#define MODULES_VSIZE UL(0x8000000)
#define MODULES_END (MODULES_VADDR + MODULES_VSIZE)
#define VMALLOC_START MODULES_END
#define VMALLOC_END (VMEMMAP_START - UL(0x10000000))
#define DEVICE_VIRT_BASE UL(0xffffffff00000000)
#define DEVICE_VIRT_SIZE UL(0x40000000)

/* Linux aligns the linear map's physical origin (memstart_addr) to ARM64_MEMSTART_ALIGN. */
#define ARM64_MEMSTART_ALIGN UL(0x40000000)
/* Default physical load address of the image (QEMU -kernel ELF, kdsim first kernel). */
#define KERNEL_LOAD_PHYS UL(0x40200000)
#define MIN_KIMG_ALIGN UL(0x200000)

/* User address space. The init program is linked at USER_TEXT_BASE (init/arch/arm64/init.lds). */
#define TASK_SIZE (UL(1) << VA_BITS)
#define USER_TEXT_BASE UL(0x0000004000000000)
#define USER_STACK_TOP UL(0x0000004040000000)
#define USER_STACK_SIZE UL(0x10000)

#ifndef __ASSEMBLER__
#include <kernel/types.h>

/* Physical origin of the linear map (set by the early mapping code before the MMU is on). */
extern s64 memstart_addr;
/* KIMAGE VA minus the image's physical address (Linux's kimage_voffset). */
extern u64 kimage_voffset;
#define PHYS_OFFSET ((phys_addr_t)memstart_addr)
#define __phys_to_virt(pa) ((unsigned long)((pa) - PHYS_OFFSET) | PAGE_OFFSET)
/* struct page of pfn N at vmemmap + N; the first RAM pfn's is at VMEMMAP_START. */
#define vmemmap ((struct page *)VMEMMAP_START - (memstart_addr >> PAGE_SHIFT))
#endif

#endif /* ASM_MEMORY_H */
