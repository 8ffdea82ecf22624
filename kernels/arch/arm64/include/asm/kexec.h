/* SPDX-License-Identifier: MIT */
/*
 * arm64 kexec definitions (mirrors arch/arm64/include/asm/kexec.h).
 */
#ifndef ASM_KEXEC_H
#define ASM_KEXEC_H

#include <kernel/types.h>
#include <kernel/compiler.h>
#include <kernel/string.h>
#include <asm/ptrace.h>

/* Maximum physical address we can use pages from. */
#define KEXEC_SOURCE_MEMORY_LIMIT (-1UL)
/* Maximum address we can reach in physical address mode. */
#define KEXEC_DESTINATION_MEMORY_LIMIT (-1UL)
/* Maximum address we can use for the control code buffer. */
#define KEXEC_CONTROL_MEMORY_LIMIT (-1UL)
#define KEXEC_CRASH_CONTROL_MEMORY_LIMIT KEXEC_CONTROL_MEMORY_LIMIT
#define KEXEC_CONTROL_PAGE_SIZE 4096
/* KEXEC_ARCH_AARCH64 (include/uapi/linux/kexec.h; kexec-tools calls it KEXEC_ARCH_ARM64). */
#define KEXEC_ARCH (183 << 16)

/*
 * crash_setup_regs() - save registers for the panic kernel
 * @newregs: registers are saved here
 * @oldregs: registers to be saved (may be NULL: then the current ones, with a faked PSTATE)
 */
static __always_inline void crash_setup_regs(struct pt_regs *newregs, struct pt_regs *oldregs)
{
	if (oldregs) {
		memcpy(newregs, oldregs, sizeof(*newregs));
	} else {
		u64 tmp1, tmp2;

		__asm__ __volatile__(
			"stp	 x0,   x1, [%2, #16 *  0]\n"
			"stp	 x2,   x3, [%2, #16 *  1]\n"
			"stp	 x4,   x5, [%2, #16 *  2]\n"
			"stp	 x6,   x7, [%2, #16 *  3]\n"
			"stp	 x8,   x9, [%2, #16 *  4]\n"
			"stp	x10,  x11, [%2, #16 *  5]\n"
			"stp	x12,  x13, [%2, #16 *  6]\n"
			"stp	x14,  x15, [%2, #16 *  7]\n"
			"stp	x16,  x17, [%2, #16 *  8]\n"
			"stp	x18,  x19, [%2, #16 *  9]\n"
			"stp	x20,  x21, [%2, #16 * 10]\n"
			"stp	x22,  x23, [%2, #16 * 11]\n"
			"stp	x24,  x25, [%2, #16 * 12]\n"
			"stp	x26,  x27, [%2, #16 * 13]\n"
			"stp	x28,  x29, [%2, #16 * 14]\n"
			"mov	 %0,  sp\n"
			"stp	x30,  %0,  [%2, #16 * 15]\n"

			"/* faked current PSTATE */\n"
			"mrs	 %0, CurrentEL\n"
			"mrs	 %1, SPSEL\n"
			"orr	 %0, %0, %1\n"
			"mrs	 %1, DAIF\n"
			"orr	 %0, %0, %1\n"
			"mrs	 %1, NZCV\n"
			"orr	 %0, %0, %1\n"
			/* pc */
			"adr	 %1, 1f\n"
			"1:\n"
			"stp	 %1, %0,   [%2, #16 * 16]\n"
			: "=&r"(tmp1), "=&r"(tmp2)
			: "r"(newregs)
			: "memory");
	}
}

/* arch-specific part of struct kimage (arm64 keeps the physical relocation routine). */
struct kimage_arch {
	phys_addr_t dtb_mem;   /* kexec_file_load only: 0 for kexec_load images */
	phys_addr_t kern_reloc; /* normal images: arm64_relocate_new_kernel copied to the control page */
};

/* arch/arm64/kernel/cpu-reset.S: MMU off, then jump (must be called through its PA). */
void cpu_soft_restart(unsigned long el2_switch, unsigned long entry, unsigned long arg0,
                      unsigned long arg1, unsigned long arg2);
/* arch/arm64/kernel/relocate_kernel.S: copied into the control page by machine_kexec_post_load. */
extern const char arm64_relocate_new_kernel[];
extern const unsigned long arm64_relocate_new_kernel_size;

#endif /* ASM_KEXEC_H */
