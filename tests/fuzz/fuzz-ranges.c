// SPDX-License-Identifier: GPL-2.0-only
/*
 * Range arithmetic (mem-range.c) driven by a decoded list of operations,
 * each checked against what it means point by point: at every range end
 * and its neighbours, which types cover the point before and after.
 * find_space is checked against a search written with 128-bit arithmetic.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "fuzz-input.h"
#include "mem-range.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const enum mem_type types[] = { MEM_RAM, MEM_RESERVED, MEM_ACPI, MEM_PRAM };

#define NTYPES (sizeof(types) / sizeof(types[0]))
#define MAX_PROBES (4 * MEM_RANGES_MAX * 2 + 16)

static bool covers(const struct mem_ranges *mr, enum mem_type t, uint64_t x)
{
	for (size_t i = 0; i < mr->nr; i++)
		if (mr->r[i].type == t && x >= mr->r[i].start && x < mr->r[i].end)
			return true;
	return false;
}

static size_t probes(const struct mem_ranges *a, const uint64_t *extra, size_t nr_extra,
		     uint64_t *out)
{
	size_t n = 0;

	for (size_t i = 0; i < a->nr; i++) {
		out[n++] = a->r[i].start;
		out[n++] = a->r[i].start - 1;
		out[n++] = a->r[i].end;
		out[n++] = a->r[i].end - 1;
	}
	for (size_t i = 0; i < nr_extra; i++) {
		out[n++] = extra[i];
		out[n++] = extra[i] - 1;
	}
	return n;
}

static void check_shape(const struct mem_ranges *mr, bool normalized)
{
	FUZZ_ASSERT(mr->nr <= MEM_RANGES_MAX, "%zu ranges", mr->nr);
	for (size_t i = 0; i < mr->nr; i++) {
		FUZZ_ASSERT(mr->r[i].end > mr->r[i].start, "range %zu is empty or inverted", i);
		if (normalized && i)
			FUZZ_ASSERT(mr->r[i].start >= mr->r[i - 1].start &&
				    (mr->r[i].type != mr->r[i - 1].type ||
				     mr->r[i].start > mr->r[i - 1].end),
				    "normalized ranges %zu, %zu out of order or unmerged", i - 1, i);
	}
}

/* The best address for req, searched the slow way; false if none. */
static bool reference_space(const struct mem_ranges *mr, const struct placement_request *req,
			    uint64_t *best)
{
	bool found = false;

	for (size_t i = 0; i < mr->nr; i++) {
		unsigned __int128 lo = mr->r[i].start > req->min_addr ? mr->r[i].start : req->min_addr;
		unsigned __int128 hi = mr->r[i].end < req->max_end ? mr->r[i].end : req->max_end;
		unsigned __int128 a;

		if (hi < lo + req->size)
			continue;
		if (req->top_down)
			a = (hi - req->size) / req->align * req->align;
		else
			a = (lo + req->align - 1) / req->align * req->align;
		if (a < lo || a + req->size > hi)
			continue;
		if (!found || (req->top_down ? a > *best : a < *best))
			*best = (uint64_t)a;
		found = true;
	}
	return found;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mem_ranges mr, before;
	static uint64_t pts[MAX_PROBES];
	struct fuzz_input in = { .data = data, .size = size };
	unsigned int steps = 0;

	memset(&mr, 0, sizeof(mr));
	while (fuzz_more(&in) && steps++ < 64) {
		uint8_t op = (uint8_t)fuzz_bytes(&in, 1);
		enum mem_type t = types[(op >> 4) % NTYPES];
		uint64_t s = fuzz_addr(&in);
		uint64_t e = fuzz_addr(&in);
		uint64_t x[2] = { s, e };
		size_t np;
		bool normalized = false;
		int rc = 0;

		before = mr;
		switch (op & 0x0f) {
		case 0: case 1: case 2:
			rc = mem_ranges_add(&mr, s, e, t);
			FUZZ_ASSERT(rc == 0 || e <= s || before.nr == MEM_RANGES_MAX, "add refused");
			break;
		case 3: case 4:
			rc = mem_ranges_subtract(&mr, s, e);
			break;
		case 5:
			mem_ranges_clip(&mr, s, e);
			break;
		case 6:
			mem_ranges_normalize(&mr);
			normalized = true;
			break;
		case 7:
			mem_ranges_keep_type(&mr, t);
			break;
		case 8:
			mem_ranges_drop_type(&mr, t);
			break;
		case 9: {
			bool in_one = false;

			for (size_t i = 0; i < mr.nr; i++)
				in_one |= s >= mr.r[i].start && e <= mr.r[i].end;
			FUZZ_ASSERT(mem_ranges_contain(&mr, s, e) == (e > s && in_one),
				    "contain [%#llx, %#llx) is wrong", (unsigned long long)s,
				    (unsigned long long)e);
			continue;
		}
		default: {
			uint64_t units = fuzz_bytes(&in, 1), shift = fuzz_bytes(&in, 1) % 40;
			uint64_t align_shift = fuzz_bytes(&in, 1) % 64;
			struct placement_request req = {
				.size = units << shift,
				.align = 1ull << align_shift,
				.min_addr = s,
				.max_end = e,
				.top_down = op & 0x10,
			};
			uint64_t got = 0, want = 0;
			bool ok = mem_ranges_find_space(&mr, &req, &got) == 0;
			bool ref = req.size && reference_space(&mr, &req, &want);

			FUZZ_ASSERT(ok == ref, "find_space says %d, the reference %d", ok, ref);
			FUZZ_ASSERT(!ok || got == want, "find_space chose %#llx, the reference %#llx",
				    (unsigned long long)got, (unsigned long long)want);
			continue;
		}
		}
		if (rc) {
			/* A failed operation leaves the map undefined: callers must give up. */
			memset(&mr, 0, sizeof(mr));
			continue;
		}
		check_shape(&mr, normalized);
		np = probes(&before, x, 2, pts);
		np += probes(&mr, NULL, 0, pts + np);
		for (size_t p = 0; p < np; p++) {
			for (size_t ti = 0; ti < NTYPES; ti++) {
				bool was = covers(&before, types[ti], pts[p]);
				bool is = covers(&mr, types[ti], pts[p]);
				bool inside = pts[p] >= s && pts[p] < e;
				bool want = was;

				switch (op & 0x0f) {
				case 0: case 1: case 2: want = was || (types[ti] == t && inside); break;
				case 3: case 4: want = was && !inside; break;
				case 5: want = was && inside; break;
				case 7: want = was && types[ti] == t; break;
				case 8: want = was && types[ti] != t; break;
				default: break;
				}
				FUZZ_ASSERT(is == want, "op %u [%#llx, %#llx): point %#llx type %u is %d, "
					    "should be %d", op & 0x0f, (unsigned long long)s,
					    (unsigned long long)e, (unsigned long long)pts[p],
					    types[ti], is, want);
			}
		}
	}
	return 0;
}
