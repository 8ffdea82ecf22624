// SPDX-License-Identifier: MIT
/*
 * Data/instruction aborts (mirrors arch/arm64/mm/fault.c): a kernel fault is fatal and ends
 * in die_kernel_fault() with Linux's messages; a user fault kills init.
 */
#include <kernel/arch.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <asm/esr.h>
#include <asm/memory.h>
#include <asm/pgtable-hwdef.h>
#include <asm/ptrace.h>
#include <asm/setup.h>
#include <asm/sysreg.h>

#define SIGSEGV 11

const char *arm64_esr_class_str(unsigned long esr);

/* Mirrors fault_info[].name for the FSC values a toy kernel can meet. */
static const char *fault_name(unsigned long fsc)
{
	switch (fsc & ESR_ELx_FSC_TYPE) {
	case ESR_ELx_FSC_FAULT:
		return "translation fault";
	case ESR_ELx_FSC_ACCESS:
		return "access flag fault";
	case ESR_ELx_FSC_PERM:
		return "permission fault";
	default:
		return "unknown fault";
	}
}

static void data_abort_decode(unsigned long esr)
{
	pr_alert("Data abort info:\n");
	pr_alert("  ISV = %lu, ISS = 0x%08lx\n", (esr & ESR_ELx_ISV) ? 1UL : 0UL,
	         esr & ESR_ELx_ISS_MASK);
	pr_alert("  CM = %lu, WnR = %lu\n", (esr & ESR_ELx_CM) ? 1UL : 0UL,
	         (esr & ESR_ELx_WNR) ? 1UL : 0UL);
}

/* Mirrors mem_abort_decode(). */
static void mem_abort_decode(unsigned long esr)
{
	unsigned long fsc = esr & ESR_ELx_FSC;
	pr_alert("Mem abort info:\n");
	pr_alert("  ESR = 0x%016lx\n", esr);
	pr_alert("  EC = 0x%02lx: %s, IL = %u bits\n", ESR_ELx_EC(esr), arm64_esr_class_str(esr),
	         (esr & ESR_ELx_IL) ? 32 : 16);
	pr_alert("  SET = %lu, FnV = %lu\n", (esr & ESR_ELx_SET_MASK) >> ESR_ELx_SET_SHIFT,
	         (esr & ESR_ELx_FnV) ? 1UL : 0UL);
	pr_alert("  EA = %lu, S1PTW = %lu\n", (esr & ESR_ELx_EA) ? 1UL : 0UL,
	         (esr & ESR_ELx_S1PTW) ? 1UL : 0UL);
	if ((fsc & ESR_ELx_FSC_TYPE) <= ESR_ELx_FSC_PERM)
		pr_alert("  FSC = 0x%02lx: level %lu %s\n", fsc, fsc & ESR_ELx_FSC_LEVEL,
		         fault_name(fsc));
	else
		pr_alert("  FSC = 0x%02lx: %s\n", fsc, fault_name(fsc));
	if (ESR_ELx_EC(esr) == ESR_ELx_EC_DABT_CUR || ESR_ELx_EC(esr) == ESR_ELx_EC_DABT_LOW)
		data_abort_decode(esr);
}

/* Mirrors show_pte() (the first two levels; 4-level tables: pgd -> pud, no p4d). */
static void show_pte(unsigned long addr)
{
	bool user = addr < TASK_SIZE;
	u64 ttbr = user ? read_sysreg(ttbr0_el1) : read_sysreg(ttbr1_el1);
	phys_addr_t pgd_pa = ttbr & PTE_ADDR_MASK;
	pr_alert("%s pgtable: 4k pages, %d-bit VAs, pgdp=%016llx\n", user ? "user" : "swapper",
	         VA_BITS, (unsigned long long)pgd_pa);
	const u64 *pgd = user ? phys_to_virt(pgd_pa) : (const u64 *)init_pg_dir;
	if (user && !pgd) {
		return;
	}
	u64 pgd_val = pgd[(addr >> PGDIR_SHIFT) & TABLE_INDEX_MASK];
	u64 pud_val = 0;
	if ((pgd_val & PTE_TYPE_TABLE) == PTE_TYPE_TABLE) {
		const u64 *pud = phys_to_virt(pgd_val & PTE_ADDR_MASK);
		pud_val = pud[(addr >> PUD_SHIFT) & TABLE_INDEX_MASK];
	}
	/* CONFIG_PGTABLE_LEVELS = 4: the p4d level is folded into the pgd. */
	pr_alert("[%016lx] pgd=%016llx, p4d=%016llx, pud=%016llx\n", addr,
	         (unsigned long long)pgd_val, (unsigned long long)pgd_val, (unsigned long long)pud_val);
}

static void __noreturn die_kernel_fault(const char *msg, unsigned long addr, unsigned long esr,
                                        struct pt_regs *regs)
{
	pr_alert("Unable to handle kernel %s at virtual address %016lx\n", msg, addr);
	mem_abort_decode(esr);
	show_pte(addr);
	current->thread.fault_address = addr;
	current->thread.fault_code = esr;
	die("Oops", regs, esr);
}

/* Mirrors __do_kernel_fault(): choose Linux's message, then die. */
static void __noreturn __do_kernel_fault(unsigned long addr, unsigned long esr, struct pt_regs *regs)
{
	const char *msg;
	bool write = (esr & ESR_ELx_WNR) && !(esr & ESR_ELx_CM);
	if ((esr & ESR_ELx_FSC_TYPE) == ESR_ELx_FSC_PERM && write)
		msg = "write to read-only memory";
	else if (addr < PAGE_SIZE)
		msg = "NULL pointer dereference";
	else
		msg = "paging request";
	die_kernel_fault(msg, addr, esr, regs);
}

/* Mirrors do_mem_abort() + do_page_fault(): there is no demand paging, every fault is fatal. */
void do_mem_abort(unsigned long far, unsigned long esr, struct pt_regs *regs)
{
	if (!user_mode(regs))
		__do_kernel_fault(far, esr, regs);

	current->thread.fault_address = far;
	current->thread.fault_code = esr;
	/* Mirrors arm64_show_signal()/show_unhandled_signals. */
	pr_info("%s[%d]: unhandled exception: %s, ESR 0x%016lx, %s at 0x%016lx\n", current->comm,
	        current->pid, arm64_esr_class_str(esr), esr, fault_name(esr & ESR_ELx_FSC), far);
	mem_abort_decode(esr);
	show_regs(regs);
	do_exit(SIGSEGV);
}
