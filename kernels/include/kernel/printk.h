/* SPDX-License-Identifier: MIT */
/*
 * printk (common/kernel/printk.c, mirrors kernel/printk/printk.c). Every line starts with
 * Linux's "[%5lu.%06lu] " timestamp taken from sched_clock(). Log levels are accepted for
 * readability but not filtered: everything reaches the console.
 */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <kernel/types.h>
#include <kernel/compiler.h>

__printf(1, 2) int printk(const char *fmt, ...);
int vprintk(const char *fmt, va_list args);
/* Continue the current line without a new timestamp (Linux's KERN_CONT / pr_cont). */
__printf(1, 2) int pr_cont(const char *fmt, ...);
/* Write bytes to the console with timestamps at line starts, no formatting. */
void printk_write(const char *s, size_t n);

__printf(3, 4) int snprintf(char *buf, size_t size, const char *fmt, ...);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list args);

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
#define pr_emerg(fmt, ...) printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...) printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...) printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...) printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...) printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) printk(pr_fmt(fmt), ##__VA_ARGS__)

#endif /* KERNEL_PRINTK_H */
