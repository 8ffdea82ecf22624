/* SPDX-License-Identifier: MIT */
/* Page-table entry bits (mirrors arch/x86/include/asm/pgtable_types.h). */
#ifndef ASM_PGTABLE_TYPES_H
#define ASM_PGTABLE_TYPES_H

#include <kernel/const.h>

#define _PAGE_PRESENT (UL(1) << 0)
#define _PAGE_RW (UL(1) << 1)
#define _PAGE_USER (UL(1) << 2)
#define _PAGE_PWT (UL(1) << 3)
#define _PAGE_PCD (UL(1) << 4)
#define _PAGE_ACCESSED (UL(1) << 5)
#define _PAGE_DIRTY (UL(1) << 6)
#define _PAGE_PSE (UL(1) << 7)
#define _PAGE_GLOBAL (UL(1) << 8)
/* Bit 63 (NX) is deliberately never set: CPUID reports no NX on Unicorn 2.0.1. */
#define PTE_PFN_MASK UL(0x000ffffffffff000)

/* Intermediate tables: present, writable, user (the leaf decides), accessed. */
#define _KERNPG_TABLE (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define _PAGE_TABLE (_KERNPG_TABLE | _PAGE_USER)
/* 2 MiB / 1 GiB kernel leaves (Linux's __PAGE_KERNEL_LARGE_EXEC without _PAGE_GLOBAL). */
#define __PAGE_KERNEL_LARGE_EXEC (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_PSE)

#endif /* ASM_PGTABLE_TYPES_H */
