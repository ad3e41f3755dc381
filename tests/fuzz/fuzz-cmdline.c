// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel command lines: memmap=/mem= parsing gives well-formed sorted
 * ranges or fails; dropping parameters leaves none of the dropped names,
 * within the output size; sizes parse within the string.
 */
#include <stdlib.h>
#include <string.h>

#include "cmdline-params.h"
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const drop[] = { "memmap", "mem", "crashkernel", "BOOT_IMAGE", "console",
				    "initrd" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cmdline_memmap cm;
	static char out[4096], small[64];
	char *text = malloc(size + 1);
	const char *end;
	uint64_t v;
	int rc;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	rc = cmdline_parse_memmap(text, &cm);
	FUZZ_ASSERT(rc == 0 || rc == -1 || rc == -2, "cmdline_parse_memmap returned %d", rc);
	if (rc == 0) {
		for (size_t i = 0; i < cm.reserved.nr; i++) {
			FUZZ_ASSERT(cm.reserved.r[i].end > cm.reserved.r[i].start,
				    "memmap range %zu is empty or wraps", i);
			FUZZ_ASSERT(i == 0 || cm.reserved.r[i].start >= cm.reserved.r[i - 1].start,
				    "memmap ranges out of order");
		}
	}

	for (size_t n = 0; n <= sizeof(drop) / sizeof(drop[0]); n += 3) {
		if (cmdline_drop_params(text, drop, n, out, sizeof(out)) == 0) {
			FUZZ_ASSERT(strlen(out) < sizeof(out), "output overflows");
			for (size_t i = 0; i < n; i++)
				FUZZ_ASSERT(!cmdline_has_param(out, drop[i]),
					    "\"%s\" is still in \"%s\"", drop[i], out);
		}
	}
	if (cmdline_drop_params(text, drop, 2, small, sizeof(small)) == 0)
		FUZZ_ASSERT(strlen(small) < sizeof(small), "small output overflows");

	small[0] = '\0';
	if (cmdline_append(small, sizeof(small), text) == 0)
		FUZZ_ASSERT(strlen(small) < sizeof(small) && strstr(small, text),
			    "append lost or overflowed");
	else
		FUZZ_ASSERT(strlen(text) + 1 > sizeof(small), "append refused a word that fits");

	if (cmdline_parse_size(text, &end, &v) == 0)
		FUZZ_ASSERT(end > text && end <= text + strlen(text), "size end outside the text");
	free(text);
	return 0;
}
