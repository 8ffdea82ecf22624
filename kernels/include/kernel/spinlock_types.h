/* SPDX-License-Identifier: MIT */
/*
 * Lock types (mirrors include/linux/spinlock_types.h and asm-generic/qspinlock_types.h): the
 * layout only, for the structures that embed them. The toy kernel never contends, so there is
 * no locking code. crash checks that spinlock_t exists before it starts.
 */
#ifndef KERNEL_SPINLOCK_TYPES_H
#define KERNEL_SPINLOCK_TYPES_H

#include <kernel/types.h>

typedef struct qspinlock {
	int val; /* atomic_t */
} arch_spinlock_t;

typedef struct raw_spinlock {
	arch_spinlock_t raw_lock;
} raw_spinlock_t;

typedef struct spinlock {
	union {
		struct raw_spinlock rlock;
	};
} spinlock_t;

#endif /* KERNEL_SPINLOCK_TYPES_H */
