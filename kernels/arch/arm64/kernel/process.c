// SPDX-License-Identifier: MIT
/*
 * Register dumps, user-thread setup, idling and power (mirrors arch/arm64/kernel/process.c,
 * include/asm/processor.h and include/asm/irqflags.h).
 */
#include <kernel/arch.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <asm/psci.h>
#include <asm/ptrace.h>
#include <asm/sysreg.h>

/* Mirrors print_pstate() for an AArch64 pstate. */
static void print_pstate(const struct pt_regs *regs)
{
	u64 p = regs->pstate;
	static const char btypes[4][3] = { "--", "j-", "-c", "jc" };
	printk("pstate: %08llx (%c%c%c%c %c%c%c%c %cPAN %cUAO %cTCO %cDIT %cSSBS BTYPE=%s)\n",
	       (unsigned long long)p, p & PSR_N_BIT ? 'N' : 'n', p & PSR_Z_BIT ? 'Z' : 'z',
	       p & PSR_C_BIT ? 'C' : 'c', p & PSR_V_BIT ? 'V' : 'v', p & PSR_D_BIT ? 'D' : 'd',
	       p & PSR_A_BIT ? 'A' : 'a', p & PSR_I_BIT ? 'I' : 'i', p & PSR_F_BIT ? 'F' : 'f',
	       p & PSR_PAN_BIT ? '+' : '-', p & PSR_UAO_BIT ? '+' : '-', p & PSR_TCO_BIT ? '+' : '-',
	       p & PSR_DIT_BIT ? '+' : '-', p & PSR_SSBS_BIT ? '+' : '-',
	       btypes[(p & PSR_BTYPE_MASK) >> PSR_BTYPE_SHIFT]);
}

/*
 * Mirrors __show_regs(): pstate, pc, lr, sp, then x29..x0 three per line.
 */
void show_regs(struct pt_regs *regs)
{
	print_pstate(regs);
	if (!user_mode(regs)) {
		printk("pc : %pS\n", (void *)regs->pc);
		printk("lr : %pS\n", (void *)regs->regs[30]);
	} else {
		printk("pc : %016llx\n", (unsigned long long)regs->pc);
		printk("lr : %016llx\n", (unsigned long long)regs->regs[30]);
	}
	printk("sp : %016llx\n", (unsigned long long)regs->sp);
	int i = 29;
	while (i >= 0) {
		printk("x%-2d: %016llx", i, (unsigned long long)regs->regs[i]);
		while (i % 3) {
			i--;
			pr_cont(" x%-2d: %016llx", i, (unsigned long long)regs->regs[i]);
		}
		pr_cont("\n");
		i--;
	}
}

struct pt_regs *task_pt_regs_at(void *stack_top)
{
	return (struct pt_regs *)((char *)stack_top - sizeof(struct pt_regs));
}

/* Mirrors start_thread_common() + start_thread(): EL0t, interrupts unmasked. */
void start_thread(struct pt_regs *regs, unsigned long pc, unsigned long sp)
{
	memset(regs, 0, sizeof(*regs));
	regs->syscallno = -1; /* NO_SYSCALL */
	regs->pc = pc;
	regs->sp = sp;
	regs->pstate = PSR_MODE_EL0t;
}

unsigned long arch_local_irq_save(void)
{
	unsigned long flags = read_sysreg(daif);
	__asm__ __volatile__("msr daifset, #3" ::: "memory"); /* mask IRQ and FIQ */
	return flags;
}

void arch_local_irq_restore(unsigned long flags)
{
	write_sysreg(flags, daif);
}

/* arch_local_irq_enable() (arch/arm64/include/asm/irqflags.h). */
void arch_local_irq_enable(void)
{
	__asm__ __volatile__("msr daifclr, #3" ::: "memory");
}

void arch_cpu_idle(void)
{
	__asm__ __volatile__("dsb sy\n\twfi" ::: "memory");
}

void __noreturn machine_halt(void)
{
	arch_local_irq_save();
	for (;;)
		arch_cpu_idle();
}

void __noreturn machine_power_off(void)
{
	arch_local_irq_save();
	psci_sys_poweroff();
	printk("reboot: PSCI SYSTEM_OFF returned; halting\n");
	machine_halt();
}

void __noreturn machine_restart(void)
{
	arch_local_irq_save();
	psci_sys_reset();
	printk("reboot: PSCI SYSTEM_RESET returned; halting\n");
	machine_halt();
}
