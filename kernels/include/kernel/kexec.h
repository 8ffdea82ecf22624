/* SPDX-License-Identifier: MIT */
/*
 * kexec/kdump hook points (common/kernel/crash_core.c). Mirrors include/linux/kexec.h.
 * FIXME: the kdump work fills these in (kimage, kexec_load, crash_setup_regs,
 * machine_crash_shutdown, machine_kexec); today they do nothing and panic continues.
 */
#ifndef KERNEL_KEXEC_H
#define KERNEL_KEXEC_H

#include <kernel/types.h>

struct pt_regs;
struct task_struct;

/* Called by panic() with regs == NULL (kernel/panic.c). Returns only if no crash kernel. */
void __crash_kexec(struct pt_regs *regs);
/* Called by die() with the faulting regs when kexec_should_crash(current). */
void crash_kexec(struct pt_regs *regs);
/* Linux: in interrupt, pid 0, init, or panic_on_oops. */
bool kexec_should_crash(struct task_struct *p);

#endif /* KERNEL_KEXEC_H */
