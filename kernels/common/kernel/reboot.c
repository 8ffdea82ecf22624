// SPDX-License-Identifier: MIT
/* Power off / restart (mirrors kernel/reboot.c; messages use its "reboot: " prefix). */
#define pr_fmt(fmt) "reboot: " fmt

#include <kernel/printk.h>
#include <kernel/reboot.h>
#include <kernel/arch.h>

void __noreturn kernel_power_off(void)
{
	pr_emerg("Power down\n");
	machine_power_off();
}

void __noreturn kernel_restart(const char *cmd)
{
	if (!cmd)
		pr_emerg("Restarting system\n");
	else
		pr_emerg("Restarting system with command '%s'\n", cmd);
	machine_restart();
}

void __noreturn kernel_halt(void)
{
	pr_emerg("System halted\n");
	machine_halt();
}
