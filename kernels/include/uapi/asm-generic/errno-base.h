/* SPDX-License-Identifier: MIT */
/* Linux's errno values (include/uapi/asm-generic/errno-base.h + errno.h), shared with init. */
#ifndef UAPI_ASM_GENERIC_ERRNO_BASE_H
#define UAPI_ASM_GENERIC_ERRNO_BASE_H

#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define EINTR 4
#define EIO 5
#define ENXIO 6
#define E2BIG 7
#define ENOEXEC 8
#define EBADF 9
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define ENOTDIR 20
#define EISDIR 21
#define EINVAL 22
#define ENFILE 23
#define EMFILE 24
#define ENOSPC 28
#define ESPIPE 29
#define EROFS 30
#define ERANGE 34
#define ENAMETOOLONG 36
#define ENOSYS 38
#define ENODATA 61
#define EOVERFLOW 75
#define EMSGSIZE 90
#define EOPNOTSUPP 95
#define EADDRNOTAVAIL 99

#endif /* UAPI_ASM_GENERIC_ERRNO_BASE_H */
