/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Polled output on a 16550-compatible UART: no interrupts, no IDT needed.
 */
#include "purgatory.h"

/* 16550 registers, offsets from the I/O base. */
#define UART_THR	0	/* transmit holding (DLAB = 0) */
#define UART_DLL	0	/* divisor latch low (DLAB = 1) */
#define UART_IER	1	/* interrupt enable (DLAB = 0) */
#define UART_DLM	1	/* divisor latch high (DLAB = 1) */
#define UART_FCR	2	/* FIFO control */
#define UART_LCR	3	/* line control */
#define UART_MCR	4	/* modem control */
#define UART_LSR	5	/* line status */

#define LCR_8N1		0x03
#define LCR_DLAB	0x80
#define FCR_ENABLE_CLEAR 0x07	/* enable FIFOs, clear RX and TX */
#define MCR_DTR_RTS	0x03
#define LSR_THRE	0x20	/* transmit holding register empty */

/* 1.8432 MHz / 16 / 115200 */
#define DIVISOR_115200	1
/* A missing UART must not hang us: give up on a character after this many polls. */
#define THRE_POLLS	100000

static uint16_t serial_base;

static inline void outb(uint16_t port, uint8_t value)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t value;

	__asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

void serial_init(uint16_t port)
{
	serial_base = port;
	if (!port)
		return;
	outb(port + UART_IER, 0);
	outb(port + UART_LCR, LCR_DLAB);
	outb(port + UART_DLL, DIVISOR_115200 & 0xff);
	outb(port + UART_DLM, DIVISOR_115200 >> 8);
	outb(port + UART_LCR, LCR_8N1);
	outb(port + UART_FCR, FCR_ENABLE_CLEAR);
	outb(port + UART_MCR, MCR_DTR_RTS);
}

static void serial_putc(char c)
{
	for (int i = 0; i < THRE_POLLS; i++)
		if (inb(serial_base + UART_LSR) & LSR_THRE)
			break;
	outb(serial_base + UART_THR, (uint8_t)c);
}

void serial_puts(const char *s)
{
	if (!serial_base)
		return;
	while (*s)
		serial_putc(*s++);
}

/* Lower-case hex without leading zeros: "0" for zero. */
void serial_put_hex(uint64_t value)
{
	char buf[17];
	int i = 16;

	buf[i] = '\0';
	do {
		buf[--i] = "0123456789abcdef"[value & 0xf];
		value >>= 4;
	} while (value);
	serial_puts(buf + i);
}

void serial_put_dec(uint64_t value)
{
	char buf[21];
	int i = 20;

	buf[i] = '\0';
	do {
		buf[--i] = (char)('0' + value % 10);
		value /= 10;
	} while (value);
	serial_puts(buf + i);
}
