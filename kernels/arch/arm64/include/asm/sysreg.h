/* SPDX-License-Identifier: MIT */
/* System-register accessors (mirrors arch/arm64/include/asm/sysreg.h). */
#ifndef ASM_SYSREG_H
#define ASM_SYSREG_H

#include <kernel/types.h>

#define read_sysreg(r)                                              \
	({                                                          \
		u64 __val;                                          \
		__asm__ __volatile__("mrs %0, " #r : "=r"(__val)); \
		__val;                                              \
	})

#define write_sysreg(v, r)                                                   \
	do {                                                                 \
		u64 __val = (u64)(v);                                        \
		__asm__ __volatile__("msr " #r ", %x0" : : "rZ"(__val) : "memory"); \
	} while (0)

#endif /* ASM_SYSREG_H */
