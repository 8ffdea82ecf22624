/* SPDX-License-Identifier: MIT */
/*
 * SPARSEMEM constants (mirrors arch/x86/include/asm/sparsemem.h, x86_64 with 4-level paging):
 * 128 MiB sections, 46 physical address bits. Both reach VMCOREINFO (makedumpfile sizes its
 * section walk by them).
 */
#ifndef ASM_SPARSEMEM_H
#define ASM_SPARSEMEM_H

#define SECTION_SIZE_BITS 27
#define MAX_PHYSMEM_BITS 46

#endif /* ASM_SPARSEMEM_H */
