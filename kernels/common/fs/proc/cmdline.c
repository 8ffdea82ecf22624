// SPDX-License-Identifier: MIT
/* /proc/cmdline (mirrors fs/proc/cmdline.c: the command line plus a newline). */
#include <kernel/fs.h>
#include <kernel/init.h>
#include <kernel/printk.h>

static ssize_t cmdline_read(struct file *file, char *buf, size_t count, loff_t *pos)
{
	static char text[COMMAND_LINE_SIZE + 2];
	(void)file;
	int n = snprintf(text, sizeof(text), "%s\n", boot_command_line);
	return simple_read_from_buffer(buf, count, pos, text, (size_t)n);
}

static const struct file_operations cmdline_fops = { .read = cmdline_read };

void proc_cmdline_init(void)
{
	fs_register_node("/proc/cmdline", 0444, &cmdline_fops, NULL);
}
