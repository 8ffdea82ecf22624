// SPDX-License-Identifier: MIT
/*
 * read(2) and write(2) (mirrors vfs_read()/vfs_write() in fs/read_write.c). Drivers see
 * kernel buffers; the user copy happens here through a bounce buffer.
 */
#include <kernel/fs.h>
#include <kernel/sched.h>
#include <kernel/syscalls.h>
#include <kernel/uaccess.h>
#include <kernel/arch.h>
#include <asm-generic/errno-base.h>
#include "internal.h"

/* Largest single transfer; Linux caps at MAX_RW_COUNT, we cap at the bounce buffer. */
#define RW_BOUNCE_SIZE 4096

static char rw_bounce[RW_BOUNCE_SIZE];

long sys_read(unsigned int fd, char __user *buf, size_t count)
{
	struct file *file = fget(fd);
	if (!file)
		return -EBADF;
	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	if (!file->f_op->read)
		return -EINVAL;
	if (count > RW_BOUNCE_SIZE)
		count = RW_BOUNCE_SIZE; /* a short read, which callers must handle anyway */
	if (!access_ok(buf, count, USER_PROT_WRITE))
		return -EFAULT;
	ssize_t n = file->f_op->read(file, rw_bounce, count, &file->f_pos);
	if (n > 0 && copy_to_user(buf, rw_bounce, (unsigned long)n))
		return -EFAULT;
	return n;
}

long sys_write(unsigned int fd, const char __user *buf, size_t count)
{
	struct file *file = fget(fd);
	if (!file)
		return -EBADF;
	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (!file->f_op->write)
		return -EINVAL;
	if (!access_ok(buf, count, USER_PROT_READ))
		return -EFAULT;
	size_t done = 0;
	while (done < count) {
		size_t chunk = count - done;
		if (chunk > RW_BOUNCE_SIZE)
			chunk = RW_BOUNCE_SIZE;
		if (copy_from_user(rw_bounce, buf + done, chunk))
			return done ? (long)done : -EFAULT;
		ssize_t n = file->f_op->write(file, rw_bounce, chunk, &file->f_pos);
		if (n < 0)
			return done ? (long)done : n;
		done += (size_t)n;
		if ((size_t)n < chunk)
			break;
	}
	return (long)done;
}
