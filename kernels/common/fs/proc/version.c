// SPDX-License-Identifier: MIT
/* /proc/version (mirrors fs/proc/version.c: the linux_proc_banner). */
#include <kernel/fs.h>
#include <kernel/init.h>
#include <kernel/string.h>

static ssize_t version_read(struct file *file, char *buf, size_t count, loff_t *pos)
{
	(void)file;
	return simple_read_from_buffer(buf, count, pos, linux_proc_banner,
	                               strlen(linux_proc_banner));
}

static const struct file_operations version_fops = { .read = version_read };

void proc_version_init(void)
{
	fs_register_node("/proc/version", 0444, &version_fops, NULL);
}
