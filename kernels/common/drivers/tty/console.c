// SPDX-License-Identifier: MIT
/*
 * /dev/console. Linux routes it through the tty layer (drivers/tty/tty_io.c); here a write
 * goes to printk_write(), so user output lands in the console log with timestamps, and a
 * read returns EOF: there is no tty layer, and what the UART receives only feeds the magic
 * SysRq of the serial console (drivers/tty/serial/serial_core.c).
 */
#include <kernel/fs.h>
#include <kernel/printk.h>

static ssize_t console_write(struct file *file, const char *buf, size_t count, loff_t *pos)
{
	(void)file;
	(void)pos;
	printk_write(buf, count);
	return (ssize_t)count;
}

static ssize_t console_read(struct file *file, char *buf, size_t count, loff_t *pos)
{
	(void)file;
	(void)buf;
	(void)count;
	(void)pos;
	return 0;
}

static const struct file_operations console_fops = { .read = console_read, .write = console_write };

void console_dev_init(void)
{
	fs_register_node("/dev/console", 0666, &console_fops, NULL);
}
