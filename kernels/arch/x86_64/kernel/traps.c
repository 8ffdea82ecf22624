// SPDX-License-Identifier: MIT
/*
 * The IDT and the C side of the exception vectors (mirrors arch/x86/kernel/idt.c, traps.c and
 * dumpstack.c's __die()). Every vector goes through asm_idt_stubs -> idt_common -> do_idt().
 */
#include <kernel/arch.h>
#include <kernel/bug.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/serial_core.h>
#include <kernel/smp.h>
#include <asm/apic.h>
#include <asm/processor.h>
#include <asm/board.h>
#include <asm/ptrace.h>
#include <asm/segment.h>
#include <asm/setup.h>
#include <asm/reboot.h>

#define SIGILL 4
#define SIGTRAP 5
#define SIGBUS 7
#define SIGFPE 8
#define SIGSEGV 11

/* Vector numbers (arch/x86/include/asm/trapnr.h). */
enum {
	X86_TRAP_DE = 0, X86_TRAP_DB, X86_TRAP_NMI, X86_TRAP_BP, X86_TRAP_OF, X86_TRAP_BR,
	X86_TRAP_UD, X86_TRAP_NM, X86_TRAP_DF, X86_TRAP_OLD_MF, X86_TRAP_TS, X86_TRAP_NP,
	X86_TRAP_SS, X86_TRAP_GP, X86_TRAP_PF, X86_TRAP_SPURIOUS, X86_TRAP_MF, X86_TRAP_AC,
	X86_TRAP_MC, X86_TRAP_XF, X86_TRAP_VE, X86_TRAP_CP,
	FIRST_EXTERNAL_VECTOR = 32,
};

#define NR_VECTORS 256
/* The legacy ISA IRQs' vectors (arch/x86/include/asm/irq_vectors.h): 0x30 + irq. */
#define ISA_IRQ_VECTOR(irq) (((FIRST_EXTERNAL_VECTOR + 16) & ~15) + (irq))
#define GATE_INTERRUPT 0xe

/* struct gate_struct (arch/x86/include/asm/desc_defs.h). */
struct gate_struct {
	u16 offset_low;
	u16 segment;
	u16 bits; /* ist:3, zero:5, type:5, dpl:2, p:1 */
	u16 offset_middle;
	u32 offset_high;
	u32 reserved;
} __attribute__((packed));

__aligned(4096) struct gate_struct idt_table[NR_VECTORS];

static const struct {
	u16 limit;
	unsigned long base;
} __attribute__((packed)) idt_descr = { sizeof(idt_table) - 1, (unsigned long)idt_table };

static void set_gate(unsigned int vector, unsigned long addr, unsigned int dpl, unsigned int ist)
{
	struct gate_struct *g = &idt_table[vector];
	g->offset_low = (u16)addr;
	g->segment = __KERNEL_CS;
	g->bits = (u16)(ist | (GATE_INTERRUPT << 8) | (dpl << 13) | (1u << 15));
	g->offset_middle = (u16)(addr >> 16);
	g->offset_high = (u32)(addr >> 32);
	g->reserved = 0;
}

void idt_load(void);

/* Mirrors idt_setup_early_traps() + idt_setup_traps() + idt_setup_apic_and_irq_gates(). */
void trap_init(void)
{
	for (unsigned int v = 0; v < NR_VECTORS; v++) {
		unsigned int dpl = (v == X86_TRAP_BP || v == X86_TRAP_OF) ? 3 : 0; /* int3, into */
		unsigned int ist = v == X86_TRAP_DF ? 1 : 0;                        /* IST_INDEX_DF */
		set_gate(v, (unsigned long)asm_idt_stubs + v * IDT_STUB_SIZE, dpl, ist);
	}
	idt_load();
}

/* load_current_idt(): the one IDT, on every CPU (the APs load it in start_secondary()). */
void idt_load(void)
{
	__asm__ __volatile__("lidt %0" : : "m"(idt_descr) : "memory");
}

unsigned long x86_idt_base(void);
unsigned long x86_idt_base(void)
{
	return (unsigned long)idt_table;
}

/*
 * Mirrors __die_header() (arch/x86/kernel/dumpstack.c): "<str>: %04lx [#n] SMP", printed by
 * common die() in place of arm64's "Internal error:" line; die() then adds the CPU line,
 * __show_regs and the call trace.
 */
void arch_die_header(const char *str, unsigned long err, int counter)
{
	pr_emerg("%s: %04lx [#%d] SMP\n", str, err & 0xffff, counter);
}

void __noreturn x86_die(const char *str, struct pt_regs *regs, unsigned long err);
void __noreturn x86_die(const char *str, struct pt_regs *regs, unsigned long err)
{
	die(str, regs, err);
}

