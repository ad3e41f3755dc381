// SPDX-License-Identifier: GPL-2.0-only
/*
 * /proc/iomem text: a parse fails with a line number inside the text, or
 * gives well-formed maps (half-open, non-empty, the top level sorted and
 * merged) within their capacity.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "iomem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_map(const char *name, const struct mem_ranges *mr, bool normalized)
{
	FUZZ_ASSERT(mr->nr <= MEM_RANGES_MAX, "%s: %zu ranges", name, mr->nr);
	for (size_t i = 0; i < mr->nr; i++) {
		FUZZ_ASSERT(mr->r[i].end > mr->r[i].start, "%s: range %zu is empty or inverted", name, i);
		if (!normalized || i == 0)
			continue;
		FUZZ_ASSERT(mr->r[i].start >= mr->r[i - 1].start, "%s: range %zu is out of order", name, i);
		FUZZ_ASSERT(mr->r[i].type != mr->r[i - 1].type || mr->r[i].start > mr->r[i - 1].end,
			    "%s: ranges %zu and %zu of one type touch but were not merged", name,
			    i - 1, i);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct iomem_map map;
	char *text = malloc(size + 1);
	unsigned int bad_line = 0, lines = 1;
	int rc;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	rc = iomem_parse(text, &map, &bad_line);
	if (rc) {
		FUZZ_ASSERT(rc == -1 || rc == -2, "iomem_parse returned %d", rc);
		FUZZ_ASSERT(bad_line >= 1 && bad_line <= lines, "bad line %u of %u", bad_line, lines);
	} else {
		check_map("top", &map.top, true);
		check_map("crash", &map.crash, false);
		check_map("mk_shared", &map.mk_shared, false);
		if (map.addresses_hidden)
			for (size_t i = 0; i < map.top.nr; i++)
				FUZZ_ASSERT(map.top.r[i].start == 0 && map.top.r[i].end == 1,
					    "addresses_hidden with a real range");
	}
	free(text);
	return 0;
}
