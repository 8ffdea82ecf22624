/* SPDX-License-Identifier: MIT */
/*
 * Node masks (mirrors include/linux/nodemask.h, !CONFIG_NUMA: one node). crash reads
 * node_states (or VMCOREINFO's SYMBOL(node_online_map)) to count the memory nodes it walks.
 */
#ifndef KERNEL_NODEMASK_H
#define KERNEL_NODEMASK_H

#include <kernel/types.h>

#define MAX_NUMNODES 1
#define BITS_PER_LONG 64

typedef struct {
	unsigned long bits[(MAX_NUMNODES + BITS_PER_LONG - 1) / BITS_PER_LONG];
} nodemask_t;

enum node_states {
	N_POSSIBLE,
	N_ONLINE,
	N_NORMAL_MEMORY,
	N_HIGH_MEMORY = N_NORMAL_MEMORY,
	N_MEMORY,
	N_CPU,
	N_GENERIC_INITIATOR,
	NR_NODE_STATES
};

extern nodemask_t node_states[NR_NODE_STATES];
#define node_online_map node_states[N_ONLINE]

#endif /* KERNEL_NODEMASK_H */
