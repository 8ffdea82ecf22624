/* SPDX-License-Identifier: MIT */
/* kernel_power_off()/kernel_restart() (common/kernel/reboot.c, mirrors kernel/reboot.c). */
#ifndef KERNEL_REBOOT_H
#define KERNEL_REBOOT_H

#include <kernel/compiler.h>

/* Prints "reboot: Power down" and calls machine_power_off(). */
void __noreturn kernel_power_off(void);
/* Prints "reboot: Restarting system" and calls machine_restart(). */
void __noreturn kernel_restart(const char *cmd);
/* Prints "reboot: System halted" and calls machine_halt(). */
void __noreturn kernel_halt(void);

#endif /* KERNEL_REBOOT_H */
