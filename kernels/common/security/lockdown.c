// SPDX-License-Identifier: MIT
/*
 * Kernel lockdown, set from the command line only (mirrors security/lockdown/lockdown.c:
 * lock_kernel_down, lockdown_param, lockdown_is_locked_down; the reason strings are
 * security/security.c's lockdown_reasons[]). A locked-down kernel refuses kexec_load(2)
 * (LOCKDOWN_KEXEC, integrity) and /proc/kcore (LOCKDOWN_KCORE, confidentiality).
 */
#include <kernel/security.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <asm-generic/errno-base.h>

static enum lockdown_reason kernel_locked_down;

static const char *const lockdown_reasons[LOCKDOWN_CONFIDENTIALITY_MAX + 1] = {
	[LOCKDOWN_NONE] = "none",
	[LOCKDOWN_KEXEC] = "kexec of unsigned images",
	[LOCKDOWN_INTEGRITY_MAX] = "integrity",
	[LOCKDOWN_KCORE] = "/proc/kcore access",
	[LOCKDOWN_CONFIDENTIALITY_MAX] = "confidentiality",
};

static int lock_kernel_down(const char *where, enum lockdown_reason level)
{
	if (kernel_locked_down >= level)
		return -EPERM;
	kernel_locked_down = level;
	pr_notice("Kernel is locked down from %s; see man kernel_lockdown.7\n", where);
	return 0;
}

int lockdown_param(const char *level)
{
	if (!strcmp(level, "integrity"))
		lock_kernel_down("command line", LOCKDOWN_INTEGRITY_MAX);
	else if (!strcmp(level, "confidentiality"))
		lock_kernel_down("command line", LOCKDOWN_CONFIDENTIALITY_MAX);
	else
		return -EINVAL;
	return 0;
}

int security_locked_down(enum lockdown_reason what)
{
	if (kernel_locked_down < what)
		return 0;
	pr_notice("Lockdown: %s: %s is restricted; see man kernel_lockdown.7\n", current->comm,
	          lockdown_reasons[what]);
	return -EPERM;
}
