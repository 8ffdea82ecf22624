/* SPDX-License-Identifier: MIT */
/* Magic SysRq (common/drivers/tty/sysrq.c, mirrors drivers/tty/sysrq.c). */
#ifndef KERNEL_SYSRQ_H
#define KERNEL_SYSRQ_H

/* Run the handler for key (prints "sysrq: <action_msg>"). */
void __handle_sysrq(char key);
/* The entry for keys typed on a keyboard or a serial console (uart_handle_sysrq_char()). */
void handle_sysrq(char key);
/* Register /proc/sysrq-trigger. */
void sysrq_init(void);

#endif /* KERNEL_SYSRQ_H */
