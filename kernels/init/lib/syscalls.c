// SPDX-License-Identifier: MIT
/* System-call wrappers (numbers from the arch's uapi/asm/unistd.h, shared with the kernel). */
#include <initlib.h>
#include <syscall_arch.h>
#include <asm/unistd.h>
#include <linux/fcntl.h>
#include <linux/reboot.h>

int sys_openat(int dfd, const char *path, int flags, int mode)
{
	return (int)__syscall6(__NR_openat, dfd, (long)path, flags, mode, 0, 0);
}

int sys_open(const char *path, int flags)
{
	return sys_openat(AT_FDCWD, path, flags, 0);
}

int sys_close(int fd)
{
	return (int)__syscall6(__NR_close, fd, 0, 0, 0, 0, 0);
}

ssize_t sys_read(int fd, void *buf, size_t count)
{
	return __syscall6(__NR_read, fd, (long)buf, (long)count, 0, 0, 0);
}

ssize_t sys_write(int fd, const void *buf, size_t count)
{
	return __syscall6(__NR_write, fd, (long)buf, (long)count, 0, 0, 0);
}

int sys_reboot(unsigned int cmd)
{
	return (int)__syscall6(__NR_reboot, (long)LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, cmd, 0,
	                       0, 0);
}

int sys_sched_setaffinity(int pid, unsigned long mask)
{
	return (int)__syscall6(__NR_sched_setaffinity, pid, (long)sizeof(mask), (long)&mask, 0, 0,
	                       0);
}

void sys_exit(int status)
{
	for (;;)
		__syscall6(__NR_exit, status, 0, 0, 0, 0, 0);
}

long sys_kexec_load(unsigned long entry, unsigned long nr_segments, const void *segments,
                    unsigned long flags)
{
	return __syscall6(__NR_kexec_load, (long)entry, (long)nr_segments, (long)segments,
	                  (long)flags, 0, 0);
}

ssize_t sys_sendfile(int out_fd, int in_fd, long long *offset, size_t count)
{
	return __syscall6(__NR_sendfile, out_fd, in_fd, (long)offset, (long)count, 0, 0);
}
