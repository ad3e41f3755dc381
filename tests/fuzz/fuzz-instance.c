// SPDX-License-Identifier: GPL-2.0-only
/*
 * Multikernel instance records (/run/kexec-mk): whatever a file holds, the
 * parser either refuses it with a reason or accepts a record whose ranges
 * are page-aligned and non-empty; an accepted record written back parses
 * to the same text again (the writer and the reader agree).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "mk-instance.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mk_instance in, again;
	static char text[MK_RECORD_MAX], text2[MK_RECORD_MAX];
	char why[160];

	if (mk_instance_parse((const char *)data, size, &in, why, sizeof(why))) {
		FUZZ_ASSERT(why[0], "refused without a reason");
		return 0;
	}
	FUZZ_ASSERT(in.nr_ranges >= 1 && in.nr_ranges <= MK_MAX_RANGES, "range count");
	for (size_t i = 0; i < in.nr_ranges; i++)
		FUZZ_ASSERT(in.ranges[i].start < in.ranges[i].end &&
			    !((in.ranges[i].start | in.ranges[i].end) & 0xfff), "bad range kept");
	FUZZ_ASSERT((in.cpu < 0) == (in.state == MK_LOADED), "cpu and state disagree");
	FUZZ_ASSERT(mk_instance_format(&in, text, sizeof(text)) == 0, "accepted record does not fit");
	FUZZ_ASSERT(mk_instance_parse(text, strlen(text), &again, why, sizeof(why)) == 0,
		    "written back, it does not parse: %s", why);
	FUZZ_ASSERT(mk_instance_format(&again, text2, sizeof(text2)) == 0 &&
		    strcmp(text, text2) == 0, "a second round trip changes the record");
	return 0;
}
