/* SPDX-License-Identifier: MIT */
/*
 * SPARSEMEM constants (mirrors arch/arm64/include/asm/sparsemem.h with 4 KiB pages and
 * CONFIG_ARM64_PA_BITS=48): 128 MiB sections. Both reach VMCOREINFO (makedumpfile and crash
 * size their section walks by them).
 */
#ifndef ASM_SPARSEMEM_H
#define ASM_SPARSEMEM_H

#define SECTION_SIZE_BITS 27
#define MAX_PHYSMEM_BITS 48

#endif /* ASM_SPARSEMEM_H */
