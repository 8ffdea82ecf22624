// SPDX-License-Identifier: MIT
/* The first task, PID 0 on the boot CPU (mirrors init/init_task.c). */
#include <kernel/sched.h>

extern char init_stack[];

struct task_struct init_task = {
	.__state = TASK_RUNNING,
	.stack = init_stack,
	.flags = PF_KTHREAD,
	.real_parent = &init_task,
	.parent = &init_task,
	.group_leader = &init_task,
	.tasks = LIST_HEAD_INIT(init_task.tasks),
	.pid = 0,
	.comm = "swapper/0",
	.thread_pid = &init_struct_pid,
};
