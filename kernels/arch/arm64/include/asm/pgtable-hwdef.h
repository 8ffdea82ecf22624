/* SPDX-License-Identifier: MIT */
/*
 * VMSAv8-64 translation-table descriptor bits, 4 KiB granule, 48-bit VA (4 levels: L0 512 GiB,
 * L1 1 GiB, L2 2 MiB, L3 4 KiB; Linux's pgd/pud/pmd/pte). Names follow arch/arm64/include/asm/pgtable-hwdef.h. Also MAIR/TCR/SCTLR.
 */
#ifndef ASM_PGTABLE_HWDEF_H
#define ASM_PGTABLE_HWDEF_H

#include <kernel/const.h>

#define PTRS_PER_TABLE 512
#define PGDIR_SHIFT 39 /* level-0 entry: 512 GiB (CONFIG_PGTABLE_LEVELS = 4) */
#define PUD_SHIFT 30 /* level-1 entry: 1 GiB */
#define PMD_SHIFT 21 /* level-2 entry: 2 MiB */
#define PUD_SIZE (UL(1) << PUD_SHIFT)
#define PMD_SIZE (UL(1) << PMD_SHIFT)
#define PGDIR_SIZE (UL(1) << PGDIR_SHIFT)
#define TABLE_INDEX_MASK UL(0x1ff)

#define PTE_VALID (UL(1) << 0)
#define PTE_TYPE_BLOCK (UL(1) << 0)             /* bits[1:0] = 01 at L1/L2 */
#define PTE_TYPE_TABLE ((UL(1) << 0) | (UL(1) << 1)) /* bits[1:0] = 11 at L1/L2 */
#define PTE_TYPE_PAGE ((UL(1) << 0) | (UL(1) << 1))  /* bits[1:0] = 11 at L3 */
#define PTE_ATTRINDX(t) (UL(t) << 2)
#define PTE_USER (UL(1) << 6)   /* AP[1]: EL0 access */
#define PTE_RDONLY (UL(1) << 7) /* AP[2] */
#define PTE_SHARED (UL(3) << 8) /* SH[1:0]: inner shareable */
#define PTE_AF (UL(1) << 10)
#define PTE_NG (UL(1) << 11)
#define PTE_PXN (UL(1) << 53)
#define PTE_UXN (UL(1) << 54)
#define PTE_ADDR_MASK UL(0x0000fffffffff000)

/* MAIR_EL1 attribute indices (Linux's MT_* numbering) and their encodings. */
#define MT_NORMAL 0
#define MT_NORMAL_TAGGED 1
#define MT_NORMAL_NC 2
#define MT_DEVICE_nGnRnE 3
#define MT_DEVICE_nGnRE 4
#define MAIR_ATTR_NORMAL UL(0xff)
#define MAIR_ATTR_NORMAL_NC UL(0x44)
#define MAIR_ATTR_DEVICE_nGnRnE UL(0x00)
#define MAIR_ATTR_DEVICE_nGnRE UL(0x04)
#define MAIR_ATTRIDX(attr, idx) ((attr) << ((idx)*8))

/* Kernel mapping attributes. */
#define PROT_SECT_NORMAL (PTE_TYPE_BLOCK | PTE_ATTRINDX(MT_NORMAL) | PTE_SHARED | PTE_AF | PTE_UXN)
#define PROT_SECT_NORMAL_NX (PROT_SECT_NORMAL | PTE_PXN)
#define PROT_SECT_DEVICE (PTE_TYPE_BLOCK | PTE_ATTRINDX(MT_DEVICE_nGnRnE) | PTE_AF | PTE_PXN | PTE_UXN)

/* TCR_EL1 fields. */
#define TCR_T0SZ(x) ((UL(64) - (x)) << 0)
#define TCR_T1SZ(x) ((UL(64) - (x)) << 16)
#define TCR_IRGN0_WBWA (UL(1) << 8)
#define TCR_ORGN0_WBWA (UL(1) << 10)
#define TCR_SH0_INNER (UL(3) << 12)
#define TCR_TG0_4K (UL(0) << 14)
#define TCR_IRGN1_WBWA (UL(1) << 24)
#define TCR_ORGN1_WBWA (UL(1) << 26)
#define TCR_SH1_INNER (UL(3) << 28)
#define TCR_TG1_4K (UL(2) << 30)
#define TCR_IPS_SHIFT 32
#define TCR_EPD0 (UL(1) << 7)

/* SCTLR_EL1 bits. */
#define SCTLR_ELx_M (UL(1) << 0)
#define SCTLR_ELx_A (UL(1) << 1)
#define SCTLR_ELx_C (UL(1) << 2)
#define SCTLR_ELx_SA (UL(1) << 3)
#define SCTLR_EL1_SA0 (UL(1) << 4)
#define SCTLR_ELx_I (UL(1) << 12)
#define SCTLR_EL1_nTWI (UL(1) << 16)
#define SCTLR_EL1_nTWE (UL(1) << 18)
#define SCTLR_EL1_RES1 ((UL(1) << 11) | (UL(1) << 20) | (UL(1) << 22) | (UL(1) << 23) | (UL(1) << 28) | (UL(1) << 29))
#define INIT_SCTLR_EL1_MMU_ON (SCTLR_EL1_RES1 | SCTLR_ELx_M | SCTLR_ELx_C | SCTLR_ELx_SA | \
                               SCTLR_EL1_SA0 | SCTLR_ELx_I | SCTLR_EL1_nTWI | SCTLR_EL1_nTWE)
#define INIT_SCTLR_EL1_MMU_OFF SCTLR_EL1_RES1

#endif /* ASM_PGTABLE_HWDEF_H */
