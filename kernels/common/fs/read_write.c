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
#include <kernel/smp.h>
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
	if (file->f_op->read_user) {
		if (!access_ok(buf, count, USER_PROT_WRITE))
			return -EFAULT;
		return file->f_op->read_user(file, buf, count, &file->f_pos);
	}
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

/* A write made on another CPU (the writer pinned there by sched_setaffinity()). */
struct remote_write {
	struct file *file;
	size_t count;
	ssize_t result;
};

static void remote_write_func(void *info)
{
	struct remote_write *w = info;
	w->result = w->file->f_op->write(w->file, rw_bounce, w->count, &w->file->f_pos);
}

/*
 * kdsim: no scheduler moves init to the CPU it is pinned to; its write's handler runs there
 * instead, through smp_call_function_single(), while init waits on its own CPU with interrupts
 * on. One bounce buffer's worth: what sysrq-trigger and LKDTM take.
 */
static ssize_t vfs_write_on(int cpu, struct file *file, size_t count)
{
	/* A handler that never returns releases the writer early: its write counts as done. */
	struct remote_write w = { .file = file, .count = count, .result = (ssize_t)count };
	int err = smp_call_function_single(cpu, remote_write_func, &w, 1);
	return err ? err : w.result;
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
		const int cpu = current_pinned_cpu;
		ssize_t n = cpu >= 0 && cpu != smp_processor_id()
		                    ? vfs_write_on(cpu, file, chunk)
		                    : file->f_op->write(file, rw_bounce, chunk, &file->f_pos);
		if (n < 0)
			return done ? (long)done : n;
		done += (size_t)n;
		if ((size_t)n < chunk)
			break;
	}
	return (long)done;
}

/* MAX_RW_COUNT: INT_MAX rounded down to a page. */
#define MAX_RW_COUNT (0x7fffffffL & ~0xfffL)

/*
 * Mirrors do_sendfile() + do_splice_direct() (fs/read_write.c, fs/splice.c): the file
 * checks and position handling are Linux's; the transfer needs a source with
 * splice_read_phys and a sink with splice_write_phys (/proc/vmcore -> /dev/dumpdisk), else
 * -EINVAL like a file without splice support.
 */
static ssize_t do_sendfile(int out_fd, int in_fd, loff_t *ppos, size_t count)
{
	loff_t pos, out_pos;
	ssize_t retval;

	/* Get input file, and verify that it is ok.. */
	struct file *in = fget((unsigned int)in_fd);
	if (!in)
		return -EBADF;
	if (!(in->f_mode & FMODE_READ))
		return -EBADF;
	pos = ppos ? *ppos : in->f_pos;
	if (pos < 0)
		return -EINVAL; /* rw_verify_area() */
	if (count > MAX_RW_COUNT)
		count = MAX_RW_COUNT;

	/* Get output file, and verify that it is ok.. */
	struct file *out = fget((unsigned int)out_fd);
	if (!out)
		return -EBADF;
	if (!(out->f_mode & FMODE_WRITE))
		return -EBADF;
	out_pos = out->f_pos;

	if (!in->f_op->splice_read_phys || !out->f_op->splice_write_phys)
		return -EINVAL; /* warn_unsupported(): no splice_read / splice_write */

	size_t bytes = 0;
	retval = 0;
	while (bytes < count) {
		ssize_t n = in->f_op->splice_read_phys(in, &pos, count - bytes, out, &out_pos);
		if (n <= 0) {
			retval = n;
			break;
		}
		bytes += (size_t)n;
	}
	int err = out->f_op->splice_flush ? out->f_op->splice_flush(out) : 0;
	if (retval == 0 && err)
		retval = err;
	if (retval < 0 && !bytes)
		return retval;
	/* A short transfer that hit the source's end (read returned 0) is EOF for the sink. */
	bool eof = retval == 0 && bytes < count && bytes > 0;
	if (bytes) {
		out->f_pos = out_pos;
		if (ppos)
			*ppos = pos;
		else
			in->f_pos = pos;
	}
	if (eof && !err && out->f_op->splice_eof)
		out->f_op->splice_eof(out);
	return err ? err : (ssize_t)bytes;
}

long sys_sendfile64(int out_fd, int in_fd, loff_t __user *offset, size_t count)
{
	loff_t pos;
	ssize_t ret;

	if (offset) {
		if (copy_from_user(&pos, offset, sizeof(loff_t)))
			return -EFAULT;
		ret = do_sendfile(out_fd, in_fd, &pos, count);
		if (copy_to_user(offset, &pos, sizeof(loff_t)))
			return -EFAULT;
		return ret;
	}

	return do_sendfile(out_fd, in_fd, NULL, count);
}
