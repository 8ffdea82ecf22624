// SPDX-License-Identifier: MIT
/*
 * PL011 console (mirrors drivers/tty/serial/amba-pl011.c): polled output (FR.TXFF before each
 * byte, never set in the simulator, so it costs one load) and the receive interrupt, which
 * feeds the magic SysRq of a serial console.
 */
#include <kernel/io.h>
#include <kernel/serial.h>
#include <kernel/serial_core.h>

#define UART01x_DR 0x00
#define UART01x_FR 0x18
#define UART01x_FR_TXFF 0x20

void pl011_console_write(void __iomem *base, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		while (readl(io_offset(base, UART01x_FR)) & UART01x_FR_TXFF)
			;
		writel((u8)s[i], io_offset(base, UART01x_DR));
	}
}

#define UART011_DR_BE (1 << 10) /* break error */
#define UART01x_FR_RXFE 0x10
#define UART011_IMSC 0x38
#define UART011_RXIM (1 << 4)
#define UART011_RTIM (1 << 6)

/* pl011_startup() -> pl011_enable_interrupts(): the receive and receive-timeout interrupts. */
void pl011_startup(void __iomem *base)
{
	writel(UART011_RXIM | UART011_RTIM, io_offset(base, UART011_IMSC));
}

/*
 * pl011_int() -> pl011_rx_chars() -> pl011_fifo_to_tty(): drain the receive FIFO; a break
 * (DR.BE) goes to uart_handle_break(), every character to uart_handle_sysrq_char() (there is
 * no tty layer to queue the rest for).
 */
void pl011_int(void __iomem *base, struct uart_port *port)
{
	while (!(readl(io_offset(base, UART01x_FR)) & UART01x_FR_RXFE)) {
		u32 ch = readl(io_offset(base, UART01x_DR));
		if ((ch & UART011_DR_BE) && uart_handle_break(port))
			continue;
		uart_handle_sysrq_char(port, ch & 0xff);
	}
}
