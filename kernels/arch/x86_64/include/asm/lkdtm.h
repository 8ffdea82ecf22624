/* SPDX-License-Identifier: MIT */
/*
 * x86_64 side of the provoke-crash DIRECT types that depend on the CPU
 * (common/drivers/misc/lkdtm.c). Linux's LKDTM has no divide-by-zero type; kdsim adds
 * DIVIDE_ZERO: `div` by a register holding 0 raises #DE (vector 0), which traps.c reports as
 * Linux's exc_divide_error() does (arch/x86/kernel/traps.c): "divide error: 0000 [#1] SMP".
 */
#ifndef ASM_LKDTM_H
#define ASM_LKDTM_H

#include <asm/io.h>

#define ARCH_LKDTM_DIVIDE_ZERO_REFUSED NULL

static inline void arch_lkdtm_divide_zero(void)
{
	unsigned int lo = 1, hi = 0, divisor = 0;
	__asm__ __volatile__("divl %2" : "+a"(lo), "+d"(hi) : "r"(divisor) : "cc");
}

/*
 * UNMAPPED_IO (kdsim's, not Linux's): a driver reads a register of a device the board does not
 * have: the i8042 keyboard controller's status port (drivers/input/serio/i8042-io.h,
 * I8042_STATUS_REG 0x64), as i8042_controller_check() does. With no device there the bus
 * floats: 0xff, which that driver takes for "No controller found".
 */
#define ARCH_LKDTM_UNMAPPED_IO_WHAT "i8042 status port 0x64"

static inline unsigned long arch_lkdtm_unmapped_io(void)
{
	return inb(0x64);
}

/*
 * CORRUPT_VECTORS (kdsim's): the IDT is lost (limit 0), then `ud2`. #UD cannot be delivered, nor
 * the #GP that raises, nor the #DF after it: a triple fault. The CPU shuts down and the PC resets
 * (Intel SDM Vol. 3A 6.15, interrupt 8); Linux itself reboots this way as a last resort
 * (arch/x86/kernel/reboot.c, BOOT_TRIPLE).
 */
static inline void arch_lkdtm_corrupt_vectors(void)
{
	static const struct {
		u16 limit;
		u64 base;
	} __attribute__((packed)) no_idt = { 0, 0 };
	__asm__ __volatile__("lidt %0\n\tud2" : : "m"(no_idt) : "memory");
}

#endif /* ASM_LKDTM_H */
