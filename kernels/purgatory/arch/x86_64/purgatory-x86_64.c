/* SPDX-License-Identifier: MIT */
/*
 * x86_64 part: the console and crash options kexec-tools' arch_update_purgatory sets, the
 * 640 KiB crash backup copy and the kexec-jump command-line note (kexec-tools
 * purgatory/arch/x86_64/purgatory-x86_64.c, purgatory/arch/i386/{console-x86.c,crashdump_backup.c}).
 */
#include "../../purgatory.h"

#pragma GCC visibility push(hidden)
extern uint64_t entry64_regs[17]; /* entry64.S */
#pragma GCC visibility pop

#define LOADER_SET __attribute__((section(".data")))
LOADER_SET uint8_t reset_vga;      /* accepted; kdsim has no VGA */
LOADER_SET uint8_t legacy_pic;     /* accepted; kdsim has no 8259 */
LOADER_SET uint8_t panic_kernel;   /* 1 on a crash load: do the backup copy */
LOADER_SET uint8_t console_vga;    /* accepted; no VGA output */
LOADER_SET uint8_t console_serial; /* 1: print to the 16550 at serial_base */
LOADER_SET uint16_t serial_base = 0x3f8;
LOADER_SET uint32_t serial_baud;
LOADER_SET uint64_t backup_start;     /* destination (a kexec segment); 0 = no copy */
LOADER_SET uint64_t backup_src_start; /* the first 640 KiB of RAM */
LOADER_SET uint64_t backup_src_size;
LOADER_SET uint64_t jump_back_entry; /* written by purgatory_start from 0(%rsp) */
LOADER_SET uint64_t cmdline_end;     /* address of the cmdline's terminating byte */
LOADER_SET static uint8_t serial_ready;

#define UART_THR 0
#define UART_IER 1
#define UART_DLL 0
#define UART_DLM 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_LCR_DLAB 0x80
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40

static void outb(uint16_t port, uint8_t value) { __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port)); }

static uint8_t inb(uint16_t port)
{
	uint8_t value;
	__asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

/* 8N1, no interrupts, no FIFO; the divisor only when serial_baud is set (console-x86.c order). */
static void serial_init(void)
{
	uint16_t base = serial_base;
	outb(base + UART_LCR, 0x03);
	outb(base + UART_IER, 0x00);
	outb(base + UART_FCR, 0x00);
	outb(base + UART_MCR, 0x03);
	uint8_t lcr = inb(base + UART_LCR);
	outb(base + UART_LCR, lcr | UART_LCR_DLAB);
	if (serial_baud != 0) {
		uint32_t divisor = 115200 / serial_baud;
		outb(base + UART_DLL, (uint8_t)divisor);
		outb(base + UART_DLM, (uint8_t)(divisor >> 8));
	}
	outb(base + UART_LCR, lcr & ~UART_LCR_DLAB);
	serial_ready = 1;
}

static void serial_putc(uint8_t ch)
{
	uint16_t base = serial_base;
	while ((inb(base + UART_LSR) & UART_LSR_THRE) == 0)
		;
	outb(base + UART_THR, ch);
	while ((inb(base + UART_LSR) & UART_LSR_TEMT) == 0)
		;
}

void putchar(int ch)
{
	if (!console_serial)
		return;
	if (!serial_ready)
		serial_init();
	if (ch == '\n')
		serial_putc('\r'); /* CR first on x86 (arm64 sends LF then CR) */
	serial_putc((uint8_t)ch);
}

void setup_arch(void)
{
	/* reset_vga and legacy_pic: no VGA and no 8259 in kdsim, nothing to do. */
}

static void crashdump_backup_memory(void)
{
	if (backup_start == 0 || backup_src_size == 0)
		return;
	memcpy((void *)(uintptr_t)backup_start, (const void *)(uintptr_t)backup_src_start, backup_src_size);
}

/* " kexec_jump_back_entry=0x" + 16 hex digits, written over the cmdline's terminator. */
static void append_jump_back_entry(void)
{
	static const char prefix[] = " kexec_jump_back_entry=0x";
	static const char hex[] = "0123456789abcdef";
	char *p = (char *)(uintptr_t)cmdline_end;
	if (p == 0)
		return;
	for (const char *s = prefix; *s; s++)
		*p++ = *s;
	for (int shift = 60; shift >= 0; shift -= 4)
		*p++ = hex[(jump_back_entry >> shift) & 0xf];
	*p = '\0';
}

void post_verification_setup_arch(void)
{
	if (panic_kernel)
		crashdump_backup_memory();
	if (jump_back_entry != 0)
		append_jump_back_entry();
}

void arch_entry_stage_args(uint64_t *entry, uint64_t *boot_arg)
{
	*entry = entry64_regs[16]; /* rip */
	*boot_arg = entry64_regs[4]; /* rsi: boot_params */
}
