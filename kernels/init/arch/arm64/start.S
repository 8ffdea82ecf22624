/* SPDX-License-Identifier: MIT */
/* init's entry point (musl's crt_arch.h role): sp -> argc, argv[], NULL, envp[], auxv. */
	.text
	.globl	_start
	.type	_start, %function
_start:
	mov	x29, #0
	mov	x30, #0
	ldr	x0, [sp]		// argc
	add	x1, sp, #8		// argv
	bl	main
	bl	sys_exit		// exit(main's return value); never returns
1:	b	1b
	.size	_start, . - _start
