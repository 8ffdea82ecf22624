/* SPDX-License-Identifier: MIT */
/*
 * Magic SysRq over a serial console (mirrors include/linux/serial_core.h and
 * drivers/tty/serial/serial_core.c: uart_handle_break(), uart_handle_sysrq_char()). A UART
 * driver's receive interrupt hands every BREAK and every character to these.
 */
#ifndef KERNEL_SERIAL_CORE_H
#define KERNEL_SERIAL_CORE_H

#include <kernel/types.h>

struct uart_port {
	bool has_sysrq;      /* CONFIG_MAGIC_SYSRQ_SERIAL and this port is the console */
	u64 sysrq;           /* sched_clock() deadline for the SysRq key after a BREAK; 0: none */
	unsigned long brk;   /* icount.brk: breaks received */
	unsigned long rx;    /* icount.rx: characters received */
};

/* A BREAK: on the console port it arms SysRq for SYSRQ_TIMEOUT. Returns 1 when consumed. */
int uart_handle_break(struct uart_port *port);
/* A received character: within the window after a BREAK it is a SysRq key (handle_sysrq()). */
int uart_handle_sysrq_char(struct uart_port *port, unsigned int ch);

/* The console UART's receive interrupt (arch glue: arch/<arch>/kernel/setup.c). */
void serial_console_startup(void);
void serial_console_interrupt(void);

#endif /* KERNEL_SERIAL_CORE_H */
