/* SPDX-License-Identifier: MIT */
/*
 * struct path (mirrors include/linux/path.h). There is no VFS here, so a file's f_path stays
 * empty; crash's vfs_init() requires the type (it derives file.f_dentry/f_vfsmnt from it).
 */
#ifndef KERNEL_PATH_H
#define KERNEL_PATH_H

#include <kernel/dcache.h>

/* include/linux/mount.h: what a path's mount is (no mounts here: crash sizes it). */
struct vfsmount {
	struct dentry *mnt_root;
	struct super_block *mnt_sb;
	int mnt_flags;
};

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
};

#endif /* KERNEL_PATH_H */
