// SPDX-License-Identifier: GPL-2.0-only
/*
 * The planner (plan.c): decoded allowed memory, then a list of placements
 * (by request or at fixed addresses).  Every placement that succeeds lies
 * wholly in the allowed memory and overlaps no earlier segment; every one
 * that fails says why; the finished plan passes plan_check.
 */
#include <string.h>

#include "fuzz-common.h"
#include "fuzz-input.h"
#include "plan-check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t zeros[1 << 16];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mem_ranges allowed;
	static struct kx_plan plan;
	struct fuzz_input in = { .data = data, .size = size };
	unsigned int nr_ranges = (unsigned int)fuzz_bytes(&in, 1) % 8 + 1;
	struct plan_rules rules = { .allowed = &allowed, .allowed_name = "the fuzzed RAM",
				    .max_end = KX_DESTINATION_LIMIT };
	struct kx_error err = { .status = KX_OK };

	memset(&allowed, 0, sizeof(allowed));
	for (unsigned int i = 0; i < nr_ranges; i++) {
		uint64_t s = fuzz_addr(&in);
		uint64_t e = fuzz_addr(&in);

		mem_ranges_add(&allowed, s, e, MEM_RAM);
	}
	/* The kernel's own limit: no segment may end at or above it. */
	mem_ranges_clip(&allowed, 0, KX_DESTINATION_LIMIT - 1);
	mem_ranges_normalize(&allowed);
	plan_init(&plan, &allowed, "the fuzzed RAM", "fuzz");

	while (fuzz_more(&in) && plan.nr < KX_MAX_SEGMENTS) {
		uint8_t op = (uint8_t)fuzz_bytes(&in, 1);
		uint64_t units = fuzz_bytes(&in, 1);
		uint64_t memsz = units << (fuzz_bytes(&in, 1) % 36);
		size_t bufsz = memsz < sizeof(zeros) ? (size_t)memsz : sizeof(zeros);
		size_t before = plan.nr;
		uint64_t mem = 0;
		int rc;

		err = (struct kx_error){ .status = KX_OK };
		if (op & 1) {
			mem = fuzz_addr(&in);
			rc = plan_place_fixed(&plan, zeros, bufsz, mem, memsz, "fixed", "fuzz", &err);
		} else {
			uint64_t min_addr = fuzz_addr(&in);
			uint64_t max_end = fuzz_addr(&in);
			uint64_t align_shift = fuzz_bytes(&in, 1) % 32;
			struct placement_request req = {
				.align = 1ull << align_shift,
				.min_addr = min_addr,
				.max_end = max_end,
				.top_down = op & 2,
			};

			rc = plan_place(&plan, zeros, bufsz, memsz, &req, "placed", "fuzz", &mem, &err);
			if (rc == 0) {
				FUZZ_ASSERT(mem % req.align == 0 && mem >= req.min_addr &&
					    plan.seg[before].mem + plan.seg[before].memsz <= req.max_end,
					    "placement at %#llx breaks its request",
					    (unsigned long long)mem);
			}
		}
		if (rc) {
			fuzz_check_failure(&err);
			FUZZ_ASSERT(plan.nr == before, "a failed placement left a segment");
			continue;
		}
		FUZZ_ASSERT(plan.nr == before + 1, "a placement recorded %zu segments",
			    plan.nr - before);
		FUZZ_ASSERT(mem_ranges_contain(&allowed, plan.seg[before].mem,
					       plan.seg[before].mem + plan.seg[before].memsz),
			    "segment [%#llx, +%#llx) is not in the allowed memory",
			    (unsigned long long)plan.seg[before].mem,
			    (unsigned long long)plan.seg[before].memsz);
	}
	if (plan.nr) {
		plan.entry = plan.seg[0].mem;
		plan_sort(&plan);
		err = (struct kx_error){ .status = KX_OK };
		FUZZ_ASSERT(plan_check(&plan, &rules, &err) == 0, "the plan fails its check: %s",
			    err.msg);
	}
	plan_free(&plan);
	return 0;
}
