// SPDX-License-Identifier: MIT
/*
 * /sys/kernel attributes of kexec/kdump (mirrors kernel/ksysfs.c: kexec_loaded_show,
 * kexec_crash_loaded_show, kexec_crash_size_show, vmcoreinfo_show). There is no sysfs: each
 * attribute is a node of the flat file table.
 */
#include <kernel/crash_core.h>
#include <kernel/crash_reserve.h>
#include <kernel/fs.h>
#include <kernel/kexec.h>
#include <kernel/printk.h>

#define SYSFS_BUF 64

static ssize_t show(char *buf, size_t count, loff_t *pos, const char *text, int n)
{
	return simple_read_from_buffer(buf, count, pos, text, n < 0 ? 0 : (size_t)n);
}

static ssize_t kexec_loaded_read(struct file *f, char *buf, size_t count, loff_t *pos)
{
	char text[SYSFS_BUF];
	(void)f;
	return show(buf, count, pos, text, snprintf(text, sizeof(text), "%d\n", !!kexec_image));
}

static ssize_t kexec_crash_loaded_read(struct file *f, char *buf, size_t count, loff_t *pos)
{
	char text[SYSFS_BUF];
	(void)f;
	return show(buf, count, pos, text,
	            snprintf(text, sizeof(text), "%d\n", kexec_crash_loaded()));
}

static ssize_t kexec_crash_size_read(struct file *f, char *buf, size_t count, loff_t *pos)
{
	char text[SYSFS_BUF];
	(void)f;
	return show(buf, count, pos, text,
	            snprintf(text, sizeof(text), "%zd\n", (ssize_t)crash_get_memory_size()));
}

/*
 * Linux 4.x printed "%lx %x\n"; current kernels print "%pa %x\n" ("0x" + 16 digits). Both
 * parse with kexec-tools' sscanf("%llx %llx"); this follows the kdsim contract: "%llx %x\n".
 */
static ssize_t vmcoreinfo_read(struct file *f, char *buf, size_t count, loff_t *pos)
{
	char text[SYSFS_BUF];
	(void)f;
	return show(buf, count, pos, text,
	            snprintf(text, sizeof(text), "%llx %x\n",
	                     (unsigned long long)paddr_vmcoreinfo_note(),
	                     (unsigned int)VMCOREINFO_NOTE_SIZE));
}

static const struct file_operations kexec_loaded_fops = { .read = kexec_loaded_read };
static const struct file_operations kexec_crash_loaded_fops = { .read = kexec_crash_loaded_read };
static const struct file_operations kexec_crash_size_fops = { .read = kexec_crash_size_read };
static const struct file_operations vmcoreinfo_fops = { .read = vmcoreinfo_read };

void ksysfs_init(void)
{
	fs_register_node("/sys/kernel/kexec_loaded", 0444, &kexec_loaded_fops, NULL);
	fs_register_node("/sys/kernel/kexec_crash_loaded", 0444, &kexec_crash_loaded_fops, NULL);
	/* 0644 in Linux (writing shrinks the region); read-only here. */
	fs_register_node("/sys/kernel/kexec_crash_size", 0444, &kexec_crash_size_fops, NULL);
	fs_register_node("/sys/kernel/vmcoreinfo", 0444, &vmcoreinfo_fops, NULL);
}
