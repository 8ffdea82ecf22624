/* SPDX-License-Identifier: MIT */
/*
 * Kernel lockdown (mirrors include/linux/security.h's enum lockdown_reason and
 * security/lockdown/lockdown.c). Only the reasons the toy kernel checks are listed; their
 * order keeps Linux's split: reasons up to LOCKDOWN_INTEGRITY_MAX are refused by
 * "lockdown=integrity", the rest only by "lockdown=confidentiality".
 */
#ifndef KERNEL_SECURITY_H
#define KERNEL_SECURITY_H

#include <kernel/types.h>

enum lockdown_reason {
	LOCKDOWN_NONE,
	LOCKDOWN_KEXEC,
	LOCKDOWN_INTEGRITY_MAX,
	LOCKDOWN_KCORE,
	LOCKDOWN_CONFIDENTIALITY_MAX,
};

/* 0, or -EPERM with "Lockdown: <comm>: <reason> is restricted; ..." in the log. */
int security_locked_down(enum lockdown_reason what);

/* early_param("lockdown"): "integrity" or "confidentiality"; -EINVAL for anything else. */
int lockdown_param(const char *level);

#endif /* KERNEL_SECURITY_H */
