/* SPDX-License-Identifier: MIT */
/* Fixed-width types for freestanding kernel code (mirrors include/linux/types.h). */
#ifndef KERNEL_TYPES_H
#define KERNEL_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

typedef u64 phys_addr_t;
typedef long ssize_t;
typedef long long loff_t;
typedef unsigned int umode_t;

/* The atomic counters' types (no atomic operations: one writer at a time here). */
typedef struct {
	int counter;
} atomic_t;

typedef struct {
	long counter;
} atomic_long_t;

/* Sparse-style annotations: documentation only. */
#define __user
#define __iomem

#endif /* KERNEL_TYPES_H */
