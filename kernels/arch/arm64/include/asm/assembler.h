/* SPDX-License-Identifier: MIT */
/* Assembler macros (mirrors arch/arm64/include/asm/assembler.h). */
#ifndef ASM_ASSEMBLER_H
#define ASM_ASSEMBLER_H

#ifdef __ASSEMBLER__
/* PC-relative address of sym (+-4 GiB): the physical address while the MMU is off. */
	.macro	adr_l, dst, sym
	adrp	\dst, \sym
	add	\dst, \dst, :lo12:\sym
	.endm

/* Load a 64-bit immediate without a literal pool. */
	.macro	mov_q, reg, val
	movz	\reg, :abs_g3:\val
	movk	\reg, :abs_g2_nc:\val
	movk	\reg, :abs_g1_nc:\val
	movk	\reg, :abs_g0_nc:\val
	.endm

#define ENTRY(name) \
	.globl name; \
	.type name, %function; \
	name:
#define END(name) .size name, . - name
#endif

#endif /* ASM_ASSEMBLER_H */
