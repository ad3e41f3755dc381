/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PC's legacy ISA serial ports, ttyS0..ttyS3 in this order, as
 * Linux's asm/serial.h sets them up: the one table of them that --serial,
 * the spawned kernel's console= word and the serial re-arming all read.
 */
#ifndef KEXEC_LEGACY_UART_H
#define KEXEC_LEGACY_UART_H

#include <stdint.h>

#define LEGACY_UARTS 4
extern const uint16_t legacy_uart_io[LEGACY_UARTS];

/* n of ttySn for the I/O base io, or -1 when it is none of the legacy ports. */
int legacy_uart_index(uint16_t io);

#endif /* KEXEC_LEGACY_UART_H */
