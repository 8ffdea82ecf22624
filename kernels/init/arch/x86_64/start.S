/* SPDX-License-Identifier: MIT */
/* init's entry point (musl's arch/x86_64/crt_arch.h role): rsp -> argc, argv[], NULL, envp[], auxv. */
	.section ".text._start", "ax"
	.globl	_start
	.type	_start, @function
_start:
	xorl	%ebp, %ebp		/* outermost frame */
	movq	(%rsp), %rdi		/* argc */
	leaq	8(%rsp), %rsi		/* argv */
	andq	$-16, %rsp		/* the ABI's call alignment */
	call	main
	movl	%eax, %edi
	call	sys_exit		/* exit(main's return value); never returns */
1:	jmp	1b
	.size	_start, . - _start
