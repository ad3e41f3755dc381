// SPDX-License-Identifier: GPL-2.0-only
/* The legacy ISA serial ports (legacy-uart.h). */
#include "legacy-uart.h"

const uint16_t legacy_uart_io[LEGACY_UARTS] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };

int legacy_uart_index(uint16_t io)
{
	for (int i = 0; i < LEGACY_UARTS; i++)
		if (legacy_uart_io[i] == io)
			return i;
	return -1;
}
