// SPDX-License-Identifier: MIT
/*
 * Register dumps, user-thread setup, idling and power (mirrors __show_regs() in
 * arch/x86/kernel/process_64.c, show_ip()/show_iret_regs() in dumpstack.c, start_thread() in
 * process_64.c, irqflags.h, default_idle() and arch/x86/kernel/reboot.c).
 */
#include <kernel/arch.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <asm/board.h>
#include <asm/io.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/segment.h>
#include <asm/setup.h>

/* Mirrors show_ip(): "RIP: 0010:sysrq_handle_crash+0x16/0x20" (user: "RIP: 0033:0x..."). */
static void show_ip(struct pt_regs *regs)
{
	if (user_mode(regs))
		printk("RIP: %04lx:0x%lx\n", regs->cs & 0xffff, regs->ip);
	else
		printk("RIP: %04lx:%pS\n", regs->cs & 0xffff, (void *)regs->ip);
}

/* Mirrors __show_regs(regs, SHOW_REGS_ALL, KERN_DEFAULT). */
void show_regs(struct pt_regs *regs)
{
	unsigned int ds, es, fsindex, gsindex;
	__asm__ __volatile__("movl %%ds, %0" : "=r"(ds));
	__asm__ __volatile__("movl %%es, %0" : "=r"(es));
	__asm__ __volatile__("movl %%fs, %0" : "=r"(fsindex));
	__asm__ __volatile__("movl %%gs, %0" : "=r"(gsindex));

	show_ip(regs);
	printk("RSP: %04lx:%016lx EFLAGS: %08lx\n", regs->ss & 0xffff, regs->sp, regs->flags);
	printk("RAX: %016lx RBX: %016lx RCX: %016lx\n", regs->ax, regs->bx, regs->cx);
	printk("RDX: %016lx RSI: %016lx RDI: %016lx\n", regs->dx, regs->si, regs->di);
	printk("RBP: %016lx R08: %016lx R09: %016lx\n", regs->bp, regs->r8, regs->r9);
	printk("R10: %016lx R11: %016lx R12: %016lx\n", regs->r10, regs->r11, regs->r12);
	printk("R13: %016lx R14: %016lx R15: %016lx\n", regs->r13, regs->r14, regs->r15);
	if (user_mode(regs))
		return; /* Linux: SHOW_REGS_USER stops here */

	unsigned long fs = rdmsr(MSR_FS_BASE), gs = rdmsr(MSR_GS_BASE);
	unsigned long shadowgs = rdmsr(MSR_KERNEL_GS_BASE);
	printk("FS:  %016lx(%04x) GS:%016lx(%04x) knlGS:%016lx\n", fs, fsindex & 0xffff, gs,
	       gsindex & 0xffff, shadowgs);
	printk("CS:  %04lx DS: %04x ES: %04x CR0: %016lx\n", regs->cs & 0xffff, ds & 0xffff,
	       es & 0xffff, read_cr0());
	printk("CR2: %016lx CR3: %016lx CR4: %016lx\n", read_cr2(), __read_cr3(), __read_cr4());
}

struct pt_regs *task_pt_regs_at(void *stack_top)
{
	return (struct pt_regs *)((char *)stack_top - sizeof(struct pt_regs));
}

/* Mirrors start_thread_common(): ring 3, 64-bit user segments, interrupts enabled. */
void start_thread(struct pt_regs *regs, unsigned long pc, unsigned long sp)
{
	memset(regs, 0, sizeof(*regs));
	regs->orig_ax = (unsigned long)-1;
	regs->ip = pc;
	regs->sp = sp;
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	regs->flags = X86_EFLAGS_IF | X86_EFLAGS_FIXED;
}

void __noreturn ret_to_user(struct pt_regs *regs)
{
	/* Ring-3 entries must land exactly on top of regs (task_pt_regs()). */
	update_task_stack((unsigned long)(regs + 1));
	asm_ret_to_user(regs);
}

unsigned long arch_local_irq_save(void)
{
	unsigned long flags = native_save_fl();
	__asm__ __volatile__("cli" ::: "memory");
	return flags;
}

void arch_local_irq_restore(unsigned long flags)
{
	if (flags & X86_EFLAGS_IF)
		__asm__ __volatile__("sti" ::: "memory");
	else
		__asm__ __volatile__("cli" ::: "memory");
}

/* arch_local_irq_enable() (arch/x86/include/asm/irqflags.h). */
void arch_local_irq_enable(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}

/* Mirrors default_idle(), with interrupts left masked: nothing enables an interrupt source
 * yet. The simulator returns Idle at hlt and resumes after it. */
void arch_cpu_idle(void)
{
	__asm__ __volatile__("hlt" ::: "memory");
}

void __noreturn machine_halt(void)
{
	for (;;)
		__asm__ __volatile__("cli; hlt" ::: "memory");
}

/* Mirrors the ACPI S5 path (acpi_power_off -> PM1a_CNT.SLP_TYP|SLP_EN on QEMU q35). */
void __noreturn machine_power_off(void)
{
	arch_local_irq_save();
	outw(PC_PM1A_CNT_S5, PC_PM1A_CNT_PORT);
	printk("reboot: ACPI power off returned; halting\n");
	machine_halt();
}

/* Mirrors native_machine_emergency_restart() with reboot=pci (BOOT_CF9_FORCE). */
void __noreturn machine_restart(void)
{
	arch_local_irq_save();
	outb(PC_RST_CNT_RESET, PC_RST_CNT_PORT);
	printk("reboot: CF9 reset returned; halting\n");
	machine_halt();
}
