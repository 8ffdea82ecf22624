/* SPDX-License-Identifier: MIT */
/*
 * Image layout symbols every arch linker script must define (mirrors
 * include/asm-generic/sections.h).
 */
#ifndef KERNEL_SECTIONS_H
#define KERNEL_SECTIONS_H

extern char _text[], _stext[], _etext[];
/* __init code (include/kernel/init.h): [_sinittext, _einittext) inside [__init_begin, __init_end). */
extern char _sinittext[], _einittext[], __init_begin[], __init_end[];
extern char __start_rodata[], __end_rodata[];
extern char _sdata[], _edata[];
extern char __bss_start[], __bss_stop[];
extern char _end[];

#endif /* KERNEL_SECTIONS_H */
