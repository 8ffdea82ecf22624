/* SPDX-License-Identifier: MIT */
/* System calls (mirrors include/linux/syscalls.h). Numbers come from uapi/asm/unistd.h. */
#ifndef KERNEL_SYSCALLS_H
#define KERNEL_SYSCALLS_H

#include <kernel/types.h>

/* Called by the arch's syscall entry with Linux's syscall number and six raw arguments. */
long syscall_dispatch(unsigned long nr, const unsigned long args[6]);

long sys_openat(int dfd, const char __user *filename, int flags, umode_t mode);
long sys_close(unsigned int fd);
long sys_read(unsigned int fd, char __user *buf, size_t count);
long sys_write(unsigned int fd, const char __user *buf, size_t count);
long sys_exit(int error_code);
long sys_reboot(int magic1, int magic2, unsigned int cmd, void __user *arg);
long sys_getpid(void);
long sys_sched_setaffinity(int pid, unsigned int len, const unsigned long __user *user_mask_ptr);

#endif /* KERNEL_SYSCALLS_H */
