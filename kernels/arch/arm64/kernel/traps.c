// SPDX-License-Identifier: MIT
/*
 * C side of the exception vectors (mirrors arch/arm64/kernel/entry-common.c and traps.c):
 * one handler per vector, dispatch on ESR_EL1.EC.
 */
#include <kernel/arch.h>
#include <kernel/bug.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/syscalls.h>
#include <asm/esr.h>
#include <asm/ptrace.h>
#include <asm/setup.h>
#include <asm/sysreg.h>

#define SIGILL 4
#define SIGBUS 7

/* Mirrors esr_get_class_string(). */
static const char *esr_class_str(unsigned long ec)
{
	switch (ec) {
	case ESR_ELx_EC_UNKNOWN:
		return "Unknown/Uncategorized";
	case ESR_ELx_EC_WFx:
		return "WFI/WFE";
	case ESR_ELx_EC_SVC64:
		return "SVC (AArch64)";
	case ESR_ELx_EC_HVC64:
		return "HVC (AArch64)";
	case ESR_ELx_EC_SYS64:
		return "MSR/MRS (AArch64)";
	case ESR_ELx_EC_IABT_LOW:
		return "IABT (lower EL)";
	case ESR_ELx_EC_IABT_CUR:
		return "IABT (current EL)";
	case ESR_ELx_EC_PC_ALIGN:
		return "PC Alignment";
	case ESR_ELx_EC_DABT_LOW:
		return "DABT (lower EL)";
	case ESR_ELx_EC_DABT_CUR:
		return "DABT (current EL)";
	case ESR_ELx_EC_SP_ALIGN:
		return "SP Alignment";
	case ESR_ELx_EC_SERROR:
		return "SError";
	case ESR_ELx_EC_BRK64:
		return "BRK (AArch64)";
	default:
		return "UNRECOGNIZED EC";
	}
}

const char *arm64_esr_class_str(unsigned long esr)
{
	return esr_class_str(ESR_ELx_EC(esr));
}

/* Mirrors __panic_unhandled(): "Unhandled 64-bit el1h sync exception on CPU0, ESR ...". */
static void __noreturn panic_unhandled(struct pt_regs *regs, const char *vector, unsigned long esr)
{
	current->thread.fault_address = 0;
	pr_crit("Unhandled %s exception on CPU%d, ESR 0x%016lx -- %s\n", vector, 0, esr,
	        arm64_esr_class_str(esr));
	show_regs(regs);
	panic("Unhandled exception");
}

/* ---- EL1h: the kernel itself ---- */

void el1h_64_sync_handler(struct pt_regs *regs)
{
	unsigned long esr = read_sysreg(esr_el1);
	switch (ESR_ELx_EC(esr)) {
	case ESR_ELx_EC_DABT_CUR:
	case ESR_ELx_EC_IABT_CUR:
		do_mem_abort(read_sysreg(far_el1), esr, regs);
		return;
	case ESR_ELx_EC_BRK64:
		current->thread.fault_address = 0;
		/* Mirrors bug_brk_handler(): a BUG() site prints "kernel BUG at FILE:LINE!" first. */
		if ((esr & 0xffff) == BUG_BRK_IMM)
			report_bug(regs->pc);
		die("Oops - BUG", regs, esr);
	case ESR_ELx_EC_UNKNOWN:
		current->thread.fault_address = 0;
		die("Oops - Undefined instruction", regs, esr);
	default:
		panic_unhandled(regs, "64-bit el1h sync", esr);
	}
}

void el1h_64_irq_handler(struct pt_regs *regs)
{
	handle_arch_irq(regs);
}

void el1h_64_fiq_handler(struct pt_regs *regs)
{
	panic_unhandled(regs, "64-bit el1h fiq", read_sysreg(esr_el1));
}

void el1h_64_error_handler(struct pt_regs *regs)
{
	unsigned long esr = read_sysreg(esr_el1);
	current->thread.fault_address = 0;
	pr_crit("SError Interrupt on CPU%d, code 0x%016lx -- %s\n", 0, esr, arm64_esr_class_str(esr));
	die("Asynchronous SError Interrupt", regs, esr);
}

/* ---- EL1t: never used ---- */

/* Mirrors UNHANDLED() in arch/arm64/kernel/entry-common.c: vectors kdsim never expects. */
#define UNHANDLED(el, regsize, vector)                                                \
void el##_##regsize##_##vector##_handler(struct pt_regs *regs)                       \
{                                                                                     \
	panic_unhandled(regs, #regsize "-bit " #el " " #vector, read_sysreg(esr_el1));     \
}
UNHANDLED(el1t, 64, sync)
UNHANDLED(el1t, 64, irq)
UNHANDLED(el1t, 64, fiq)
UNHANDLED(el1t, 64, error)

/* ---- EL0: init ---- */

/* Mirrors el0_svc() -> invoke_syscall(): x8 = number, x0..x5 = arguments, x0 = result. */
void el0_svc_handler(struct pt_regs *regs)
{
	regs->orig_x0 = regs->regs[0];
	regs->syscallno = (s32)regs->regs[8];
	const unsigned long args[6] = { regs->regs[0], regs->regs[1], regs->regs[2],
		                        regs->regs[3], regs->regs[4], regs->regs[5] };
	regs->regs[0] = (u64)syscall_dispatch(regs->regs[8], args);
}

/* A fatal user exception: Linux prints this with show_unhandled_signals and kills the task. */
static void __noreturn user_fatal(struct pt_regs *regs, unsigned long esr, int sig, const char *what)
{
	pr_info("%s[%d]: unhandled exception: %s, ESR 0x%016lx, %s in %s at 0x%016lx\n",
	        current->comm, current->pid, arm64_esr_class_str(esr), esr, what, current->comm,
	        (unsigned long)regs->pc);
	show_regs(regs);
	do_exit(sig);
}

void el0t_64_sync_handler(struct pt_regs *regs)
{
	unsigned long esr = read_sysreg(esr_el1);
	switch (ESR_ELx_EC(esr)) {
	case ESR_ELx_EC_SVC64:
		el0_svc_handler(regs);
		return;
	case ESR_ELx_EC_DABT_LOW:
	case ESR_ELx_EC_IABT_LOW:
		do_mem_abort(read_sysreg(far_el1), esr, regs);
		return;
	case ESR_ELx_EC_PC_ALIGN:
	case ESR_ELx_EC_SP_ALIGN:
		user_fatal(regs, esr, SIGBUS, "alignment fault");
	default:
		user_fatal(regs, esr, SIGILL, "undefined instruction");
	}
}

void el0t_64_irq_handler(struct pt_regs *regs)
{
	handle_arch_irq(regs);
}

UNHANDLED(el0t, 64, fiq)

UNHANDLED(el0t, 64, error)

/* AArch32 EL0 is not supported (init is AArch64). */
UNHANDLED(el0t, 32, sync)
UNHANDLED(el0t, 32, irq)
UNHANDLED(el0t, 32, fiq)
UNHANDLED(el0t, 32, error)

/* handle_arch_irq(): the GICv2 SGI handling lives in smp.c. */
