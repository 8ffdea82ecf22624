// SPDX-License-Identifier: MIT
/*
 * The node registry and the file/fd tables (mirrors the roles of fs/file_table.c, fs/file.c
 * and the dcache, collapsed into flat arrays: there is no directory tree, a path is a key).
 */
#include <kernel/fs.h>
#include <kernel/string.h>
#include <kernel/compiler.h>
#include <asm-generic/errno-base.h>

#define MAX_FS_NODES 64
#define MAX_FILES 32

static struct fs_node fs_nodes[MAX_FS_NODES];
static unsigned int nr_fs_nodes;
static struct file file_pool[MAX_FILES];

int fs_register_node(const char *path, umode_t mode, const struct file_operations *fops,
                     void *private_data)
{
	if (fs_lookup(path))
		return -EEXIST;
	if (nr_fs_nodes >= MAX_FS_NODES)
		return -ENOSPC;
	fs_nodes[nr_fs_nodes++] = (struct fs_node){
		.path = path, .mode = mode, .fops = fops, .private_data = private_data
	};
	return 0;
}

const struct fs_node *fs_lookup(const char *path)
{
	for (unsigned int i = 0; i < nr_fs_nodes; i++)
		if (!strcmp(fs_nodes[i].path, path))
			return &fs_nodes[i];
	return NULL;
}

/* Mirrors alloc_empty_file(). */
struct file *alloc_empty_file(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(file_pool); i++) {
		if (!file_pool[i].in_use) {
			file_pool[i] = (struct file){ .in_use = true };
			return &file_pool[i];
		}
	}
	return NULL;
}

void fput(struct file *file)
{
	if (file->f_op && file->f_op->release)
		file->f_op->release(file);
	file->in_use = false;
}

ssize_t simple_read_from_buffer(char *to, size_t count, loff_t *ppos, const char *from,
                                size_t available)
{
	loff_t pos = *ppos;
	if (pos < 0)
		return -EINVAL;
	if ((size_t)pos >= available || !count)
		return 0;
	size_t n = available - (size_t)pos;
	if (n > count)
		n = count;
	memcpy(to, from + pos, n);
	*ppos = pos + (loff_t)n;
	return (ssize_t)n;
}
