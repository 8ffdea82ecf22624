/* SPDX-License-Identifier: MIT */
/* x86_64 boot state shared between head_64.S, head64.c, setup.c and mm/ (arch-private). */
#ifndef ASM_SETUP_H
#define ASM_SETUP_H

#include <kernel/types.h>

/* Written by x86_64_start_kernel(): %rsi at entry and the image's physical load address. */
extern phys_addr_t boot_params_phys;
extern phys_addr_t kimage_phys_base;

/* Linker-script and head_64.S symbols. */
extern char _text[], _etext[], _end[], __bss_start[], __bss_stop[];
extern char init_stack[], init_stack_top[];
extern u64 early_top_pgt[];  /* identity + kernel + direct map: the switch, kept for kexec */
extern u64 init_top_pgt[];   /* kernel + direct map only: swapper's page table */
extern u8 x86_phys_bits;     /* MAXPHYADDR from CPUID 0x80000008 (head_64.S) */
extern u64 direct_map_size;  /* bytes of PA covered by the direct map (head_64.S) */
/* Grow the direct map to cover [0, end) (mm/init_64.c); false beyond DIRECT_MAP_MAX_GB. */
bool x86_direct_map_extend(phys_addr_t end);

/* Exception vectors (entry_64.S): 256 stubs of IDT_STUB_SIZE bytes from asm_idt_stubs. */
#define IDT_STUB_SIZE 16
extern char asm_idt_stubs[];
extern char entry_SYSCALL_64[];
extern u64 gdt_page[];

struct pt_regs;
void trap_init(void);
void syscall_init(void);
void do_page_fault(struct pt_regs *regs, unsigned long error_code, unsigned long address);
void __noreturn asm_ret_to_user(struct pt_regs *regs);

#endif /* ASM_SETUP_H */
