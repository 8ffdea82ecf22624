/* SPDX-License-Identifier: MIT */
/*
 * x86_64 kexec definitions (mirrors arch/x86/include/asm/kexec.h, CONFIG_X86_64).
 */
#ifndef ASM_KEXEC_H
#define ASM_KEXEC_H

#include <kernel/types.h>
#include <kernel/compiler.h>
#include <kernel/string.h>
#include <asm/ptrace.h>

/* MAXMEM with 4-level paging (arch/x86/include/asm/page_64_types.h: 1 << MAX_PHYSMEM_BITS = 46). */
#define MAXMEM (1UL << 46)

/* Maximum physical address we can use pages from. */
#define KEXEC_SOURCE_MEMORY_LIMIT (MAXMEM - 1)
/* Maximum address we can reach in physical address mode. */
#define KEXEC_DESTINATION_MEMORY_LIMIT (MAXMEM - 1)
/* Maximum address we can use for the control code buffer. */
#define KEXEC_CONTROL_MEMORY_LIMIT (MAXMEM - 1)
#define KEXEC_CRASH_CONTROL_MEMORY_LIMIT KEXEC_CONTROL_MEMORY_LIMIT

/* Allocate one page for the pdp and the second for the code. Here: one page (the code and
 * its stack); the identity page tables are separate control pages (alloc_pgt_page()). */
#define KEXEC_CONTROL_PAGE_SIZE 4096

/* The native architecture. */
#define KEXEC_ARCH (62 << 16) /* KEXEC_ARCH_X86_64 */

/*
 * Mirrors crash_setup_regs(): copy oldregs, or capture the current registers when called
 * from panic() (oldregs == NULL). Like Linux, orig_ax is left as it was on the stack.
 */
#define __kexec_this_ip()                                                             \
	({                                                                            \
		__label__ __here;                                                     \
	__here:                                                                       \
		(unsigned long)&&__here;                                              \
	})

static __always_inline void crash_setup_regs(struct pt_regs *newregs, struct pt_regs *oldregs)
{
	if (oldregs) {
		memcpy(newregs, oldregs, sizeof(*newregs));
	} else {
		__asm__ __volatile__("movq %%rbx,%0" : "=m"(newregs->bx));
		__asm__ __volatile__("movq %%rcx,%0" : "=m"(newregs->cx));
		__asm__ __volatile__("movq %%rdx,%0" : "=m"(newregs->dx));
		__asm__ __volatile__("movq %%rsi,%0" : "=m"(newregs->si));
		__asm__ __volatile__("movq %%rdi,%0" : "=m"(newregs->di));
		__asm__ __volatile__("movq %%rbp,%0" : "=m"(newregs->bp));
		__asm__ __volatile__("movq %%rax,%0" : "=m"(newregs->ax));
		__asm__ __volatile__("movq %%rsp,%0" : "=m"(newregs->sp));
		__asm__ __volatile__("movq %%r8,%0" : "=m"(newregs->r8));
		__asm__ __volatile__("movq %%r9,%0" : "=m"(newregs->r9));
		__asm__ __volatile__("movq %%r10,%0" : "=m"(newregs->r10));
		__asm__ __volatile__("movq %%r11,%0" : "=m"(newregs->r11));
		__asm__ __volatile__("movq %%r12,%0" : "=m"(newregs->r12));
		__asm__ __volatile__("movq %%r13,%0" : "=m"(newregs->r13));
		__asm__ __volatile__("movq %%r14,%0" : "=m"(newregs->r14));
		__asm__ __volatile__("movq %%r15,%0" : "=m"(newregs->r15));
		__asm__ __volatile__("movl %%ss, %%eax;" : "=a"(newregs->ss));
		__asm__ __volatile__("movl %%cs, %%eax;" : "=a"(newregs->cs));
		__asm__ __volatile__("pushfq; popq %0" : "=m"(newregs->flags));
		newregs->ip = __kexec_this_ip();
	}
}

/* The arch part of struct kimage (Linux: pgd, p4d/pud/pmd/pte of the transition mapping). */
struct kimage_arch {
	u64 *pgd;            /* the identity page table (a control page), direct-map VA */
};

/*
 * arch/x86/kernel/relocate_kernel_64.S: copied into the control page by machine_kexec() and
 * entered there (through the direct map) with
 *   relocate_kernel(indirection_page, pa_control_page, start_address, pa_table_page,
 *                   preserve_context, stage_port)
 * it never returns here (preserve_context is always 0: no CONFIG_KEXEC_JUMP).
 */
typedef void (*relocate_kernel_fn)(unsigned long indirection_page, unsigned long pa_control_page,
                                   unsigned long start_address, unsigned long pa_table_page,
                                   unsigned long preserve_context, unsigned long stage_port);
extern const char relocate_kernel[];
extern const unsigned long relocate_kernel_size;

#endif /* ASM_KEXEC_H */
