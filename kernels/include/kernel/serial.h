/* SPDX-License-Identifier: MIT */
/* Console UART drivers in common/drivers/tty/serial/ (one per board UART). */
#ifndef KERNEL_SERIAL_H
#define KERNEL_SERIAL_H

#include <kernel/types.h>

/* ARM PL011 (arm64 virt board). */
void pl011_console_write(void __iomem *base, const char *s, size_t n);
struct uart_port;
/* Enable the receive interrupts (IMSC.RXIM | RTIM). */
void pl011_startup(void __iomem *base);
/* The receive interrupt handler: drain the FIFO into serial_core's SysRq handling. */
void pl011_int(void __iomem *base, struct uart_port *port);

#endif /* KERNEL_SERIAL_H */
