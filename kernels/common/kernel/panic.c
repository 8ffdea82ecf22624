// SPDX-License-Identifier: MIT
/*
 * panic() and die() (mirrors kernel/panic.c and die() in arch/arm64/kernel/traps.c).
 * Console markers are Linux's, so a transcript greps the same as a real kernel's.
 */
#include <kernel/panic.h>
#include <kernel/arch.h>
#include <kernel/kexec.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <kernel/version.h>
#include <kdsim/stage.h>
#include <asm/ptrace.h>

#define PANIC_BUF_SIZE 1024
#define SIGSEGV 11

int panic_on_oops;
/* TAINT_* bits (none are ever set here: "Not tainted"); crash's sys reads it. */
unsigned long tainted_mask;

/* include/linux/panic.h: how crash's sys prints each TAINT_* bit (it needs the table). */
struct taint_flag {
	char c_true;
	char c_false;
	bool module;
};

#define TAINT_FLAGS_COUNT 19
const struct taint_flag taint_flags[TAINT_FLAGS_COUNT] = {
	{ 'P', 'G', true },  { 'F', ' ', true },  { 'S', ' ', false }, { 'R', ' ', false },
	{ 'M', ' ', false }, { 'B', ' ', false }, { 'U', ' ', false }, { 'D', ' ', false },
	{ 'A', ' ', false }, { 'W', ' ', false }, { 'C', ' ', true },  { 'I', ' ', false },
	{ 'O', ' ', true },  { 'E', ' ', true },  { 'L', ' ', false }, { 'K', ' ', true },
	{ 'X', ' ', true },  { 'T', ' ', true },  { 'N', ' ', true },
};
const char *oops_panic_reason;

/* Set while die() runs; panic() then skips its own stack dump (Linux: oops_in_progress). */
static int oops_in_progress;
static int die_counter;
static int panic_in_progress;

/* Hardware/machine name for the "Hardware name:" line (set by setup_arch). */
const char *dump_stack_arch_desc = "kdsim (no DT)";

void dump_stack_print_info(void)
{
	pr_emerg("CPU: %d PID: %d Comm: %s Not tainted %s #1\n", smp_processor_id(), current->pid,
	         current->comm, UTS_RELEASE);
	pr_emerg("Hardware name: %s\n", dump_stack_arch_desc);
}

void __noreturn panic(const char *fmt, ...)
{
	static char buf[PANIC_BUF_SIZE];
	va_list args;

	arch_local_irq_save();
	/* A nested panic (e.g. a fault inside the panic path) just stops this CPU. */
	if (panic_in_progress++)
		machine_halt();

	va_start(args, fmt);
	int len = vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	if (len > 0 && len < (int)sizeof(buf) && buf[len - 1] == '\n')
		buf[len - 1] = '\0';

	pr_emerg("Kernel panic - not syncing: %s\n", buf);
	if (!oops_in_progress) {
		dump_stack_print_info();
		show_stack(NULL);
	}
	kdsim_stage(STAGE_PANIC, 0, 0);

	/*
	 * ---- kdump hook point --------------------------------------------------------------
	 * Linux runs the crash kernel here, before stopping other CPUs (unless
	 * crash_kexec_post_notifiers). __crash_kexec() returns only when no crash kernel is
	 * loaded; the kdump work fills it in (common/kernel/crash_core.c).
	 */
	__crash_kexec(NULL);

	pr_emerg("---[ end Kernel panic - not syncing: %s ]---\n", buf);
	/* Linux would spin or honour panic=N; a simulator run is better served by powering off. */
	machine_power_off();
}

/*
 * The first line of an oops report: arm64's die() (arch/arm64/kernel/traps.c __die()). An arch
 * whose Linux prints a different header overrides this weak default (x86_64:
 * __die_header()'s "Oops: 0002 [#1] SMP", arch/x86_64/kernel/traps.c).
 */
__attribute__((weak)) void arch_die_header(const char *str, unsigned long err, int counter)
{
	pr_emerg("Internal error: %s: %016lx [#%d] SMP\n", str, err, counter);
}

void __noreturn die(const char *str, struct pt_regs *regs, unsigned long err)
{
	arch_local_irq_save();
	if (oops_in_progress++) {
		pr_emerg("Recursive die() while handling an oops: %s\n", str);
		machine_halt();
	}

	arch_die_header(str, err, ++die_counter);
	pr_emerg("Modules linked in:\n");
	dump_stack_print_info();
	show_regs(regs);
	show_stack(regs);
	kdsim_stage(STAGE_OOPS, current->thread.fault_address, instruction_pointer(regs));
	pr_emerg("---[ end trace 0000000000000000 ]---\n");

	if (regs && kexec_should_crash(current))
		crash_kexec(regs);
	if (panic_on_oops) {
		if (oops_panic_reason)
			panic("%s", oops_panic_reason);
		panic("%s: Fatal exception", str);
	}
	oops_in_progress = 0;
	do_exit(SIGSEGV);
}
