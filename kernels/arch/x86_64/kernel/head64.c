// SPDX-License-Identifier: MIT
/*
 * C half of the boot CPU bring-up (mirrors x86_64_start_kernel() in arch/x86/kernel/head64.c
 * and cpu_init()/syscall_init() in arch/x86/kernel/cpu/common.c): the GDT with Linux's
 * layout, the TSS, the per-CPU GS base, the IDT, the SYSCALL MSRs, then the switch from
 * early_top_pgt (with the identity map) to init_top_pgt, and start_kernel().
 */
#include <kernel/arch.h>
#include <kernel/init.h>
#include <kernel/string.h>
#include <asm/board.h>
#include <asm/io.h>
#include <asm/memory.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/processor.h>
#include <asm/segment.h>
#include <asm/serial.h>
#include <asm/setup.h>

phys_addr_t boot_params_phys;
phys_addr_t kimage_phys_base;

/* GDT_ENTRY_INIT(flags, base 0, limit 0xfffff) of arch/x86/kernel/cpu/common.c. */
#define GDT_ENTRY_FLAT(flags) ((((u64)(flags)&0xf0ff) << 40) | (0xfULL << 48) | 0xffffULL)

/* Linux's gdt_page (one per CPU; one CPU here). The TSS descriptor is filled at run time. */
__aligned(4096) u64 gdt_page[GDT_ENTRIES] = {
	[GDT_ENTRY_KERNEL32_CS] = GDT_ENTRY_FLAT(0xc09b),
	[GDT_ENTRY_KERNEL_CS] = GDT_ENTRY_FLAT(0xa09b),
	[GDT_ENTRY_KERNEL_DS] = GDT_ENTRY_FLAT(0xc093),
	[GDT_ENTRY_DEFAULT_USER32_CS] = GDT_ENTRY_FLAT(0xc0fb),
	[GDT_ENTRY_DEFAULT_USER_DS] = GDT_ENTRY_FLAT(0xc0f3),
	[GDT_ENTRY_DEFAULT_USER_CS] = GDT_ENTRY_FLAT(0xa0fb),
};

__aligned(64) struct x86_hw_tss cpu_tss_rw = { .io_bitmap_base = sizeof(struct x86_hw_tss) };
struct x86_pcpu cpu_pcpu;

/* IST1: the #DF stack (Linux: exception stacks, ESTACK_DF). */
static __aligned(16) u8 doublefault_stack[4096];

void update_task_stack(unsigned long stack_top)
{
	cpu_tss_rw.sp0 = stack_top;
	cpu_pcpu.top_of_stack = stack_top;
}

/* 64-bit available TSS descriptor (type 9), 16 bytes. */
static void set_tss_desc(u64 *gdt, unsigned long base, unsigned int limit)
{
	gdt[GDT_ENTRY_TSS] = (limit & 0xffffULL) | ((base & 0xffffffULL) << 16) | (0x89ULL << 40) |
	                     ((u64)(limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xffULL) << 56;
	gdt[GDT_ENTRY_TSS + 1] = base >> 32;
}

static void cpu_init(void)
{
	cpu_tss_rw.ist[0] = (unsigned long)(doublefault_stack + sizeof(doublefault_stack));
	update_task_stack((unsigned long)init_stack_top);
	set_tss_desc(gdt_page, (unsigned long)&cpu_tss_rw, sizeof(cpu_tss_rw) - 1);
	__asm__ __volatile__("ltr %w0" : : "r"(GDT_ENTRY_TSS_SEL) : "memory");
	/* Kernel GS base = the per-CPU block; the user's (0) waits in KERNEL_GS_BASE. */
	wrmsr(MSR_GS_BASE, (unsigned long)&cpu_pcpu);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}

/* Mirrors syscall_init(): SYSCALL enters at entry_SYSCALL_64 with IF, TF, DF, AC... masked. */
void syscall_init(void)
{
	wrmsr(MSR_STAR, ((u64)__USER32_CS << 48) | ((u64)__KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (unsigned long)entry_SYSCALL_64);
	wrmsr(MSR_CSTAR, 0);
	wrmsr(MSR_SYSCALL_MASK, X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | X86_EFLAGS_ZF |
	                                X86_EFLAGS_SF | X86_EFLAGS_TF | X86_EFLAGS_IF | X86_EFLAGS_DF |
	                                X86_EFLAGS_OF | X86_EFLAGS_IOPL | X86_EFLAGS_NT |
	                                X86_EFLAGS_RF | X86_EFLAGS_AC);
	/* EFER.SCE: the host sets it (a guest wrmsr cannot on Unicorn 2.0.1); harmless here. */
}

void __noreturn x86_64_start_kernel(phys_addr_t real_mode_data, phys_addr_t load_pa);

void __noreturn x86_64_start_kernel(phys_addr_t real_mode_data, phys_addr_t load_pa)
{
	boot_params_phys = real_mode_data;
	kimage_phys_base = load_pa;

	cpu_init();
	trap_init();
	syscall_init();

	/* Drop the identity map: from now on VA 0 faults (early_top_pgt stays for kexec). */
	write_cr3((unsigned long)init_top_pgt - KIMAGE_VADDR + load_pa);

	/* early_serial_init(): 115200 8N1 on COM1 for the console. */
	serial8250_console_setup(PC_COM1_PORT, 115200);
	start_kernel();
}

/*
 * The bases of the direct map, vmalloc and the vmemmap (arch/x86/kernel/head64.c), fixed at
 * the 4-level defaults since there is no KASLR. crash and drgn read page_offset_base to
 * translate direct-map addresses; without it crash assumes the pre-4.19 0xffff880000000000.
 */
unsigned long page_offset_base = PAGE_OFFSET;
unsigned long vmalloc_base = 0xffffc90000000000UL;  /* __VMALLOC_BASE_L4 */
unsigned long vmemmap_base = 0xffffea0000000000UL;  /* __VMEMMAP_BASE_L4 */
