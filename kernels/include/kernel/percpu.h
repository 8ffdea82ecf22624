/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU variables (mirrors include/linux/percpu-defs.h and asm-generic/percpu.h): the linker
 * gathers them in .data..percpu (__per_cpu_start .. __per_cpu_end), setup_per_cpu_areas() gives
 * every possible CPU its own copy, and a CPU's copy of var is at &var + __per_cpu_offset[cpu].
 * crash and drgn find per-CPU data exactly this way (per_cpu(runqueues, cpu)).
 */
#ifndef KERNEL_PERCPU_H
#define KERNEL_PERCPU_H

#include <kernel/smp.h>
#include <kernel/types.h>

#define DEFINE_PER_CPU(type, name) __attribute__((section(".data..percpu"))) __typeof__(type) name
#define DECLARE_PER_CPU(type, name) extern __typeof__(type) name

extern unsigned long __per_cpu_offset[NR_CPUS];
extern char __per_cpu_start[], __per_cpu_end[];

#define per_cpu_ptr(ptr, cpu) ((__typeof__(ptr))((char *)(ptr) + __per_cpu_offset[(cpu)]))
#define per_cpu(var, cpu) (*per_cpu_ptr(&(var), (cpu)))

/* Copy the per-CPU template for every possible CPU (mm/percpu.c; after setup_arch()). */
void setup_per_cpu_areas(void);

#endif /* KERNEL_PERCPU_H */
