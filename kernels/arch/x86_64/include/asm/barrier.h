/* SPDX-License-Identifier: MIT */
/* Barriers (mirrors arch/x86/include/asm/barrier.h, x86_64: TSO, so rmb/wmb are compiler barriers). */
#ifndef ASM_BARRIER_H
#define ASM_BARRIER_H

#define mb() __asm__ __volatile__("mfence" ::: "memory")
#define rmb() __asm__ __volatile__("" ::: "memory")
#define wmb() __asm__ __volatile__("" ::: "memory")
#define cpu_relax() __asm__ __volatile__("pause" ::: "memory")

#endif /* ASM_BARRIER_H */
