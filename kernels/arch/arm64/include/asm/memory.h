/* SPDX-License-Identifier: MIT */
/*
 * arm64 virtual memory layout (mirrors arch/arm64/include/asm/memory.h for VA_BITS = 39,
 * 4 KiB pages). Usable from assembly and linker-script preprocessing.
 *
 *   0x0000_0000_0000_0000 .. 0x0000_007f_ffff_ffff  user (TTBR0), init at USER_TEXT_BASE
 *   0xffff_ff80_0000_0000 .. 0xffff_ffbf_ffff_ffff  linear map of RAM (PAGE_OFFSET)
 *   0xffff_ffc0_0800_0000 ..                        kernel image (KIMAGE_VADDR)
 *   0xffff_ffff_0000_0000 .. 0xffff_ffff_3fff_ffff  device window: PA [0, 1 GiB) at a fixed
 *                                                   offset (only the used 2 MiB blocks)
 */
#ifndef ASM_MEMORY_H
#define ASM_MEMORY_H

#include <kernel/const.h>

#define VA_BITS 39
#define PAGE_SHIFT 12
#define PAGE_SIZE (UL(1) << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

#define PAGE_OFFSET UL(0xffffff8000000000)
#define KIMAGE_VADDR UL(0xffffffc008000000)
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
#endif

#endif /* ASM_MEMORY_H */
