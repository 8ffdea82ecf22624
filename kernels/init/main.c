// SPDX-License-Identifier: MIT
/*
 * /init: the first user process of the toy kernel. A minimal command runner for the kdsim
 * agent (protocol in kernels/README.md):
 *
 *   open /dev/agent and /dev/agent-status; write "hello" to the status node;
 *   loop: read one command line from /dev/agent (0 = no more commands -> power off),
 *         run it with real system calls, write its output to /dev/agent, then write
 *         "done <status>" to /dev/agent-status.
 *
 * Commands: "echo TEXT", "echo TEXT > PATH", "cat PATH", "head -c BYTES PATH", "poweroff",
 * "reboot", and the kdump tools: "kexec-load [-u] [-p]" (the KEXG blob of /dev/agent-blob -> kexec_load(2), like
 * kexec-tools' kexec -l / -p), "kexec-exec" (kexec -e: reboot(LINUX_REBOOT_CMD_KEXEC)) and
 * "save-vmcore" (sendfile(/dev/dumpdisk, /proc/vmcore), the capture kernel's makedumpfile/cp),
 * and "busy-loop" (a user-mode loop that never returns: a workload for input from outside).
 * Anything else: "sh: NAME: not found", status 127. Without an agent (QEMU) init says so on
 * the console (fd 1 = /dev/console, opened by the kernel) and powers off.
 */
#include <initlib.h>
#include <asm-generic/errno-base.h>
#include <linux/fcntl.h>
#include <linux/kexec.h>
#include <linux/reboot.h>

#define CMD_MAX 4096
#define STATUS_NOT_FOUND 127
#define STDOUT 1

struct session {
	int agent;  /* /dev/agent: commands in, output out */
	int status; /* /dev/agent-status: "hello", "done N" */
};

static char cmd_buf[CMD_MAX + 1];
static char io_buf[4096];

/*
 * The kexec-load blob (docs/devices.md "Blobs"): read whole into init's .bss, which the
 * kernel's ELF loader maps (zeroed) like any PT_LOAD memsz. 8 MiB holds a kernel image, a DTB,
 * a purgatory and an ELF core header with room to spare.
 */
#define BLOB_MAX (8u << 20)
#define KEXG_MAGIC 0x4758454bu /* "KEXG" */
#define KEXG_HDR_SIZE 24u
#define KEXG_SEG_SIZE 32u
#define KEXG_MAX_SEGMENTS 64u /* more than KEXEC_SEGMENT_MAX, so the kernel's -EINVAL shows */
static unsigned char blob_buf[BLOB_MAX] __attribute__((aligned(4096)));
static struct kexec_segment kexec_segs[KEXG_MAX_SEGMENTS];

static void out(const struct session *s, const char *str)
{
	write_str(s->agent, str);
}

/* "<prefix>: <what>: <strerror>\n" to the command output, like a shell's diagnostics. */
static void out_error(const struct session *s, const char *prefix, const char *what, int err)
{
	out(s, prefix);
	out(s, ": ");
	out(s, what);
	out(s, ": ");
	out(s, strerror(-err));
	out(s, "\n");
}

