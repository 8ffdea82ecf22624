/* SPDX-License-Identifier: MIT */
/* The kdsim dump disk driver (common/drivers/kdsim/dumpdisk.c): /dev/dumpdisk. */
#ifndef KDSIM_DUMPDISK_H
#define KDSIM_DUMPDISK_H

/* Probe the dump disk; registers /dev/dumpdisk only when present. */
void kdsim_dumpdisk_init(void);

#endif /* KDSIM_DUMPDISK_H */
