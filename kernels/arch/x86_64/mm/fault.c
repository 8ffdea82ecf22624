// SPDX-License-Identifier: MIT
/*
 * Page faults (mirrors arch/x86/mm/fault.c): there is no demand paging, so every fault is
 * fatal. A kernel fault prints Linux's show_fault_oops() lines and the __die() header, then
 * goes through die(); a user fault prints show_signal_msg() and kills init.
 */
#include <kernel/arch.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <asm/memory.h>
#include <asm/pgtable_types.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/setup.h>

#define SIGSEGV 11

/* Page fault error code bits (arch/x86/include/asm/trap_pf.h). */
#define X86_PF_PROT (1UL << 0)
#define X86_PF_WRITE (1UL << 1)
#define X86_PF_USER (1UL << 2)
#define X86_PF_RSVD (1UL << 3)
#define X86_PF_INSTR (1UL << 4)
#define X86_PF_PK (1UL << 5)

void __noreturn x86_die(const char *str, struct pt_regs *regs, unsigned long err);

/* Mirrors dump_pagetable(): walk the current CR3 and print each level until not present. */
static void dump_pagetable(unsigned long address)
{
	static const char *const names[4] = { "PGD", "P4D", "PUD", "PMD" };
	u64 table_pa = __read_cr3() & PTE_PFN_MASK;
	int shifts[4] = { PGDIR_SHIFT, PGDIR_SHIFT, PUD_SHIFT, PMD_SHIFT };
	for (int level = 0; level < 4; level++) {
		const u64 *table = __va(table_pa);
		u64 e = table[(address >> shifts[level]) & (PTRS_PER_TABLE - 1)];
		if (level == 0)
			printk("%s %llx ", names[level], (unsigned long long)e);
		else
			pr_cont("%s %llx ", names[level], (unsigned long long)e);
		if (level == 0) /* 4-level paging: the P4D is folded into the PGD */
			pr_cont("%s %llx ", names[1], (unsigned long long)e), level++;
		if (!(e & _PAGE_PRESENT) || (e & _PAGE_PSE))
			break;
		table_pa = e & PTE_PFN_MASK;
	}
	pr_cont("\n");
}

/* Mirrors show_fault_oops(). */
static void show_fault_oops(struct pt_regs *regs, unsigned long error_code, unsigned long address)
{
	if (address < PAGE_SIZE && !user_mode(regs))
		pr_alert("BUG: kernel NULL pointer dereference, address: %016lx\n", address);
	else
		pr_alert("BUG: unable to handle page fault for address: %016lx\n", address);

	pr_alert("#PF: %s %s in %s mode\n", (error_code & X86_PF_USER) ? "user" : "supervisor",
	         (error_code & X86_PF_INSTR)   ? "instruction fetch"
	         : (error_code & X86_PF_WRITE) ? "write access"
	                                       : "read access",
	         user_mode(regs) ? "user" : "kernel");
	pr_alert("#PF: error_code(0x%04lx) - %s\n", error_code,
	         !(error_code & X86_PF_PROT) ? "not-present page"
	         : (error_code & X86_PF_RSVD) ? "reserved bit violation"
	         : (error_code & X86_PF_PK)   ? "protection keys violation"
	                                      : "permissions violation");
	dump_pagetable(address);
}

/* Mirrors page_fault_oops(): show_fault_oops(), then __die("Oops") via die(). */
static void __noreturn page_fault_oops(struct pt_regs *regs, unsigned long error_code,
                                       unsigned long address)
{
	show_fault_oops(regs, error_code, address);
	current->thread.fault_address = address;
	current->thread.fault_code = error_code;
	x86_die("Oops", regs, error_code);
}

/* Mirrors show_signal_msg() + force_sig_fault(SIGSEGV) for init. */
static void __noreturn bad_area(struct pt_regs *regs, unsigned long error_code,
                                unsigned long address)
{
	current->thread.fault_address = address;
	current->thread.fault_code = error_code;
	pr_info("%s[%d]: segfault at %lx ip %016lx sp %016lx error %lx in %s\n", current->comm,
	        current->pid, address, regs->ip, regs->sp, error_code, current->comm);
	show_regs(regs);
	do_exit(SIGSEGV);
}

/* Mirrors exc_page_fault() -> handle_page_fault(). */
void do_page_fault(struct pt_regs *regs, unsigned long error_code, unsigned long address)
{
	if (user_mode(regs))
		bad_area(regs, error_code, address);
	page_fault_oops(regs, error_code, address);
}
