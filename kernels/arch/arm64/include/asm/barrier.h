/* SPDX-License-Identifier: MIT */
/* Barriers (mirrors arch/arm64/include/asm/barrier.h). */
#ifndef ASM_BARRIER_H
#define ASM_BARRIER_H

#define isb() __asm__ __volatile__("isb" ::: "memory")
#define dsb(opt) __asm__ __volatile__("dsb " #opt ::: "memory")
#define dmb(opt) __asm__ __volatile__("dmb " #opt ::: "memory")

#define mb() dsb(sy)
#define rmb() dsb(ld)
#define wmb() dsb(st)
#define cpu_relax() __asm__ __volatile__("yield" ::: "memory")

#endif /* ASM_BARRIER_H */