static char *skip_spaces(char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static void trim_end(char *p)
{
	size_t n = strlen(p);
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\n' || p[n - 1] == '\r'))
		p[--n] = '\0';
}

/* Strip one pair of matching surrounding quotes. */
static char *unquote(char *p)
{
	size_t n = strlen(p);
	if (n >= 2 && (p[0] == '"' || p[0] == '\'') && p[n - 1] == p[0]) {
		p[n - 1] = '\0';
		return p + 1;
	}
	return p;
}

/* echo TEXT [> PATH]: one write of "TEXT\n", like coreutils echo. */
static int cmd_echo(const struct session *s, char *args)
{
	char *redirect = args;
	while (*redirect && *redirect != '>')
		redirect++;
	char *path = NULL;
	if (*redirect == '>') {
		*redirect = '\0';
		path = skip_spaces(redirect + 1);
		trim_end(path);
		path = unquote(path);
	}
	trim_end(args);
	char *text = unquote(args);
	size_t len = strlen(text);
	if (len >= sizeof(io_buf))
		len = sizeof(io_buf) - 1;
	memcpy(io_buf, text, len);
	io_buf[len++] = '\n';

	if (!path) {
		write_all(s->agent, io_buf, len);
		return 0;
	}
	if (!*path) {
		out(s, "sh: syntax error: missing file name after '>'\n");
		return 2;
	}
	int fd = sys_open(path, O_WRONLY | O_CREAT | O_TRUNC);
	if (fd < 0) {
		out_error(s, "sh", path, fd);
		return 1;
	}
	int err = write_all(fd, io_buf, len);
	sys_close(fd);
	if (err) {
		out_error(s, "echo", "write error", err);
		return 1;
	}
	return 0;
}

/* cat PATH: read until EOF, forwarding everything to the agent. */
static int cmd_cat(const struct session *s, char *args)
{
	trim_end(args);
	char *path = unquote(args);
	if (!*path) {
		out(s, "cat: missing operand\n");
		return 1;
	}
	int fd = sys_open(path, O_RDONLY);
	if (fd < 0) {
		out_error(s, "cat", path, fd);
		return 1;
	}
	for (;;) {
		ssize_t n = sys_read(fd, io_buf, sizeof(io_buf));
		if (n == 0)
			break;
		if (n < 0) {
			sys_close(fd);
			out_error(s, "cat", path, (int)n);
			return 1;
		}
		write_all(s->agent, io_buf, (size_t)n);
	}
	sys_close(fd);
	return 0;
}

enum dash_c_result { DASH_C_OK, DASH_C_USAGE, DASH_C_NUMBER };

/*
 * "-c N REST" (head -c BYTES FILE, taskset -c CPU COMMAND): N, a decimal number no larger than
 * max, into *value and REST (spaces skipped) into *rest. DASH_C_USAGE without the "-c",
 * DASH_C_NUMBER when N is missing, too large or not followed by a space.
 */
static enum dash_c_result parse_dash_c(char *args, unsigned long max, unsigned long *value,
                                       char **rest)
{
	char *p = args;
	if (strncmp(p, "-c", 2) != 0 || (p[2] != ' ' && p[2] != '\t'))
		return DASH_C_USAGE;
	p = skip_spaces(p + 2);
	if (*p < '0' || *p > '9')
		return DASH_C_NUMBER;
	unsigned long v = 0;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (unsigned long)(*p++ - '0');
		if (v > max)
			return DASH_C_NUMBER;
	}
	if (*p != ' ' && *p != '\t')
		return DASH_C_NUMBER;
	*value = v;
	*rest = skip_spaces(p);
	return DASH_C_OK;
}

/*
 * head -c BYTES PATH (coreutils): the first BYTES bytes of PATH, fewer at EOF. kexec-tools
 * reads only the header of /proc/kcore, whose memory part may be larger than RAM.
 */
static void head_error(const struct session *s, const char *what, const char *path,
                       const char *sep, int err)
{
	out(s, "head: ");
	out(s, what);
	out(s, path);
	out(s, sep);
	out(s, strerror(-err));
	out(s, "\n");
}

static int cmd_head(const struct session *s, char *args)
{
	unsigned long left = 0;
	char *p = NULL;
	switch (parse_dash_c(args, 1UL << 40, &left, &p)) {
	case DASH_C_USAGE:
		out(s, "head: usage: head -c BYTES FILE\n");
		return 1;
	case DASH_C_NUMBER:
		out(s, "head: invalid number of bytes\n");
		return 1;
	case DASH_C_OK:
		break;
	}
	trim_end(p);
	char *path = unquote(p);
	int fd = sys_open(path, O_RDONLY);
	if (fd < 0) {
		head_error(s, "cannot open '", path, "' for reading: ", fd);
		return 1;
	}
	while (left) {
		size_t want = left < sizeof(io_buf) ? (size_t)left : sizeof(io_buf);
		ssize_t n = sys_read(fd, io_buf, want);
		if (n == 0)
			break;
		if (n < 0) {
			sys_close(fd);
			head_error(s, "error reading '", path, "': ", (int)n);
			return 1;
		}
		write_all(s->agent, io_buf, (size_t)n);
		left -= (unsigned long)n;
	}
	sys_close(fd);
	return 0;
}

