/* SPDX-License-Identifier: MIT */
/*
 * struct dentry (mirrors include/linux/dcache.h, the first fields only). There is no dentry
 * cache here (files are fs_nodes): the type exists because crash's vfs_init() sizes its
 * dentry cache by it and refuses a vmlinux without it. Its inode (include/kernel/fs.h) too.
 */
#ifndef KERNEL_DCACHE_H
#define KERNEL_DCACHE_H

#include <kernel/types.h>

struct inode;

struct qstr {
	union {
		struct {
			u32 hash;
			u32 len;
		};
		u64 hash_len;
	};
	const unsigned char *name;
};

struct dentry {
	unsigned int d_flags;
	struct dentry *d_parent;
	struct qstr d_name;
	struct inode *d_inode;
};

#endif /* KERNEL_DCACHE_H */
