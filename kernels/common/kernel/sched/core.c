// SPDX-License-Identifier: MIT
/*
 * The scheduler's bookkeeping without a scheduler (mirrors kernel/sched/core.c: runqueues,
 * sched_init(), init_idle()): one task runs per CPU until the crash, and each CPU's run queue
 * says which, so that crash's `ps`/`bt` and drgn's cpu_curr()/idle_task() see the truth.
 */
#include <kernel/init.h>
#include "sched.h"
#include <kernel/printk.h>

DEFINE_PER_CPU(struct rq, runqueues);

static void init_idle(struct task_struct *idle, unsigned int cpu)
{
	struct rq *rq = cpu_rq(cpu);
	idle->__state = TASK_RUNNING;
	idle->thread_info.cpu = cpu;
	idle->on_cpu = 1;
	idle->thread_pid = &init_struct_pid;
	rq->cpu = (int)cpu;
	rq->idle = idle;
	rq->curr = idle;
}

void __init sched_init(void)
{
	init_idle(&init_task, 0);
}

void sched_set_curr(unsigned int cpu, struct task_struct *task)
{
	struct rq *rq = cpu_rq(cpu);
	rq->curr->on_cpu = 0;
	task->thread_info.cpu = cpu;
	task->on_cpu = 1;
	rq->curr = task;
	rq->nr_running = task == rq->idle ? 0 : 1;
}

/* fork_idle() gives each idle task the stack its CPU runs on; here the CPU tells us which, when
 * it comes up (crash reads every on-CPU task's stack: a NULL one is a fatal bad address). */
void sched_set_idle_stack(unsigned int cpu, void *stack)
{
	cpu_rq(cpu)->idle->stack = stack;
}

/* kernel/fork.c's fork_idle() for each secondary CPU, from idle_threads_init() (smpboot.c). */
void __init idle_threads_init(void)
{
	static struct task_struct idle_threads[NR_CPUS];
	for (unsigned int cpu = 1; cpu < nr_cpu_ids; cpu++) {
		struct task_struct *idle = &idle_threads[cpu];
		snprintf(idle->comm, sizeof(idle->comm), "swapper/%u", cpu); /* as init_idle() names it */
		idle->flags = PF_IDLE | PF_KTHREAD;
		idle->real_parent = idle->parent = &init_task; /* copy_process() from init_task */
		idle->group_leader = idle;
		init_idle(idle, cpu);
	}
}
