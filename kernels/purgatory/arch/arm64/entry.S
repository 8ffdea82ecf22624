/* SPDX-License-Identifier: MIT */
/*
 * arm64 purgatory entry, the hand-off of kexec-tools' purgatory/arch/arm64/entry.S: no register
 * is read on entry; own stack; purgatory(); then x17 = arm64_kernel_entry, x0 = arm64_dtb_addr,
 * x1 = x2 = x3 = 0 and br x17 (the arm64 boot protocol, Documentation/arch/arm64/booting.rst).
 * Runs with the MMU off: every address is physical.
 */
	.text
	.globl	purgatory_start
	.type	purgatory_start, %function
purgatory_start:
	adr	x19, purgatory_stack_end	/* R_AARCH64_ADR_PREL_LO21 (the stack is in .bss) */
	mov	sp, x19
	bl	purgatory			/* R_AARCH64_CALL26 */
	ldr	x17, arm64_kernel_entry		/* R_AARCH64_LD_PREL_LO19 */
	ldr	x0, arm64_dtb_addr		/* R_AARCH64_LD_PREL_LO19 */
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	br	x17
	.size	purgatory_start, . - purgatory_start

	/* Set by the loader; 8-byte aligned for the literal loads above. */
	.data
	.balign	8
	.globl	arm64_kernel_entry
	.type	arm64_kernel_entry, %object
	.size	arm64_kernel_entry, 8
arm64_kernel_entry:
	.quad	0
	.globl	arm64_dtb_addr
	.type	arm64_dtb_addr, %object
	.size	arm64_dtb_addr, 8
arm64_dtb_addr:
	.quad	0

	/* 4 KiB C stack (kexec-tools keeps 2 KiB inside .text; bss keeps .text read-only). Page
	 * aligned so that stack stores never share a page with code: under QEMU/Unicorn a store to
	 * a page holding translated code invalidates it (self-modifying-code detection), which made
	 * the SHA-256 loop ~100x slower. */
	.bss
	.balign	4096
purgatory_stack:
	.skip	4096
purgatory_stack_end:
