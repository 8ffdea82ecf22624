/* SPDX-License-Identifier: MIT */
/* Helpers shared inside common/fs/ (mirrors fs/internal.h). */
#ifndef FS_INTERNAL_H
#define FS_INTERNAL_H

#include <kernel/fs.h>

struct file *alloc_empty_file(void);
void fput(struct file *file);
/* The file behind fd in current->files, or NULL. */
struct file *fget(unsigned int fd);

#endif /* FS_INTERNAL_H */
