// SPDX-License-Identifier: MIT
/*
 * Process ids (mirrors kernel/pid.c): init_pid_ns with its idr, init_struct_pid (pid 0, the
 * idle tasks'), attach_pid(). A pid here is never freed: the toy kernel's tasks never exit.
 */
#include <kernel/pid.h>
#include <kernel/sched.h>
#include <asm-generic/errno-base.h>

struct pid init_struct_pid = {
	.count = 1,
	.level = 0,
	.numbers = { { .nr = 0, .ns = &init_pid_ns } },
};

struct pid_namespace init_pid_ns = {
	.pid_allocated = 1, /* PIDNS_ADDING */
	.child_reaper = &init_task,
	.level = 0,
};

void attach_pid(struct task_struct *task, enum pid_type type)
{
	hlist_add_head(&task->pid_links[type], &task->thread_pid->tasks[type]);
}

int task_attach_new_pid(struct task_struct *task, struct pid *pid, pid_t nr)
{
	pid->count = 1;
	pid->level = 0;
	pid->numbers[0].nr = nr;
	pid->numbers[0].ns = &init_pid_ns;
	int err = idr_alloc_at(&init_pid_ns.idr, pid, (unsigned long)nr);
	if (err)
		return err;
	init_pid_ns.pid_allocated++;
	task->pid = nr;
	task->tgid = nr;
	task->thread_pid = pid;
	attach_pid(task, PIDTYPE_PID);
	attach_pid(task, PIDTYPE_TGID);
	return 0;
}
