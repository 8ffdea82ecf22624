/* SPDX-License-Identifier: MIT */
/* The kdsim dump disk driver (common/drivers/kdsim/dumpdisk.c): /dev/dumpdisk. */
#ifndef KDSIM_DUMPDISK_H
#define KDSIM_DUMPDISK_H

#include <kernel/types.h>

/* Probe the dump disk; registers /dev/dumpdisk only when present. */
void kdsim_dumpdisk_init(void);

/*
 * One DMA of [pa, pa + len) to disk offset 0, then ABORT (nothing is kept): what a driver with a
 * wrong bus address does (LKDTM WILD_DMA). Returns the device's STATUS (KDSIM_DUMP_STATUS_*),
 * or -ENODEV without the disk.
 */
int kdsim_dumpdisk_dma_once(phys_addr_t pa, u64 len);

#endif /* KDSIM_DUMPDISK_H */