static uint32_t get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get_u64(const unsigned char *p)
{
	return (uint64_t)get_u32(p) | (uint64_t)get_u32(p + 4) << 32;
}

static void out_num(const struct session *s, long v)
{
	char num[24];
	fmt_int(num, v);
	out(s, num);
}

/* "kexec_load: 0" or "kexec_load: -<n> (<NAME>)"; returns the exit status (n). */
static int report_kexec_load(const struct session *s, long r)
{
	out(s, "kexec_load: ");
	out_num(s, r);
	if (r < 0) {
		out(s, " (");
		out(s, errno_name((int)-r));
		out(s, ")");
	}
	out(s, "\n");
	return r < 0 ? (int)-r : 0;
}

/*
 * kexec-tools' physical_arch() (kexec/kexec-arch.c): the running machine's KEXEC_ARCH_*, which
 * k_unload() ORs into the flags of its unload call like my_load() does for a load.
 */
static unsigned long native_kexec_arch(void)
{
#if defined(__aarch64__)
	return KEXEC_ARCH_AARCH64;
#elif defined(__x86_64__)
	return KEXEC_ARCH_X86_64;
#else
#error "init: no KEXEC_ARCH for this architecture"
#endif
}

/*
 * kexec-load [-u] [-p]: with -u, unload (kexec_load with no segments; -p: the crash image).
 * Otherwise read the KEXG blob, build struct kexec_segment[] pointing into it and call
 * kexec_load(entry, nr_segments, segments, flags) with the blob's flags. Blob problems print
 * "kexec-load: <why>" and exit 1; the syscall's result is the exit status (its errno).
 */
static int cmd_kexec_load(const struct session *s, char *args)
{
	bool unload = false, crash = false;
	for (char *p = skip_spaces(args); *p; p = skip_spaces(p)) {
		char *word = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
		if (!strcmp(word, "-u"))
			unload = true;
		else if (!strcmp(word, "-p"))
			crash = true;
		else {
			out(s, "kexec-load: unknown option ");
			out(s, word);
			out(s, "\n");
			return 1;
		}
	}
	if (unload)
		return report_kexec_load(s, sys_kexec_load(0, 0, NULL,
		                                           (crash ? KEXEC_ON_CRASH : 0) | native_kexec_arch()));

	int fd = sys_open("/dev/agent-blob", O_RDONLY);
	if (fd < 0) {
		out_error(s, "kexec-load", "/dev/agent-blob", fd);
		return 1;
	}
	size_t total = 0;
	for (;;) {
		if (total == BLOB_MAX) {
			char probe;
			ssize_t n = sys_read(fd, &probe, 1);
			if (n > 0) {
				sys_close(fd);
				out(s, "kexec-load: blob larger than ");
				out_num(s, BLOB_MAX);
				out(s, " bytes\n");
				return 1;
			}
			break;
		}
		ssize_t n = sys_read(fd, blob_buf + total, BLOB_MAX - total);
		if (n == 0)
			break;
		if (n < 0) {
			sys_close(fd);
			out_error(s, "kexec-load", "/dev/agent-blob", (int)n);
			return 1;
		}
		total += (size_t)n;
	}
	sys_close(fd);

	if (total == 0) {
		out(s, "kexec-load: no blob\n");
		return 1;
	}
	if (total < KEXG_HDR_SIZE || get_u32(blob_buf) != KEXG_MAGIC) {
		out(s, "kexec-load: not a KEXG blob\n");
		return 1;
	}
	uint32_t nr = get_u32(blob_buf + 4);
	uint64_t entry = get_u64(blob_buf + 8);
	uint64_t flags = get_u64(blob_buf + 16);
	if (nr > KEXG_MAX_SEGMENTS) {
		out(s, "kexec-load: too many segments in the blob\n");
		return 1;
	}
	if (KEXG_HDR_SIZE + (size_t)nr * KEXG_SEG_SIZE > total) {
		out(s, "kexec-load: blob truncated (segment table)\n");
		return 1;
	}
	for (uint32_t i = 0; i < nr; i++) {
		const unsigned char *d = blob_buf + KEXG_HDR_SIZE + i * KEXG_SEG_SIZE;
		uint64_t off = get_u64(d), bufsz = get_u64(d + 8);
		if (off > total || bufsz > total - off) {
			out(s, "kexec-load: segment ");
			out_num(s, (long)i);
			out(s, " lies outside the blob\n");
			return 1;
		}
		kexec_segs[i].buf = blob_buf + off;
		kexec_segs[i].bufsz = (size_t)bufsz;
		kexec_segs[i].mem = (const void *)(uintptr_t)get_u64(d + 16);
		kexec_segs[i].memsz = (size_t)get_u64(d + 24);
	}
	return report_kexec_load(s, sys_kexec_load((unsigned long)entry, nr, kexec_segs,
	                                           (unsigned long)flags));
}

