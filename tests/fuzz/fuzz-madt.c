// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host's MADT (/sys/firmware/acpi/tables/APIC), read for the APIC ids
 * the phantom entry must avoid (acpi-tables.c): any bytes as a MADT.  No
 * read outside them (ASan), an id marked only for a processor entry that
 * lies wholly inside the table, and no more entries than the bytes hold.
 */
#include <stdbool.h>
#include <string.h>

#include "acpi-tables.h"
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool used[0xff] = { false };
	size_t marked = 0;
	int n = acpi_madt_mark_apic_ids(data, size, used);

	for (size_t i = 0; i < 0xff; i++)
		marked += used[i];
	FUZZ_ASSERT(n >= -1, "returned %d", n);
	if (n < 0) {
		FUZZ_ASSERT(marked == 0, "no MADT, yet %zu ids marked", marked);
		return 0;
	}
	/* Each entry takes 8 bytes at least (an x2APIC one 16) after the 44-byte header. */
	FUZZ_ASSERT((size_t)n <= (size - 44) / 8, "%d processor entries in %zu bytes", n, size);
	FUZZ_ASSERT(marked <= (size_t)n, "%zu ids marked from %d entries", marked, n);
	return 0;
}
