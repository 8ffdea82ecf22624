/* SPDX-License-Identifier: MIT */
/* Port I/O (mirrors arch/x86/include/asm/io.h, inb/outb/outw). */
#ifndef ASM_IO_H
#define ASM_IO_H

#include <kernel/types.h>

static inline void outb(u8 value, u16 port)
{
	__asm__ __volatile__("outb %b0, %w1" : : "a"(value), "Nd"(port) : "memory");
}

static inline void outw(u16 value, u16 port)
{
	__asm__ __volatile__("outw %w0, %w1" : : "a"(value), "Nd"(port) : "memory");
}

static inline u8 inb(u16 port)
{
	u8 value;
	__asm__ __volatile__("inb %w1, %b0" : "=a"(value) : "Nd"(port) : "memory");
	return value;
}

#endif /* ASM_IO_H */
