// SPDX-License-Identifier: MIT
/* openat(2) and close(2) (mirrors fs/open.c and fs/file.c, reduced). */
#include <kernel/fs.h>
#include <kernel/sched.h>
#include <kernel/syscalls.h>
#include <kernel/uaccess.h>
#include <kernel/compiler.h>
#include <asm-generic/errno-base.h>
#include <linux/fcntl.h>
#include "internal.h"

#define PATH_MAX 256

struct file *fget(unsigned int fd)
{
	struct files_struct *files = current->files;
	if (!files || fd >= NR_OPEN_DEFAULT)
		return NULL;
	return files->fd_array[fd];
}

/* Lowest free fd (Linux's rule), or -EMFILE. */
static int get_unused_fd(void)
{
	struct files_struct *files = current->files;
	for (unsigned int fd = 0; fd < NR_OPEN_DEFAULT; fd++)
		if (!files->fd_array[fd])
			return (int)fd;
	return -EMFILE;
}

/* Permission check against the node's mode bits (init runs as root, which still cannot
 * write a 0444 /proc file or read a 0200 one). */
static int may_open(const struct fs_node *node, unsigned int fmode)
{
	if ((fmode & FMODE_READ) && !(node->mode & 0444))
		return -EACCES;
	if ((fmode & FMODE_WRITE) && !(node->mode & 0222))
		return -EACCES;
	return 0;
}

/* Open the node at a kernel path for current (mirrors do_sys_open() after the user copy). */
int do_open_node(const char *path, int flags)
{
	/* No directories: only absolute paths name nodes. */
	if (path[0] != '/')
		return -ENOENT;
	const struct fs_node *node = fs_lookup(path);
	if (!node)
		return -ENOENT; /* O_CREAT cannot create: there is no writable filesystem */
	if ((flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;

	unsigned int fmode;
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		fmode = FMODE_READ;
		break;
	case O_WRONLY:
		fmode = FMODE_WRITE;
		break;
	case O_RDWR:
		fmode = FMODE_READ | FMODE_WRITE;
		break;
	default:
		return -EINVAL;
	}
	int err = may_open(node, fmode);
	if (err)
		return err;

	int fd = get_unused_fd();
	if (fd < 0)
		return fd;
	struct file *file = alloc_empty_file();
	if (!file)
		return -ENFILE;
	file->node = node;
	file->f_op = node->fops;
	file->f_mode = fmode;
	file->f_flags = (unsigned int)flags;
	file->private_data = node->private_data;
	if (file->f_op->open) {
		err = file->f_op->open(file);
		if (err) {
			file->in_use = false;
			return err;
		}
	}
	current->files->fd_array[fd] = file;
	return fd;
}

long sys_openat(int dfd, const char __user *filename, int flags, umode_t mode)
{
	char path[PATH_MAX];
	(void)mode;
	long len = strncpy_from_user(path, filename, sizeof(path));
	if (len < 0)
		return len;
	if (len == 0)
		return -ENOENT;
	/* A relative path would need a directory fd, and there are no directories. */
	if (path[0] != '/' && dfd != AT_FDCWD)
		return -EBADF;
	return do_open_node(path, flags);
}

long sys_close(unsigned int fd)
{
	struct file *file = fget(fd);
	if (!file)
		return -EBADF;
	current->files->fd_array[fd] = NULL;
	fput(file);
	return 0;
}
