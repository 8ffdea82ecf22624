// SPDX-License-Identifier: MIT
/*
 * Magic SysRq through /proc/sysrq-trigger (mirrors drivers/tty/sysrq.c, reduced to the keys
 * a crash simulator needs). Messages keep Linux's "sysrq: " prefix and action_msg texts.
 */
#define pr_fmt(fmt) "sysrq: " fmt

#include <kernel/sysrq.h>
#include <kernel/fs.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/reboot.h>
#include <kernel/arch.h>
#include <asm/barrier.h>

struct sysrq_key_op {
	void (*handler)(char key);
	const char *help_msg;
	const char *action_msg;
};

/*
 * Linux 2.6..5.7 crashed exactly like this: force panic_on_oops, then a store through NULL,
 * so the crash goes through the real exception path (data abort -> oops -> panic). Newer
 * Linux calls panic("sysrq triggered crash\n") directly; we keep its message as the reason.
 */
static void __noinline sysrq_handle_crash(char key)
{
	char *killer = NULL;
	(void)key;
	panic_on_oops = 1; /* force panic */
	oops_panic_reason = "sysrq triggered crash";
	wmb();
	*(volatile char *)killer = 1;
}

static void sysrq_handle_reboot(char key)
{
	(void)key;
	machine_restart(); /* Linux: emergency_restart(), no "reboot:" line */
}

static void sysrq_handle_poweroff(char key)
{
	(void)key;
	kernel_power_off();
}

static const struct sysrq_key_op sysrq_crash_op = {
	.handler = sysrq_handle_crash, .help_msg = "crash(c)", .action_msg = "Trigger a crash",
};
static const struct sysrq_key_op sysrq_reboot_op = {
	.handler = sysrq_handle_reboot, .help_msg = "reboot(b)", .action_msg = "Resetting",
};
static const struct sysrq_key_op sysrq_poweroff_op = {
	.handler = sysrq_handle_poweroff, .help_msg = "poweroff(o)", .action_msg = "Power Off",
};

static const struct sysrq_key_op *sysrq_get_key_op(char key)
{
	switch (key) {
	case 'c':
		return &sysrq_crash_op;
	case 'b':
		return &sysrq_reboot_op;
	case 'o':
		return &sysrq_poweroff_op;
	default:
		return NULL;
	}
}

void __handle_sysrq(char key)
{
	const struct sysrq_key_op *op = sysrq_get_key_op(key);
	if (op) {
		pr_info("%s\n", op->action_msg);
		op->handler(key);
		return;
	}
	pr_info("HELP : %s %s %s\n", sysrq_crash_op.help_msg, sysrq_reboot_op.help_msg,
	        sysrq_poweroff_op.help_msg);
}

/* Mirrors handle_sysrq(): the keyboard and serial entry (sysrq_on(): always, no sysctl here). */
void handle_sysrq(char key)
{
	__handle_sysrq(key);
}

/* Mirrors write_sysrq_trigger(): only the first character counts. */
static ssize_t write_sysrq_trigger(struct file *file, const char *buf, size_t count, loff_t *pos)
{
	(void)file;
	(void)pos;
	if (count)
		__handle_sysrq(buf[0]);
	return (ssize_t)count;
}

static const struct file_operations sysrq_trigger_fops = { .write = write_sysrq_trigger };

void sysrq_init(void)
{
	fs_register_node("/proc/sysrq-trigger", 0200, &sysrq_trigger_fops, NULL);
}
