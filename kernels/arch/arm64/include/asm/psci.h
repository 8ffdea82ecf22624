/* SPDX-License-Identifier: MIT */
/* PSCI 0.2 over hvc #0 (arch/arm64/kernel/psci.c; function ids from include/uapi/linux/psci.h). */
#ifndef ASM_PSCI_H
#define ASM_PSCI_H

#include <kernel/types.h>
#include <kernel/compiler.h>

#define PSCI_0_2_FN_PSCI_VERSION 0x84000000UL
#define PSCI_0_2_FN_CPU_OFF 0x84000002UL
#define PSCI_0_2_FN64_CPU_ON 0xc4000003UL
#define PSCI_0_2_FN_SYSTEM_OFF 0x84000008UL
#define PSCI_0_2_FN_SYSTEM_RESET 0x84000009UL
#define PSCI_RET_NOT_SUPPORTED (-1)

unsigned long psci_invoke(unsigned long fn, unsigned long a0, unsigned long a1, unsigned long a2);
/* Print Linux's "psci: PSCIv0.2 detected in firmware." lines. */
void psci_dt_init(void);
void psci_sys_poweroff(void);
void psci_sys_reset(void);

#endif /* ASM_PSCI_H */
