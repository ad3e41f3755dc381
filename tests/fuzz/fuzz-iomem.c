// SPDX-License-Identifier: GPL-2.0-only
/*
 * /proc/iomem text: a parse fails with a line number inside the text, or
 * gives well-formed maps (half-open, non-empty, the top level sorted and
 * merged) within their capacity.  A map that parses also goes through the
 * reservation planner (--plan-reservation), which reads nothing else of
 * the machine: any plan it makes keeps its safety rules.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "host-facts.h"
#include "iomem.h"
#include "multikernel-memory.h"
#include "multikernel-reserve.h"

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

/* Every instance and the low piece in System RAM, below 4 GiB, aligned, off the kernel and crash areas. */
static void check_plan(const struct host_facts *hf, unsigned int n, uint64_t size)
{
	static struct mk_reserve_plan p;
	static struct mem_ranges ram;
	struct mk_reserve_request req = { .instances = n, .instance_size = size };
	struct kx_error err;

	if (mk_reserve_plan(hf, &req, &p, &err)) {
		FUZZ_ASSERT(err.msg[0] && err.status != KX_OK, "a refusal without a message");
		return;
	}
	/* RAM is the union of the RAM lines: a fuzzed map may list two that overlap. */
	ram = hf->iomem.top;
	mem_ranges_keep_type(&ram, MEM_RAM);
	mem_ranges_normalize(&ram);
	FUZZ_ASSERT(p.nr_words >= 2 && p.nr_words <= MK_RESERVE_MAX_WORDS, "%zu words", p.nr_words);
	FUZZ_ASSERT(mem_ranges_contain(&ram, p.low.start, p.low.end) &&
		    p.low.start >= MK_RESERVE_LOW_START && p.low.end <= (1u << 20),
		    "low piece [0x%llx, 0x%llx) outside RAM in [64 KiB, 1 MiB)",
		    (unsigned long long)p.low.start, (unsigned long long)p.low.end);
	for (unsigned int i = 0; i < n; i++) {
		const struct mem_range *in = &p.instance[i];

		FUZZ_ASSERT(in->end - in->start == size && in->end <= MK_IDENTITY_MAP_END &&
			    in->start % MK_RESERVE_ALIGN == 0 &&
			    mem_ranges_contain(&ram, in->start, in->end) &&
			    !mem_ranges_overlap(&hf->iomem.kernel, in->start, in->end) &&
			    !mem_ranges_overlap(&hf->iomem.crash, in->start, in->end),
			    "instance %u [0x%llx, 0x%llx) breaks a rule", i,
			    (unsigned long long)in->start, (unsigned long long)in->end);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct iomem_map map;
	static struct host_facts hf;
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
		check_map("kernel", &map.kernel, false);
		if (map.addresses_hidden)
			for (size_t i = 0; i < map.top.nr; i++)
				FUZZ_ASSERT(map.top.r[i].start == 0 && map.top.r[i].end == 1,
					    "addresses_hidden with a real range");
		hf.iomem = map;
		hf.have_iomem = true;
		check_plan(&hf, 1, 2u << 20);
		check_plan(&hf, 2, 256u << 20);
	}
	free(text);
	return 0;
}
