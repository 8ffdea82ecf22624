// SPDX-License-Identifier: MIT
/*
 * System-call dispatch and the process-level calls (mirrors kernel/sys.c and the generic
 * syscall table). Numbers come from the arch's uapi/asm/unistd.h; results are Linux's
 * -errno values.
 */
#include <kernel/syscalls.h>
#include <kernel/fs.h>
#include <kernel/kexec.h>
#include <kernel/panic.h>
#include <kernel/reboot.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/uaccess.h>
#include <asm/unistd.h>
#include <asm-generic/errno-base.h>
#include <linux/reboot.h>

long sys_exit(int error_code)
{
	/* Linux encodes a normal exit status as (code & 0xff) << 8. */
	do_exit(((long)error_code & 0xff) << 8);
}

long sys_getpid(void)
{
	return current->pid;
}

/* Mirrors SYSCALL_DEFINE4(reboot) in kernel/reboot.c (no CAP_SYS_BOOT: init is root). */
long sys_reboot(int magic1, int magic2, unsigned int cmd, void __user *arg)
{
	(void)arg;
	if ((unsigned int)magic1 != LINUX_REBOOT_MAGIC1 ||
	    (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A &&
	     magic2 != LINUX_REBOOT_MAGIC2B && magic2 != LINUX_REBOOT_MAGIC2C))
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_RESTART:
		kernel_restart(NULL);
	case LINUX_REBOOT_CMD_POWER_OFF:
		kernel_power_off();
	case LINUX_REBOOT_CMD_HALT:
		kernel_halt();
#ifdef CONFIG_KEXEC_CORE
	case LINUX_REBOOT_CMD_KEXEC:
		return kernel_kexec();
#endif
	default:
		return -EINVAL;
	}
}

/*
 * Mirrors SYSCALL_DEFINE3(sched_setaffinity) (kernel/sched/core.c), for the one process and
 * without a scheduler: a mask naming one online CPU pins init's writes there (sys_write() runs
 * them on it); a mask holding the CPU init runs on unpins. No online CPU in it: -EINVAL.
 */
long sys_sched_setaffinity(int pid, unsigned int len, const unsigned long __user *user_mask_ptr)
{
	unsigned long mask;
	if (pid != 0 && pid != current->pid)
		return -ESRCH;
	if (len < sizeof(mask))
		return -EINVAL;
	if (copy_from_user(&mask, user_mask_ptr, sizeof(mask)))
		return -EFAULT;
	mask &= __cpu_online_mask;
	if (!mask)
		return -EINVAL;
	const int here = smp_processor_id();
	current_pinned_cpu = (mask >> here) & 1 ? -1 : __builtin_ctzl(mask);
	return 0;
}

long syscall_dispatch(unsigned long nr, const unsigned long args[6])
{
	switch (nr) {
	case __NR_openat:
		return sys_openat((int)args[0], (const char __user *)args[1], (int)args[2],
		                  (umode_t)args[3]);
	case __NR_close:
		return sys_close((unsigned int)args[0]);
	case __NR_read:
		return sys_read((unsigned int)args[0], (char __user *)args[1], (size_t)args[2]);
	case __NR_write:
		return sys_write((unsigned int)args[0], (const char __user *)args[1],
		                 (size_t)args[2]);
	case __NR_exit:
	case __NR_exit_group:
		return sys_exit((int)args[0]);
	case __NR_reboot:
		return sys_reboot((int)args[0], (int)args[1], (unsigned int)args[2],
		                  (void __user *)args[3]);
	case __NR_getpid:
		return sys_getpid();
	case __NR_sched_setaffinity:
		return sys_sched_setaffinity((int)args[0], (unsigned int)args[1],
		                             (const unsigned long __user *)args[2]);
#ifdef __NR_sendfile
	case __NR_sendfile:
		return sys_sendfile64((int)args[0], (int)args[1], (loff_t __user *)args[2],
		                      (size_t)args[3]);
#endif
#ifdef CONFIG_KEXEC_CORE
	case __NR_kexec_load:
		return sys_kexec_load(args[0], args[1], (const void __user *)args[2], args[3]);
#endif
	default:
		return -ENOSYS;
	}
}
