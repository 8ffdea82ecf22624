/* SPDX-License-Identifier: MIT */
/*
 * kexec relocation code for normal (non-crash) images (mirrors the pre-5.15
 * arch/arm64/kernel/relocate_kernel.S, which runs with the MMU OFF).
 *
 * machine_kexec_post_load() copies this routine into the image's control code page;
 * machine_kexec() enters it through cpu_soft_restart(0, control page, head, start, dtb), so on
 * entry: x0 = kimage->head, x1 = kimage->start, x2 = dtb (0 for kexec_load images). It walks
 * the IND_* list (SOURCE -> copy one page to the current destination, INDIRECTION -> next
 * list page, DESTINATION -> new destination, until DONE), then enters the new image with
 * x0 = dtb, x1 = x2 = x3 = 0. Position independent: it runs from wherever the control page is.
 */
#include <asm/assembler.h>

#define IND_DESTINATION_BIT 0
#define IND_INDIRECTION_BIT 1
#define IND_DONE_BIT 2
#define IND_SOURCE_BIT 3
#define PAGE_SIZE 4096

	.text
	.balign	64
ENTRY(arm64_relocate_new_kernel)
	/* Setup the list loop variables. */
	mov	x17, x1				/* x17 = kimage_start */
	mov	x16, x0				/* x16 = kimage_head */
	mov	x18, x2				/* x18 = dtb */
	mrs	x15, ctr_el0			/* x15 = dcache line size (raw_dcache_line_size) */
	ubfm	x15, x15, #16, #19
	mov	x0, #4
	lsl	x15, x0, x15
	mov	x14, xzr			/* x14 = entry ptr */
	mov	x13, xzr			/* x13 = copy dest */

	/* Check if the new image needs relocation. */
	tbnz	x16, IND_DONE_BIT, .Ldone

.Lloop:
	and	x12, x16, #0xfffffffffffff000	/* x12 = addr */

	/* Test the entry flags. */
.Ltest_source:
	tbz	x16, IND_SOURCE_BIT, .Ltest_indirection

	/* Invalidate dest page to PoC. */
	mov	x0, x13
	add	x20, x0, #PAGE_SIZE
	sub	x1, x15, #1
	bic	x0, x0, x1
2:	dc	ivac, x0
	add	x0, x0, x15
	cmp	x0, x20
	b.lo	2b
	dsb	sy

	/* copy_page(dest = x13, src = x12) */
	mov	x20, x13
	mov	x21, x12
3:	ldp	x2, x3, [x21]
	ldp	x4, x5, [x21, #16]
	ldp	x6, x7, [x21, #32]
	ldp	x8, x9, [x21, #48]
	stp	x2, x3, [x20]
	stp	x4, x5, [x20, #16]
	stp	x6, x7, [x20, #32]
	stp	x8, x9, [x20, #48]
	add	x21, x21, #64
	add	x20, x20, #64
	tst	x21, #(PAGE_SIZE - 1)
	b.ne	3b

	/* dest += PAGE_SIZE */
	add	x13, x13, #PAGE_SIZE
	b	.Lnext

.Ltest_indirection:
	tbz	x16, IND_INDIRECTION_BIT, .Ltest_destination

	/* ptr = addr */
	mov	x14, x12
	b	.Lnext

.Ltest_destination:
	tbz	x16, IND_DESTINATION_BIT, .Lnext

	/* dest = addr */
	mov	x13, x12

.Lnext:
	/* entry = *ptr++ */
	ldr	x16, [x14], #8

	/* while (!(entry & DONE)) */
	tbz	x16, IND_DONE_BIT, .Lloop

.Ldone:
	/* wait for writes from copy_page to finish */
	dsb	nsh
	ic	iallu
	dsb	nsh
	isb

	/* Start new image. */
	mov	x0, x18
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	br	x17
.Lreloc_end:
END(arm64_relocate_new_kernel)

	.section ".rodata", "a"
	.balign	8
	.globl	arm64_relocate_new_kernel_size
arm64_relocate_new_kernel_size:
	.quad	.Lreloc_end - arm64_relocate_new_kernel
