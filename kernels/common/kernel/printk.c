// SPDX-License-Identifier: MIT
/*
 * printk (mirrors kernel/printk/printk.c, reduced): format into a line buffer, prefix every
 * new line with Linux's "[%5lu.%06lu] " timestamp from sched_clock(), write to the console.
 * No ring buffer, no log levels, no locking (one CPU, interrupts masked in the kernel).
 */
#include <kernel/printk.h>
#include <kernel/arch.h>
#include <kernel/string.h>

#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_USEC 1000ULL
#define PRINTK_LINE_MAX 1024

/* True when the next byte starts a new console line (so it needs a timestamp). */
static bool console_at_line_start = true;

static void print_time(void)
{
	u64 ts = sched_clock();
	unsigned long rem_nsec = (unsigned long)(ts % NSEC_PER_SEC);
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "[%5lu.%06lu] ", (unsigned long)(ts / NSEC_PER_SEC),
	                 rem_nsec / (unsigned long)NSEC_PER_USEC);
	arch_console_write(buf, (size_t)n);
}

void printk_write(const char *s, size_t n)
{
	while (n) {
		if (console_at_line_start)
			print_time();
		size_t chunk = 0;
		while (chunk < n && s[chunk] != '\n')
			chunk++;
		bool has_newline = chunk < n;
		if (has_newline)
			chunk++;
		arch_console_write(s, chunk);
		console_at_line_start = has_newline;
		s += chunk;
		n -= chunk;
	}
}

static int vprintk_flags(bool cont, const char *fmt, va_list args)
{
	char line[PRINTK_LINE_MAX];
	int n = vsnprintf(line, sizeof(line), fmt, args);
	size_t len = n < (int)sizeof(line) ? (size_t)n : sizeof(line) - 1;
	/* A new printk (not pr_cont) after an unterminated line starts a new line, as in Linux. */
	if (!cont && !console_at_line_start) {
		arch_console_write("\n", 1);
		console_at_line_start = true;
	}
	printk_write(line, len);
	return n;
}

int vprintk(const char *fmt, va_list args)
{
	return vprintk_flags(false, fmt, args);
}

int printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintk_flags(false, fmt, ap);
	va_end(ap);
	return n;
}

int pr_cont(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintk_flags(true, fmt, ap);
	va_end(ap);
	return n;
}
