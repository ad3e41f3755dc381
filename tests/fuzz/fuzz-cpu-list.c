// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysfs CPU lists ("0-3,5"): a list that parses prints back to a list that
 * parses to the same set, and every CPU in the set is below CPU_SET_MAX.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu-set.h"
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The set in sysfs form, as the kernel prints it. */
static void print_set(const struct cpu_set *set, char *out, size_t cap)
{
	size_t len = 0;

	out[0] = '\0';
	for (unsigned int c = 0; c < CPU_SET_MAX; c++) {
		unsigned int last = c;

		if (!cpu_set_has(set, c))
			continue;
		while (last + 1 < CPU_SET_MAX && cpu_set_has(set, last + 1))
			last++;
		len += (size_t)snprintf(out + len, cap - len, len ? ",%u" : "%u", c);
		if (last > c)
			len += (size_t)snprintf(out + len, cap - len, "-%u", last);
		FUZZ_ASSERT(len < cap, "printed list too long");
		c = last;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cpu_set set, again;
	static char printed[CPU_SET_MAX * 12];
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (cpu_set_parse(text, &set) == 0) {
		FUZZ_ASSERT(!cpu_set_has(&set, CPU_SET_MAX), "CPU_SET_MAX is in the set");
		print_set(&set, printed, sizeof(printed));
		FUZZ_ASSERT(cpu_set_parse(printed, &again) == 0, "printed list \"%s\" does not parse",
			    printed);
		FUZZ_ASSERT(memcmp(&set, &again, sizeof(set)) == 0,
			    "\"%s\" printed back as \"%s\" is another set", text, printed);
	}
	free(text);
	return 0;
}
