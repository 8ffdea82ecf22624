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
 * Commands: "echo TEXT", "echo TEXT > PATH", "cat PATH", "poweroff", "reboot".
 * Anything else: "sh: NAME: not found", status 127. Without an agent (QEMU) init says so on
 * the console (fd 1 = /dev/console, opened by the kernel) and powers off.
 */
#include <initlib.h>
#include <asm-generic/errno-base.h>
#include <linux/fcntl.h>
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

static int cmd_reboot(const struct session *s, const char *name, unsigned int how)
{
	int err = sys_reboot(how); /* returns only on failure */
	out_error(s, name, "reboot", err);
	return 1;
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
	if (!strcmp(name, "poweroff"))
		return cmd_reboot(s, "poweroff", LINUX_REBOOT_CMD_POWER_OFF);
	if (!strcmp(name, "reboot"))
		return cmd_reboot(s, "reboot", LINUX_REBOOT_CMD_RESTART);
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
