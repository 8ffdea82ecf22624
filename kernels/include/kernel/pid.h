/* SPDX-License-Identifier: MIT */
/*
 * Process ids (mirrors include/linux/pid.h and pid_namespace.h of Linux 6.1, reduced to the
 * fields drgn's find_task()/pid_task() and crash's pid lookups read: the namespace's idr maps a
 * number to a struct pid, whose tasks[PIDTYPE_PID] chain holds the task's pid_links[]).
 */
#ifndef KERNEL_PID_H
#define KERNEL_PID_H

#include <kernel/idr.h>
#include <kernel/list.h>
#include <kernel/types.h>

typedef int pid_t;

enum pid_type {
	PIDTYPE_PID,
	PIDTYPE_TGID,
	PIDTYPE_PGID,
	PIDTYPE_SID,
	PIDTYPE_MAX,
};

struct pid_namespace;

struct upid {
	int nr;
	struct pid_namespace *ns;
};

struct pid {
	int count; /* refcount_t */
	unsigned int level;
	struct hlist_head tasks[PIDTYPE_MAX];
	struct upid numbers[1];
};

struct pid_namespace {
	struct idr idr;
	unsigned int pid_allocated;
	struct task_struct *child_reaper;
	unsigned int level;
	struct pid_namespace *parent;
};

extern struct pid_namespace init_pid_ns;
/* PID 0, shared by every idle task (kernel/pid.c). */
extern struct pid init_struct_pid;

struct task_struct;

/* Give task the number nr in init_pid_ns (alloc_pid() + attach_pid() for PIDTYPE_PID). */
int task_attach_new_pid(struct task_struct *task, struct pid *pid, pid_t nr);
/* Chain task on pid's list of type (kernel/pid.c: attach_pid()). */
void attach_pid(struct task_struct *task, enum pid_type type);

#endif /* KERNEL_PID_H */