/* kexec-exec: kexec -e, i.e. reboot(LINUX_REBOOT_CMD_KEXEC); returns only on failure. */
static int cmd_kexec_exec(const struct session *s)
{
	int err = sys_reboot(LINUX_REBOOT_CMD_KEXEC);
	out_error(s, "kexec-exec", "reboot", err);
	return -err;
}

/*
 * busy-loop: a CPU-bound loop in user mode that never ends by itself (a shell's
 * `while :; do :; done`). The machine keeps running init's code, interrupts on, until
 * something outside it happens: kdsim's SysRq over the serial console. The counter is stored
 * on every turn, so the loop is busy, not stuck (the machine's spin detector tells them apart).
 */
static int cmd_busy_loop(void)
{
	volatile unsigned long turns = 0;
	for (;;)
		turns++;
}

/* save-vmcore: sendfile(/dev/dumpdisk, /proc/vmcore) until EOF, no copy through init. */
static int cmd_save_vmcore(const struct session *s)
{
	int in = sys_open("/proc/vmcore", O_RDONLY);
	if (in < 0) {
		out_error(s, "save-vmcore", "/proc/vmcore", in);
		return -in;
	}
	int outfd = sys_open("/dev/dumpdisk", O_WRONLY);
	if (outfd < 0) {
		sys_close(in);
		out_error(s, "save-vmcore", "/dev/dumpdisk", outfd);
		return -outfd;
	}
	long total = 0;
	for (;;) {
		ssize_t n = sys_sendfile(outfd, in, NULL, 0x7ffff000); /* MAX_RW_COUNT */
		if (n == 0)
			break;
		if (n < 0) {
			sys_close(outfd);
			sys_close(in);
			out_error(s, "save-vmcore", "sendfile", (int)n);
			return (int)-n;
		}
		total += n;
	}
	sys_close(outfd);
	sys_close(in);
	out(s, "vmcore: saved ");
	out_num(s, total);
	out(s, " bytes\n");
	return 0;
}

static int cmd_reboot(const struct session *s, const char *name, unsigned int how)
{
	int err = sys_reboot(how); /* returns only on failure */
	out_error(s, name, "reboot", err);
	return 1;
}

static int run_command(const struct session *s, char *line);

/*
 * taskset -c CPU COMMAND (util-linux): COMMAND runs pinned to CPU. There is no fork here: init
 * pins itself, runs the built-in, and unpins (the kernel runs its writes on that CPU).
 */