/* Mirrors do_trap()'s show_signal() for user mode: "traps: init[1] trap ... ip:.. sp:.." */
static void __noreturn user_trap(struct pt_regs *regs, const char *str, unsigned long err, int sig)
{
	current->thread.fault_address = 0;
	current->thread.fault_code = err;
	pr_info("traps: %s[%d] trap %s ip:%lx sp:%lx error:%lx in %s\n", current->comm,
	        current->pid, str, regs->ip, regs->sp, err, current->comm);
	show_regs(regs);
	do_exit(sig);
}

static void __noreturn do_error_trap(struct pt_regs *regs, unsigned long err, const char *str,
                                     int sig)
{
	if (user_mode(regs))
		user_trap(regs, str, err, sig);
	current->thread.fault_address = 0;
	current->thread.fault_code = err;
	x86_die(str, regs, err);
}

static const char *const trap_names[32] = {
	[X86_TRAP_DE] = "divide error",
	[X86_TRAP_DB] = "debug",
	[X86_TRAP_NMI] = "NMI",
	[X86_TRAP_BP] = "int3",
	[X86_TRAP_OF] = "overflow",
	[X86_TRAP_BR] = "bounds",
	[X86_TRAP_UD] = "invalid opcode",
	[X86_TRAP_NM] = "device not available",
	[X86_TRAP_DF] = "double fault",
	[X86_TRAP_OLD_MF] = "coprocessor segment overrun",
	[X86_TRAP_TS] = "invalid TSS",
	[X86_TRAP_NP] = "segment not present",
	[X86_TRAP_SS] = "stack segment",
	[X86_TRAP_GP] = "general protection fault",
	[X86_TRAP_PF] = "page fault",
	[X86_TRAP_SPURIOUS] = "spurious interrupt",
	[X86_TRAP_MF] = "coprocessor error",
	[X86_TRAP_AC] = "alignment check",
	[X86_TRAP_MC] = "machine check",
	[X86_TRAP_XF] = "SIMD exception",
	[X86_TRAP_VE] = "virtualization exception",
	[X86_TRAP_CP] = "control protection fault",
};

static int trap_signal(unsigned long vector)
{
	switch (vector) {
	case X86_TRAP_DE:
	case X86_TRAP_MF:
	case X86_TRAP_XF:
		return SIGFPE;
	case X86_TRAP_UD:
		return SIGILL;
	case X86_TRAP_BP:
	case X86_TRAP_DB:
		return SIGTRAP;
	case X86_TRAP_AC:
		return SIGBUS;
	default:
		return SIGSEGV;
	}
}

/* Called by idt_common for every vector with the full pt_regs. */
void do_idt(struct pt_regs *regs, unsigned long vector);
void do_idt(struct pt_regs *regs, unsigned long vector)
{
	unsigned long err = regs->orig_ax;
	if (vector == ISA_IRQ_VECTOR(PC_COM1_IRQ)) {
		serial_console_interrupt();
		return;
	}
	if (vector == CALL_FUNCTION_SINGLE_VECTOR) {
		/* sysvec_call_function_single(): ack the local APIC, then run the call. */
		apic_write(APIC_EOI, 0);
		generic_smp_call_function_single_interrupt();
		return;
	}
	if (vector >= FIRST_EXTERNAL_VECTOR) {
		handle_arch_irq(regs);
		return;
	}
	/* The error code has been consumed (Linux: regs->orig_ax = -1 in idtentry). */
	regs->orig_ax = (unsigned long)-1;
	if (vector == X86_TRAP_PF) {
		do_page_fault(regs, err, read_cr2());
		return;
	}
	const char *name = trap_names[vector] ? trap_names[vector] : "reserved exception";
	if (vector == X86_TRAP_DF) {
		current->thread.fault_address = 0;
		pr_emerg("PANIC: double fault, error_code: 0x%lx\n", err);
		x86_die("double fault", regs, err);
	}
	if (vector == X86_TRAP_NMI) {
		/* exc_nmi() -> nmi_handle(): the crash shootdown's handler first (crash.c). */
		if (crash_nmi_callback(regs))
			return;
		pr_emerg("Uhhuh. NMI received for unknown reason on CPU %d.\n", smp_processor_id());
		return;
	}
	if (err == (unsigned long)-1)
		err = 0;
	/*
	 * Mirrors handle_bug() in exc_invalid_op(): a kernel `ud2` at a BUG() site prints "kernel
	 * BUG at FILE:LINE!", then the #UD is reported as "invalid opcode" like any other.
	 */
	if (vector == X86_TRAP_UD && !user_mode(regs))
		report_bug(regs->ip);
	do_error_trap(regs, err, name, trap_signal(vector));
}

/*
 * No interrupt controller driver yet: nothing enables an interrupt source, so an interrupt can
 * only be one the host injects; it is counted and ignored. FIXME: local APIC (SMP, NMI stop).
 */
static unsigned long irq_count;

void handle_arch_irq(struct pt_regs *regs)
{
	(void)regs;
	irq_count++;
}
