/* SPDX-License-Identifier: MIT */
/* Console UART drivers in common/drivers/tty/serial/ (one per board UART). */
#ifndef KERNEL_SERIAL_H
#define KERNEL_SERIAL_H

#include <kernel/types.h>

/* ARM PL011 (arm64 virt board). */
void pl011_console_write(void __iomem *base, const char *s, size_t n);

#endif /* KERNEL_SERIAL_H */
