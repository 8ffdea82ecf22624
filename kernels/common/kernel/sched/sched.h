/* SPDX-License-Identifier: MIT */
/*
 * The per-CPU run queue (mirrors kernel/sched/sched.h, reduced to what crash and drgn read:
 * crash needs runqueues with curr to start at all; drgn's idle_task(cpu) reads rq->idle).
 */
#ifndef KERNEL_SCHED_SCHED_H
#define KERNEL_SCHED_SCHED_H

#include <kernel/percpu.h>
#include <kernel/sched.h>
#include <kernel/spinlock_types.h>

struct rq {
	raw_spinlock_t __lock;
	unsigned int nr_running;
	int cpu;
	struct task_struct *curr;
	struct task_struct *idle;
	u64 clock;
};

DECLARE_PER_CPU(struct rq, runqueues);
#define cpu_rq(cpu) (&per_cpu(runqueues, (cpu)))

#endif /* KERNEL_SCHED_SCHED_H */
