/* SPDX-License-Identifier: MIT */
/*
 * The single-process model: task_struct, mm_struct with a few VMAs, the fd table
 * (mirrors include/linux/sched.h, mm_types.h, fdtable.h — heavily reduced).
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <kernel/list.h>
#include <kernel/pid.h>
#include <kernel/types.h>

#define TASK_COMM_LEN 16
#define NR_OPEN_DEFAULT 16
#define MM_MAX_VMAS 8
#define THREAD_SIZE 0x4000UL

struct file;

/* One user mapping; [vm_start, vm_end) is backed by contiguous physical memory at vm_phys. */
struct vm_area_struct {
	unsigned long vm_start;
	unsigned long vm_end;
	phys_addr_t vm_phys;
	unsigned int vm_prot; /* enum user_prot bits */
};

/* include/linux/mm_types_task.h: the per-mm page counters crash's ps sums into RSS. */
enum mm_counter_type {
	MM_FILEPAGES,
	MM_ANONPAGES,
	MM_SWAPENTS,
	MM_SHMEMPAGES,
	NR_MM_COUNTERS
};

struct mm_rss_stat {
	atomic_long_t count[NR_MM_COUNTERS];
};

struct mm_struct {
	phys_addr_t pgd;      /* arch page-table root (physical) */
	unsigned int map_count;
	unsigned long total_vm;          /* crash's ps VSZ (pages) */
	struct mm_rss_stat rss_stat;     /* crash's ps RSS */
	enum mm_counter_type rss_kinds;  /* unused: keeps the enum in the DWARF for crash */
	struct vm_area_struct mmap[MM_MAX_VMAS];
	unsigned long start_code, end_code, start_stack;
};

struct files_struct {
	struct file *fd_array[NR_OPEN_DEFAULT];
};

/* Arch-visible per-task fault state (mirrors arm64 struct thread_struct). */
struct thread_struct {
	unsigned long fault_address;
	unsigned long fault_code;
};

/*
 * With THREAD_INFO_IN_TASK (arm64 and x86_64 in 6.1) thread_info is the first member of
 * task_struct and holds the CPU the task runs on (drgn's and crash's task_cpu()).
 */
struct thread_info {
	unsigned long flags;
	u32 cpu;
};

/* task_struct.__state (include/linux/sched.h). */
#define TASK_RUNNING 0x0000

/*
 * Field names and order follow Linux 6.1's task_struct; only the used ones are kept. Readers
 * besides this kernel: crash (ps: tasks, pid, comm, __state, stack, thread_info.cpu) and drgn
 * (find_task(): pid_links[] via init_pid_ns; stack_trace(): on_cpu + thread_info.cpu).
 */
struct task_struct {
	struct thread_info thread_info;
	unsigned int __state;
	void *stack; /* base of the kernel stack, THREAD_SIZE bytes */
	unsigned int flags; /* PF_*: crash's ps brackets kernel threads by PF_KTHREAD */
	int on_cpu;  /* running on thread_info.cpu now */
	struct list_head tasks; /* every task but the idle ones, headed by init_task */
	struct mm_struct *mm;
	pid_t pid;
	pid_t tgid;
	/* crash's task table records each task's parent (ps -p, the PPID column). */
	struct task_struct *real_parent;
	struct task_struct *parent;
	struct task_struct *group_leader;
	struct pid *thread_pid;
	struct hlist_node pid_links[PIDTYPE_MAX];
	char comm[TASK_COMM_LEN];
	struct files_struct *files;
	struct thread_struct thread;
};

/* The kernel stack (include/linux/sched.h); crash sizes stacks by it (bt reads them). */
union thread_union {
	unsigned long stack[THREAD_SIZE / sizeof(long)];
};

#define PF_IDLE 0x00000002
#define PF_KTHREAD 0x00200000

/* PID 0 on the boot CPU: "swapper/0", the head of the task list (init/init_task.c). */
extern struct task_struct init_task;

extern struct task_struct *current;

/* Make task the one running on cpu (its runqueue's curr; kernel/sched/core.c). */
void sched_set_curr(unsigned int cpu, struct task_struct *task);
/* A secondary CPU's idle task runs on `stack` (its base). */
void sched_set_idle_stack(unsigned int cpu, void *stack);
/* The idle tasks of the secondary CPUs, "swapper/N" (kernel/fork.c: idle_threads_init()). */
void idle_threads_init(void);
/* The runqueues' idle/curr of the boot CPU (sched_init()). */
void sched_init(void);

/* Find the VMA containing addr in mm, or NULL. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);

/* Tasks other than the idle tasks (kernel/fork.c). */
extern int nr_threads;

#endif /* KERNEL_SCHED_H */
