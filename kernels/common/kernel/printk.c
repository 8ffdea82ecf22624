// SPDX-License-Identifier: MIT
/*
 * printk (mirrors kernel/printk/printk.c, reduced): format into a line buffer, prefix every
 * new console line with Linux's "[%5lu.%06lu] " timestamp from sched_clock(), write it to the
 * console, and store each kernel line as one record of the printk ring buffer
 * (printk_ringbuffer.c) with the timestamp its console line shows. No log levels, no locking
 * (see printk_ringbuffer.c for why one writer at a time holds).
 *
 * Only printk() text is logged. Bytes user space writes to the console (printk_write from
 * drivers/tty/console.c) reach the console alone, as on Linux, where they never enter dmesg.
 */
#include <kernel/printk.h>
#include <kernel/printk_ringbuffer.h>
#include <kernel/arch.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/string.h>

#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_USEC 1000ULL
#define PRINTK_LINE_MAX 1024

/* True when the next byte starts a new console line (so it needs a timestamp). */
static bool console_at_line_start = true;

/* The kernel line being assembled (pr_cont appends to it) and its timestamp. */
static char log_line[PRINTK_LINE_MAX];
static size_t log_line_len;
static u64 log_line_ts;
static bool log_line_open;

static void print_time(u64 ts)
{
	unsigned long rem_nsec = (unsigned long)(ts % NSEC_PER_SEC);
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "[%5lu.%06lu] ", (unsigned long)(ts / NSEC_PER_SEC),
	                 rem_nsec / (unsigned long)NSEC_PER_USEC);
	arch_console_write(buf, (size_t)n);
}

/* printk_caller_id(): the pid in task context, else 0x80000000 + the CPU. */
static u32 printk_caller_id(void)
{
	if (current)
		return (u32)current->pid;
	return 0x80000000u + (u32)smp_processor_id();
}

/* Store the assembled line as a record; `newline` says whether the text ended one. */
static void log_line_flush(bool newline)
{
	if (!log_line_open)
		return;
	prb_store_record(log_line, (u16)log_line_len, log_line_ts, printk_caller_id(),
	                 newline ? LOG_NEWLINE : (enum printk_info_flags)0);
	log_line_open = false;
	log_line_len = 0;
}

static void log_line_append(const char *s, size_t n, u64 ts)
{
	if (!log_line_open) {
		log_line_open = true;
		log_line_ts = ts;
	}
	/* Linux cuts a record at its line maximum; so does this buffer. */
	size_t room = sizeof(log_line) - log_line_len;
	if (n > room)
		n = room;
	memcpy(log_line + log_line_len, s, n);
	log_line_len += n;
}

/* Console output with a timestamp at each line start (read once per line: on x86_64 every
 * sched_clock() reading advances the clock). With `log`, the text also goes to the open
 * record, which takes the timestamp of the line it starts on. */
static void console_write_lines(const char *s, size_t n, bool log)
{
	while (n) {
		u64 ts = 0;
		bool stamped = console_at_line_start;
		if (stamped) {
			ts = sched_clock();
			print_time(ts);
		}
		size_t chunk = 0;
		while (chunk < n && s[chunk] != '\n')
			chunk++;
		bool has_newline = chunk < n;
		if (log)
			log_line_append(s, chunk, stamped || log_line_open ? ts : sched_clock());
		if (has_newline)
			chunk++;
		arch_console_write(s, chunk);
		console_at_line_start = has_newline;
		if (log && has_newline)
			log_line_flush(true);
		s += chunk;
		n -= chunk;
	}
}

void printk_write(const char *s, size_t n)
{
	console_write_lines(s, n, false);
}

static int vprintk_flags(bool cont, const char *fmt, va_list args)
{
	char line[PRINTK_LINE_MAX];
	int n = vsnprintf(line, sizeof(line), fmt, args);
	size_t len = n < (int)sizeof(line) ? (size_t)n : sizeof(line) - 1;
	/* A new printk (not pr_cont) after an unterminated line starts a new line, as in Linux;
	 * the unterminated record is stored as it is. */
	if (!cont) {
		log_line_flush(false);
		if (!console_at_line_start) {
			arch_console_write("\n", 1);
			console_at_line_start = true;
		}
	}
	console_write_lines(line, len, true);
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
