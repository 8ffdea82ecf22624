// SPDX-License-Identifier: MIT
/*
 * 16550 console on a PC COM port (mirrors the polled console path of
 * drivers/tty/serial/8250/8250_port.c: serial8250_console_setup()/serial8250_console_putchar()
 * with wait_for_xmitr(), and arch/x86/boot/early_serial_console.c). Port I/O (<asm/io.h>).
 */
#include <kernel/types.h>
#include <asm/io.h>
#include <asm/serial.h>
#include <kernel/serial_core.h>

/* Register offsets and bits (include/uapi/linux/serial_reg.h). */
#define UART_TX 0  /* out: transmit buffer (DLAB = 0) */
#define UART_RX 0  /* in: receive buffer (DLAB = 0) */
#define UART_IIR 2 /* in: interrupt identification */
#define UART_IIR_NO_INT 0x01
#define UART_IER_RDI 0x01
#define UART_MCR_OUT2 0x08
#define UART_LSR_DR 0x01
#define UART_LSR_BI 0x10
#define UART_IER 1 /* interrupt enable (DLAB = 0) */
#define UART_DLL 0 /* divisor latch low (DLAB = 1) */
#define UART_DLM 1 /* divisor latch high (DLAB = 1) */
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_LCR_WLEN8 0x03
#define UART_LCR_DLAB 0x80
#define UART_MCR_DTR 0x01
#define UART_MCR_RTS 0x02
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40
#define BOTH_EMPTY (UART_LSR_TEMT | UART_LSR_THRE)
#define UART_FCR_ENABLE_FIFO 0x01
#define UART_FCR_CLEAR_RCVR 0x02
#define UART_FCR_CLEAR_XMIT 0x04

void serial8250_console_setup(u16 iobase, unsigned int baud)
{
	unsigned int divisor = BASE_BAUD / baud;
	outb(UART_LCR_WLEN8, iobase + UART_LCR); /* 8n1 */
	outb(0, iobase + UART_IER);              /* no interrupts */
	outb(UART_FCR_ENABLE_FIFO | UART_FCR_CLEAR_RCVR | UART_FCR_CLEAR_XMIT, iobase + UART_FCR);
	outb(UART_MCR_DTR | UART_MCR_RTS, iobase + UART_MCR);
	u8 lcr = inb(iobase + UART_LCR);
	outb(lcr | UART_LCR_DLAB, iobase + UART_LCR);
	outb(divisor & 0xff, iobase + UART_DLL);
	outb((divisor >> 8) & 0xff, iobase + UART_DLM);
	outb(lcr & ~UART_LCR_DLAB, iobase + UART_LCR);
}

/* wait_for_xmitr(): THR empty. The simulated LSR always reads 0x60, so this is one inb. */
static void wait_for_xmitr(u16 iobase)
{
	for (unsigned int tmout = 10000; tmout; tmout--)
		if ((inb(iobase + UART_LSR) & UART_LSR_THRE) == UART_LSR_THRE)
			return;
}

void serial8250_console_write(u16 iobase, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		wait_for_xmitr(iobase);
		outb((u8)s[i], iobase + UART_TX);
	}
}

/*
 * serial8250_startup() for the console port: the receive-data interrupt (IER.RDI) on, and
 * OUT2, which on a PC gates the UART's interrupt line to the interrupt controller
 * (serial8250_set_mctrl() with TIOCM_OUT2 for ISA ports).
 */
void serial8250_startup(u16 iobase)
{
	outb(UART_MCR_DTR | UART_MCR_RTS | UART_MCR_OUT2, iobase + UART_MCR);
	outb(UART_IER_RDI, iobase + UART_IER);
}

/*
 * serial8250_handle_irq() -> serial8250_rx_chars() -> serial8250_read_char(): while LSR has
 * data, read it; a break (LSR.BI) goes to uart_handle_break(), a character to
 * uart_handle_sysrq_char() (there is no tty layer to queue the rest for).
 */
void serial8250_handle_irq(u16 iobase, struct uart_port *port)
{
	if (inb(iobase + UART_IIR) & UART_IIR_NO_INT)
		return;
	for (u8 lsr = inb(iobase + UART_LSR); lsr & (UART_LSR_DR | UART_LSR_BI);
	     lsr = inb(iobase + UART_LSR)) {
		u8 ch = (lsr & UART_LSR_DR) ? inb(iobase + UART_RX) : 0;
		if ((lsr & UART_LSR_BI) && uart_handle_break(port))
			continue;
		uart_handle_sysrq_char(port, ch);
	}
}
