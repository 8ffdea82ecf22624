/* SPDX-License-Identifier: MIT */
/* x86_64 syscall numbers (arch/x86/entry/syscalls/syscall_64.tbl). Shared with init. */
#ifndef UAPI_ASM_UNISTD_H
#define UAPI_ASM_UNISTD_H

#define __NR_read 0
#define __NR_write 1
#define __NR_open 2
#define __NR_close 3
#define __NR_getpid 39
#define __NR_sendfile 40
#define __NR_exit 60
#define __NR_reboot 169
#define __NR_sched_setaffinity 203
#define __NR_exit_group 231
#define __NR_kexec_load 246
#define __NR_openat 257

#endif /* UAPI_ASM_UNISTD_H */
