/* SPDX-License-Identifier: MIT */
/*
 * The single-process model: task_struct, mm_struct with a few VMAs, the fd table
 * (mirrors include/linux/sched.h, mm_types.h, fdtable.h — heavily reduced).
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

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

struct mm_struct {
	phys_addr_t pgd;      /* arch page-table root (physical) */
	unsigned int map_count;
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

struct task_struct {
	int pid;
	char comm[TASK_COMM_LEN];
	struct mm_struct *mm;
	struct files_struct *files;
	struct thread_struct thread;
	void *stack; /* base of the kernel stack, THREAD_SIZE bytes */
};

extern struct task_struct *current;

/* Find the VMA containing addr in mm, or NULL. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);

#endif /* KERNEL_SCHED_H */