static int cmd_taskset(const struct session *s, char *args)
{
	unsigned long cpu = 0;
	char *p = NULL;
	switch (parse_dash_c(args, 63, &cpu, &p)) {
	case DASH_C_USAGE:
		out(s, "taskset: usage: taskset -c CPU COMMAND\n");
		return 1;
	case DASH_C_NUMBER:
		out(s, "taskset: failed to parse CPU list\n");
		return 1;
	case DASH_C_OK:
		break;
	}
	int err = sys_sched_setaffinity(0, 1UL << cpu);
	if (err) {
		out_error(s, "taskset", "failed to set pid 0's affinity", err);
		return 1;
	}
	int status = run_command(s, p);
	sys_sched_setaffinity(0, ~0UL);
	return status;
}

/* Run one command line; returns its exit status. */
static int run_command(const struct session *s, char *line)
{
	trim_end(line);
	char *p = skip_spaces(line);
	if (!*p)
		return 0;
	char *name = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	if (*p)
		*p++ = '\0';
	char *args = skip_spaces(p);

	if (!strcmp(name, "echo"))
		return cmd_echo(s, args);
	if (!strcmp(name, "cat"))
		return cmd_cat(s, args);
	if (!strcmp(name, "head"))
		return cmd_head(s, args);
	if (!strcmp(name, "poweroff"))
		return cmd_reboot(s, "poweroff", LINUX_REBOOT_CMD_POWER_OFF);
	if (!strcmp(name, "reboot"))
		return cmd_reboot(s, "reboot", LINUX_REBOOT_CMD_RESTART);
	if (!strcmp(name, "kexec-load"))
		return cmd_kexec_load(s, args);
	if (!strcmp(name, "kexec-exec"))
		return cmd_kexec_exec(s);
	if (!strcmp(name, "save-vmcore"))
		return cmd_save_vmcore(s);
	if (!strcmp(name, "taskset"))
		return cmd_taskset(s, args);
	if (!strcmp(name, "busy-loop"))
		return cmd_busy_loop();
	out(s, "sh: ");
	out(s, name);
	out(s, ": not found\n");
	return STATUS_NOT_FOUND;
}

static void report_done(const struct session *s, int status)
{
	char msg[32] = "done ";
	fmt_int(msg + 5, status);
	write_str(s->status, msg);
}

static __attribute__((noreturn)) void power_off(void)
{
	sys_reboot(LINUX_REBOOT_CMD_POWER_OFF);
	sys_exit(1); /* unreachable unless reboot failed: the kernel then panics */
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct session s;
	s.agent = sys_open("/dev/agent", O_RDWR);
	if (s.agent < 0) {
		write_str(STDOUT, "init: no kdsim agent (/dev/agent: ");
		write_str(STDOUT, strerror(-s.agent));
		write_str(STDOUT, "), nothing to run: powering off\n");
		power_off();
	}
	s.status = sys_open("/dev/agent-status", O_WRONLY);
	if (s.status < 0) {
		write_str(STDOUT, "init: cannot open /dev/agent-status, powering off\n");
		power_off();
	}
	write_str(STDOUT, "init: waiting for commands from the kdsim agent\n");
	write_str(s.status, "hello");

	for (;;) {
		ssize_t n = sys_read(s.agent, cmd_buf, CMD_MAX);
		if (n == 0)
			break; /* the host has nothing more to send */
		if (n < 0) {
			out_error(&s, "init", "/dev/agent", (int)n);
			report_done(&s, 126);
			if (n == -EMSGSIZE)
				continue; /* that command was too long; the next may be fine */
			break;        /* the channel itself failed */
		}
		cmd_buf[n] = '\0';
		report_done(&s, run_command(&s, cmd_buf));
	}
	write_str(STDOUT, "init: no more commands, powering off\n");
	power_off();
}
