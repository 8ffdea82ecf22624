/* SPDX-License-Identifier: MIT */
/*
 * The tiny file layer (common/fs/): a flat table of named nodes ("/proc/version",
 * "/dev/agent", ...) each with file_operations; per-process fd table in current->files.
 * read/write callbacks take KERNEL buffers: the VFS (fs/read_write.c) bounces through a
 * kernel buffer and does the user copies, so drivers never touch user memory.
 */
#ifndef KERNEL_FS_H
#define KERNEL_FS_H

#include <kernel/path.h>
#include <kernel/types.h>

struct file;

struct file_operations {
	ssize_t (*read)(struct file *file, char *buf, size_t count, loff_t *pos);
	ssize_t (*write)(struct file *file, const char *buf, size_t count, loff_t *pos);
	int (*open)(struct file *file);
	int (*release)(struct file *file);
	/*
	 * Optional: read straight into user memory, bypassing the 4 KiB bounce buffer and its
	 * per-call cap (a DMA engine writing the user pages; Linux: read_iter with a user
	 * iov_iter). Used by /dev/agent-blob.
	 */
	ssize_t (*read_user)(struct file *file, char __user *buf, size_t count, loff_t *pos);
	/*
	 * sendfile(2) without copying through the CPU (Linux: splice_read / splice_write through
	 * a pipe of pages). The source describes [*ppos, *ppos + len) as physical ranges and hands
	 * each to out's splice_write_phys(); returns the bytes described (0 at EOF) or -errno.
	 */
	ssize_t (*splice_read_phys)(struct file *in, loff_t *ppos, size_t len, struct file *out,
	                            loff_t *out_pos);
	/* Sink: queue [pa, pa + len) at *pos (advanced); 0 or -errno. */
	int (*splice_write_phys)(struct file *out, phys_addr_t pa, size_t len, loff_t *pos);
	/* Sink: push whatever is queued; 0 or -errno. */
	int (*splice_flush)(struct file *out);
	/* Sink: the source reached its end (Linux's splice_eof); out->f_pos is the total. */
	void (*splice_eof)(struct file *out);
};

/* Linux's FMODE_* bits. */
#define FMODE_READ 0x1u
#define FMODE_WRITE 0x2u

struct fs_node {
	const char *path;
	umode_t mode; /* permission bits: 0444, 0200, 0666 */
	const struct file_operations *fops;
	void *private_data;
};

/* include/linux/fs.h's inode, reduced to what crash reads (its files -d output). */
struct super_block;
struct inode {
	umode_t i_mode;
	struct super_block *i_sb;
	const struct file_operations *i_fop;
};

struct file {
	struct path f_path; /* empty (no VFS); crash needs the member */
	const struct fs_node *node;
	const struct file_operations *f_op;
	unsigned int f_mode;
	unsigned int f_flags;
	loff_t f_pos;
	void *private_data;
	bool in_use;
};

/* Register a node; returns 0, -EEXIST or -ENOSPC. path must stay valid (string literal). */
int fs_register_node(const char *path, umode_t mode, const struct file_operations *fops,
                     void *private_data);
const struct fs_node *fs_lookup(const char *path);

/* Open a node by kernel path into current's fd table (lowest free fd); -errno on failure. */
int do_open_node(const char *path, int flags);

/* Helper for read callbacks of small generated files (mirrors simple_read_from_buffer). */
ssize_t simple_read_from_buffer(char *to, size_t count, loff_t *ppos, const char *from,
                                size_t available);

/* Registration of the built-in nodes (called from do_basic_setup()). */
void proc_version_init(void);
void proc_cmdline_init(void);
void proc_kcore_init(void);
void console_dev_init(void);

/* sendfile(2) (fs/read_write.c). */
long sys_sendfile64(int out_fd, int in_fd, loff_t __user *offset, size_t count);

#endif /* KERNEL_FS_H */
