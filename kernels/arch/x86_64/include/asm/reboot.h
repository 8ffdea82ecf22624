/* SPDX-License-Identifier: MIT */
/* Stopping the other CPUs with an NMI (mirrors arch/x86/include/asm/reboot.h). */
#ifndef ASM_REBOOT_H
#define ASM_REBOOT_H

#include <kernel/types.h>

struct pt_regs;

typedef void (*nmi_shootdown_cb)(int, struct pt_regs *);
/* Every other online CPU runs `callback` from its NMI handler and halts; bounded wait. */
void nmi_shootdown_cpus(nmi_shootdown_cb callback);
/* The NMI handler's part (crash_nmi_callback()): false when no shootdown is in progress or this
 * is the CPU that started it; otherwise it does not return. */
bool crash_nmi_callback(struct pt_regs *regs);
/* native_stop_other_cpus() before a kexec reboot: every other CPU halts (through the NMI). */
void stop_other_cpus(void);

#endif /* ASM_REBOOT_H */
