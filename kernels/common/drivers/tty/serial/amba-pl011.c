// SPDX-License-Identifier: MIT
/*
 * PL011 console output (mirrors the console write path of drivers/tty/serial/amba-pl011.c).
 * Polls FR.TXFF before each byte (never set in the simulator, so it costs one load).
 */
#include <kernel/io.h>
#include <kernel/serial.h>

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
