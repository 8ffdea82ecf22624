/* SPDX-License-Identifier: MIT */
/* The empty symbol table of the first link (see scripts/kallsyms.py). */
	.section ".kallsyms", "a"
	.balign	4
	.globl	kallsyms_num
kallsyms_num:
	.long	0
	.globl	kallsyms_offsets
kallsyms_offsets:
	.globl	kallsyms_names
kallsyms_names:
	.byte	0
