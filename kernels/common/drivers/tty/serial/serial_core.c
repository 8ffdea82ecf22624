// SPDX-License-Identifier: MIT
/*
 * Magic SysRq from a serial console (mirrors uart_handle_break() in
 * drivers/tty/serial/serial_core.c and uart_handle_sysrq_char() in
 * include/linux/serial_core.h): a BREAK on the console line arms the port, and the next
 * character received within SYSRQ_TIMEOUT (HZ * 5) is a SysRq key, run by handle_sysrq().
 * Jiffies are sched_clock() here: instruction counts (arm64) or console lines (x86_64), the
 * same on every run.
 */
#include <kernel/serial_core.h>
#include <kernel/arch.h>
#include <kernel/sysrq.h>

#define SYSRQ_TIMEOUT_NS (5ULL * 1000000000ULL)

int uart_handle_break(struct uart_port *port)
{
	port->brk++;
	if (port->has_sysrq) {
		if (!port->sysrq) {
			port->sysrq = sched_clock() + SYSRQ_TIMEOUT_NS;
			return 1;
		}
		port->sysrq = 0;
	}
	return 0; /* no UPF_SAK here */
}

int uart_handle_sysrq_char(struct uart_port *port, unsigned int ch)
{
	port->rx++;
	if (!port->sysrq)
		return 0;
	/* time_before(jiffies, port->sysrq); sysrq_mask() is always on (no sysctl here). */
	if (ch && sched_clock() < port->sysrq) {
		handle_sysrq((char)ch);
		port->sysrq = 0;
		return 1;
	}
	port->sysrq = 0;
	return 0;
}
