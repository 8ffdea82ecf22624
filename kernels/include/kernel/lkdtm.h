/* SPDX-License-Identifier: MIT */
/* Linux Kernel Dump Test Module, built in (common/drivers/misc/lkdtm.c, mirrors drivers/misc/lkdtm). */
#ifndef KERNEL_LKDTM_H
#define KERNEL_LKDTM_H

/* Register /sys/kernel/debug/provoke-crash/DIRECT (Linux: lkdtm_module_init()). */
void lkdtm_init(void);

#endif /* KERNEL_LKDTM_H */
