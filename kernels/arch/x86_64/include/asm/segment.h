/* SPDX-License-Identifier: MIT */
/*
 * GDT layout (mirrors arch/x86/include/asm/segment.h, CONFIG_X86_64). The order of the user
 * entries is what SYSCALL/SYSRET need: STAR[47:32] = __KERNEL_CS (SS = +8),
 * STAR[63:48] = __USER32_CS (sysretq: SS = +8 = __USER_DS, CS = +16 = __USER_CS).
 */
#ifndef ASM_SEGMENT_H
#define ASM_SEGMENT_H

#define GDT_ENTRY_KERNEL32_CS 1
#define GDT_ENTRY_KERNEL_CS 2
#define GDT_ENTRY_KERNEL_DS 3
#define GDT_ENTRY_DEFAULT_USER32_CS 4
#define GDT_ENTRY_DEFAULT_USER_DS 5
#define GDT_ENTRY_DEFAULT_USER_CS 6
#define GDT_ENTRY_TSS 8 /* 16 bytes: entries 8 and 9 */
#define GDT_ENTRIES 16

#define __KERNEL32_CS (GDT_ENTRY_KERNEL32_CS * 8)
#define __KERNEL_CS (GDT_ENTRY_KERNEL_CS * 8)
#define __KERNEL_DS (GDT_ENTRY_KERNEL_DS * 8)
#define __USER32_CS (GDT_ENTRY_DEFAULT_USER32_CS * 8 + 3)
#define __USER_DS (GDT_ENTRY_DEFAULT_USER_DS * 8 + 3)
#define __USER_CS (GDT_ENTRY_DEFAULT_USER_CS * 8 + 3)
#define GDT_ENTRY_TSS_SEL (GDT_ENTRY_TSS * 8)

#ifdef __ASSEMBLER__
/* After lgdt: DS/ES/SS from the new GDT, FS/GS null (64-bit code keeps their bases in MSRs).
 * Clobbers %eax. Used by the boot CPU (head_64.S) and the APs (trampoline_64.S). */
.macro load_kernel_data_segments
	movl	$__KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
.endm
#endif

#endif /* ASM_SEGMENT_H */
