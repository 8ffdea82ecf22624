// SPDX-License-Identifier: MIT
/*
 * Crash-kernel entry points (mirrors crash_kexec()/__crash_kexec() in kernel/crash_core.c,
 * kexec_should_crash() in kernel/kexec_core.c).
 *
 * FIXME: the kdump work fills these in. Linux's __crash_kexec() does:
 *   if (kexec_trylock()) {
 *       if (kexec_crash_image) {
 *           crash_setup_regs(&fixed_regs, regs);
 *           crash_save_vmcoreinfo();
 *           machine_crash_shutdown(&fixed_regs);
 *           machine_kexec(kexec_crash_image);
 *       }
 *       kexec_unlock();
 *   }
 */
#include <kernel/kexec.h>
#include <kernel/panic.h>
#include <kernel/sched.h>

bool kexec_should_crash(struct task_struct *p)
{
	/* Linux: in_interrupt() || !p->pid || is_global_init(p) || panic_on_oops. */
	return p->pid == 0 || p->pid == 1 || panic_on_oops;
}

void __crash_kexec(struct pt_regs *regs)
{
	(void)regs; /* no crash kernel can be loaded yet: panic continues */
}

void crash_kexec(struct pt_regs *regs)
{
	/* Linux claims panic_cpu first so only one CPU proceeds; there is one CPU here. */
	__crash_kexec(regs);
}
