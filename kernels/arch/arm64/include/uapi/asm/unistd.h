/* SPDX-License-Identifier: MIT */
/* arm64 syscall numbers = asm-generic (include/uapi/asm-generic/unistd.h). Shared with init. */
#ifndef UAPI_ASM_UNISTD_H
#define UAPI_ASM_UNISTD_H

#define __NR_openat 56
#define __NR_close 57
#define __NR_read 63
#define __NR_write 64
#define __NR_sendfile 71 /* asm-generic __NR3264_sendfile (sendfile64 on 64-bit) */
#define __NR_exit 93
#define __NR_exit_group 94
#define __NR_kexec_load 104
#define __NR_sched_setaffinity 122
#define __NR_reboot 142
#define __NR_getpid 172

#endif /* UAPI_ASM_UNISTD_H */
