// SPDX-License-Identifier: MIT
/*
 * PSCI 0.2 client over "hvc #0" (mirrors drivers/firmware/psci/psci.c, SMCCC calling
 * convention: function id in x0, arguments in x1..x3, result in x0).
 */
#define pr_fmt(fmt) "psci: " fmt

#include <asm/psci.h>
#include <kernel/printk.h>

unsigned long psci_invoke(unsigned long fn, unsigned long a0, unsigned long a1, unsigned long a2)
{
	register unsigned long x0 __asm__("x0") = fn;
	register unsigned long x1 __asm__("x1") = a0;
	register unsigned long x2 __asm__("x2") = a1;
	register unsigned long x3 __asm__("x3") = a2;
	__asm__ __volatile__("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return x0;
}

void psci_dt_init(void)
{
	pr_info("probing for conduit method from DT.\n");
	unsigned long ver = psci_invoke(PSCI_0_2_FN_PSCI_VERSION, 0, 0, 0);
	pr_info("PSCIv%lu.%lu detected in firmware.\n", (ver >> 16) & 0xffff, ver & 0xffff);
	pr_info("Using standard PSCI v0.2 function IDs\n");
}

void psci_sys_poweroff(void)
{
	psci_invoke(PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0);
}

void psci_sys_reset(void)
{
	psci_invoke(PSCI_0_2_FN_SYSTEM_RESET, 0, 0, 0);
}
