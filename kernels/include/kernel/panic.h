/* SPDX-License-Identifier: MIT */
/* panic() and the oops path (common/kernel/panic.c, mirrors kernel/panic.c and die()). */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include <kernel/types.h>
#include <kernel/compiler.h>

struct pt_regs;

/* Linux's panic_on_oops: when set, die() ends in panic(oops_panic_reason). */
extern int panic_on_oops;
/* The panic message used when panic_on_oops fires ("Fatal exception" unless a caller, e.g.
 * sysrq_handle_crash(), asked for a specific one). */
extern const char *oops_panic_reason;

__printf(1, 2) void __noreturn panic(const char *fmt, ...);

/*
 * Report a fatal kernel fault: "Internal error: <str>: <err as %016lx> [#n] SMP", the
 * CPU/task line, show_regs(), the call trace, stage KDSIM_STAGE_OOPS (ARG0 =
 * current->thread.fault_address, ARG1 = pc), crash_kexec(regs), then panic or kill the task.
 * Mirrors die() in arch/arm64/kernel/traps.c, generalized.
 */
void __noreturn die(const char *str, struct pt_regs *regs, unsigned long err);

/* "Hardware name:" of oops/panic reports (Linux: dump_stack_set_arch_desc()). */
extern const char *dump_stack_arch_desc;
/* Print Linux's "CPU: 0 PID: 1 Comm: init Not tainted ..." and "Hardware name:" lines. */
void dump_stack_print_info(void);

/* Kill the current task (mirrors make_task_dead()/do_exit()): init dying panics like Linux. */
void __noreturn do_exit(long code);

#endif /* KERNEL_PANIC_H */
