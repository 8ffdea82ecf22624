/* SPDX-License-Identifier: MIT */
/* The PC's 16550 console (common/drivers/tty/serial/8250.c; Linux: asm/serial.h + 8250). */
#ifndef ASM_SERIAL_H
#define ASM_SERIAL_H

#include <kernel/types.h>

#define BASE_BAUD (1843200 / 16)

/* Program 8N1 at baud on the UART at port iobase (serial8250_console_setup role). */
void serial8250_console_setup(u16 iobase, unsigned int baud);
/* Polled output of n bytes (serial8250_console_write role); no "\n" -> "\r\n" expansion. */
void serial8250_console_write(u16 iobase, const char *s, size_t n);
struct uart_port;
/* Enable the receive interrupt (IER.RDI) and its line to the interrupt controller (MCR.OUT2). */
void serial8250_startup(u16 iobase);
/* The receive interrupt handler: drain RBR into serial_core's SysRq handling. */
void serial8250_handle_irq(u16 iobase, struct uart_port *port);

#endif /* ASM_SERIAL_H */
