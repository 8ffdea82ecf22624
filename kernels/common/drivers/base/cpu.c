// SPDX-License-Identifier: MIT
/*
 * /sys/devices/system/cpu/cpuN/crash_notes and crash_notes_size, one pair per possible CPU
 * (mirrors crash_notes_show()/crash_notes_size_show() of drivers/base/cpu.c; both are
 * DEVICE_ATTR_ADMIN_RO, mode 0400).
 */
#include <kernel/crash_core.h>
#include <kernel/fs.h>
#include <kernel/printk.h>
#include <kernel/smp.h>

static char cpu_paths[NR_CPUS][2][48];

static ssize_t crash_notes_read(struct file *f, char *buf, size_t count, loff_t *pos)
{
	char text[32];
	unsigned int cpunum = (unsigned int)(unsigned long)f->private_data;
	unsigned long long addr = crash_notes_phys(cpunum);
	int n = snprintf(text, sizeof(text), "%llx\n", addr);
	return simple_read_from_buffer(buf, count, pos, text, (size_t)n);
}

static ssize_t crash_notes_size_read(struct file *f, char *buf, size_t count, loff_t *pos)
{
	char text[32];
	(void)f;
	int n = snprintf(text, sizeof(text), "%zu\n", sizeof(note_buf_t));
	return simple_read_from_buffer(buf, count, pos, text, (size_t)n);
}

static const struct file_operations crash_notes_fops = { .read = crash_notes_read };
static const struct file_operations crash_notes_size_fops = { .read = crash_notes_size_read };

void cpu_dev_init(void)
{
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		snprintf(cpu_paths[cpu][0], sizeof(cpu_paths[cpu][0]),
		         "/sys/devices/system/cpu/cpu%u/crash_notes", cpu);
		snprintf(cpu_paths[cpu][1], sizeof(cpu_paths[cpu][1]),
		         "/sys/devices/system/cpu/cpu%u/crash_notes_size", cpu);
		fs_register_node(cpu_paths[cpu][0], 0400, &crash_notes_fops,
		                 (void *)(unsigned long)cpu);
		fs_register_node(cpu_paths[cpu][1], 0400, &crash_notes_size_fops, NULL);
	}
}
