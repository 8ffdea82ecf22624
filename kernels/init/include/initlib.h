/* SPDX-License-Identifier: MIT */
/*
 * init's tiny libc: raw system-call wrappers returning Linux's -errno (no errno variable),
 * and the few string helpers the shell needs (init/lib/).
 */
#ifndef INIT_INITLIB_H
#define INIT_INITLIB_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

typedef long ssize_t;

int sys_openat(int dfd, const char *path, int flags, int mode);
int sys_open(const char *path, int flags);
int sys_close(int fd);
ssize_t sys_read(int fd, void *buf, size_t count);
ssize_t sys_write(int fd, const void *buf, size_t count);
int sys_reboot(unsigned int cmd);
int sys_sched_setaffinity(int pid, unsigned long mask);
/* kexec_load(2): segments is Linux's struct kexec_segment[] (linux/kexec.h). */
long sys_kexec_load(unsigned long entry, unsigned long nr_segments, const void *segments,
                    unsigned long flags);
/* sendfile(2) (sendfile64 on 64-bit): offset NULL uses and advances in_fd's position. */
ssize_t sys_sendfile(int out_fd, int in_fd, long long *offset, size_t count);
__attribute__((noreturn)) void sys_exit(int status);

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* Write all of buf (retrying short writes); returns 0 or -errno. */
int write_all(int fd, const void *buf, size_t len);
/* Write a NUL-terminated string. */
int write_str(int fd, const char *s);
/* Decimal formatting of a (possibly negative) int; returns the length. */
size_t fmt_int(char *buf, long v);
/* Linux's strerror() text for an errno value (positive). */
const char *strerror(int err);
/* The errno macro name ("EADDRNOTAVAIL") for an errno value (positive). */
const char *errno_name(int err);

#endif /* INIT_INITLIB_H */
