/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * plan.c and plan-check.c: placement into the plan's free space, and one
 * row per acceptance rule of plan_check(), each breaking exactly that rule
 * and checking the message names the rule and the segment.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "plan-check.h"
#include "plan.h"
#include "sha256.h"
#include "unit-helpers.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)

static uint8_t bytes[3 * 4096];

static void init_plan(struct kx_plan *plan, uint64_t start, uint64_t end)
{
	static struct mem_ranges allowed;

	memset(&allowed, 0, sizeof(allowed));
	assert_int_equal(mem_ranges_add(&allowed, start, end, MEM_RAM), 0);
	plan_init(plan, &allowed, "usable RAM", "free memory, lower --mem-min or raise --mem-max");
}

static void assert_free(const struct kx_plan *plan, size_t nr, const uint64_t (*want)[2])
{
	struct mem_ranges f = plan->free;

	mem_ranges_normalize(&f);
	assert_int_equal(f.nr, nr);
	for (size_t i = 0; i < nr; i++) {
		assert_int_equal(f.r[i].start, want[i][0]);
		assert_int_equal(f.r[i].end, want[i][1]);
	}
}

static void assert_contains(const char *msg, const char *part)
{
	if (!strstr(msg, part))
		fail_msg("message \"%s\" lacks \"%s\"", msg, part);
}

/* ---- plan_place / plan_place_fixed ---- */

static void test_place_shrinks_free(void **state)
{
	static struct kx_plan plan;
	struct placement_request top = { .align = 1, .max_end = 4 * GiB, .top_down = true };
	struct placement_request low = { .align = 2 * MiB, .min_addr = 1 * MiB, .max_end = 4 * GiB };
	struct kx_error err = { 0 };
	uint64_t mem = 0;

	(void)state;
	init_plan(&plan, 1 * MiB, 64 * MiB);

	/* memsz 5000 rounds up to two pages; align 1 is raised to a page. */
	assert_int_equal(plan_place(&plan, bytes, 100, 5000, &top, "initrd", "initrd.img", &mem, &err), 0);
	assert_int_equal(mem, 64 * MiB - 0x2000);
	assert_int_equal(plan.nr, 1);
	assert_ptr_equal(plan.seg[0].buf, bytes);
	assert_int_equal(plan.seg[0].bufsz, 100);
	assert_int_equal(plan.seg[0].mem, 64 * MiB - 0x2000);
	assert_int_equal(plan.seg[0].memsz, 0x2000);
	assert_string_equal(plan.seg[0].purpose, "initrd");
	assert_string_equal(plan.seg[0].source, "initrd.img");
	assert_int_equal(plan.seg[0].nr_digests, 0);

	assert_int_equal(plan_place(&plan, bytes, 4096, 3 * MiB, &low, "kernel", "k", &mem, &err), 0);
	assert_int_equal(mem, 2 * MiB);
	assert_int_equal(plan.seg[1].memsz, 3 * MiB);

	assert_int_equal(plan_place_fixed(&plan, bytes, 10, 1 * MiB, 10, "boot_params", "built", &err), 0);
	assert_int_equal(plan.seg[2].mem, 1 * MiB);
	assert_int_equal(plan.seg[2].memsz, 0x1000);
	{
		static const uint64_t want[][2] = {
			{ 1 * MiB + 0x1000, 2 * MiB }, { 5 * MiB, 64 * MiB - 0x2000 },
		};

		assert_free(&plan, 2, want);
	}

	/* Now the lowest 2 MiB-aligned home is 6 MiB. */
	assert_int_equal(plan_place(&plan, bytes, 1, 1, &low, "purgatory", "built-in", &mem, &err), 0);
	assert_int_equal(mem, 6 * MiB);
	plan_free(&plan);
}

static void test_place_no_room_message(void **state)
{
	static struct kx_plan plan;
	struct placement_request req = { .align = 2 * MiB, .min_addr = 1 * MiB, .max_end = 4 * GiB };
	struct kx_error err = { 0 };
	uint64_t mem = 0x1234;

	(void)state;
	init_plan(&plan, 1 * MiB, 9 * MiB);
	assert_int_equal(plan_place(&plan, bytes, 1, 9 * MiB, &req, "initrd", "x", &mem, &err), -1);
	assert_int_equal(err.status, KX_ENOROOM);
	assert_int_equal(mem, 0x1234);
	assert_int_equal(plan.nr, 0);
	assert_string_equal(err.msg,
			    "no room for the initrd (9 MiB, 2 MiB aligned) in usable RAM between "
			    "0x100000 and 0x900000: the largest free block there is 8 MiB; "
			    "free memory, lower --mem-min or raise --mem-max");

	/* The largest block is measured inside the window only. */
	req.max_end = 5 * MiB;
	req.size = 0;
	assert_int_equal(plan_place(&plan, bytes, 1, 5 * MiB, &req, "kernel", "x", &mem, &err), -1);
	assert_contains(err.msg, "no room for the kernel (5 MiB, 2 MiB aligned)");
	assert_contains(err.msg, "the largest free block there is 4 MiB");

	/* Small sizes in KiB. */
	req = (struct placement_request){ .align = 1, .max_end = 1 * MiB };
	assert_int_equal(plan_place(&plan, bytes, 1, 100, &req, "purgatory", "x", &mem, &err), -1);
	assert_contains(err.msg, "no room for the purgatory (4 KiB, 4 KiB aligned)");
	assert_contains(err.msg, "the largest free block there is 0 KiB");
	plan_free(&plan);
}

static void test_place_fixed_errors(void **state)
{
	static struct kx_plan plan;
	struct kx_error err = { 0 };

	(void)state;
	init_plan(&plan, 1 * MiB, 8 * MiB);
	assert_int_equal(plan_place_fixed(&plan, bytes, 1, 1 * MiB + 0x800, 1, "kernel", "k", &err), -1);
	assert_int_equal(err.status, KX_EPLAN);
	assert_contains(err.msg, "the kernel must start at 0x100800, which is not page aligned");

	assert_int_equal(plan_place_fixed(&plan, bytes, 1, 7 * MiB, 1 * MiB + 1, "kernel", "k", &err), -1);
	assert_int_equal(err.status, KX_ENOROOM);
	assert_string_equal(err.msg, "the kernel must go at [0x700000, 0x801000) but that is not "
			    "free memory in usable RAM");

	assert_int_equal(plan_place_fixed(&plan, bytes, 1, 2 * MiB, 1 * MiB, "kernel", "k", &err), 0);
	/* Taken now. */
	assert_int_equal(plan_place_fixed(&plan, bytes, 1, 2 * MiB + 0x1000, 1, "initrd", "i", &err), -1);
	assert_int_equal(err.status, KX_ENOROOM);
	assert_int_equal(plan.nr, 1);
	plan_free(&plan);
}

/* A fixed placement must be a real range: one ending past 2^64 wraps to below its start. */
static void test_place_fixed_wraps(void **state)
{
	static struct kx_plan plan;
	struct kx_error err = { 0 };

	(void)state;
	init_plan(&plan, 0, UINT64_MAX);
	/* p_memsz 2^64-1: once planned as a 0-byte segment. */
	assert_int_equal(plan_place_fixed(&plan, NULL, 0, 0x20000000, UINT64_MAX, "elf-load", "e",
					  &err), -1);
	assert_int_equal(err.status, KX_ENOROOM);
	assert_contains(err.msg, "the elf-load must go at 0x20000000 with 0xffffffffffffffff bytes, "
			"which ends past the top of the address space");
	/* Ends exactly at 2^64: kx_page_up wraps it to 0. */
	assert_int_equal(plan_place_fixed(&plan, bytes, 1, 0xfffffffffffff000ull, 0x1000, "kernel",
					  "k", &err), -1);
	assert_int_equal(err.status, KX_ENOROOM);
	assert_int_equal(plan_place_fixed(&plan, bytes, 1, 0xffffffffff000000ull, 0x1000001, "kernel",
					  "k", &err), -1);
	assert_int_equal(err.status, KX_ENOROOM);
	assert_int_equal(plan.nr, 0);
	plan_free(&plan);
}

/* A bss-only ELF segment has no buffer: its digest is of nothing (no NULL + 0 on the way). */
static void test_hash_bss_only(void **state)
{
	static struct kx_plan plan;
	struct kx_error err = { 0 };
	/* sha256 of zero bytes */
	static const uint8_t empty_sha[32] = {
		0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
		0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
	};

	(void)state;
	init_plan(&plan, 1 * MiB, 8 * MiB);
	assert_int_equal(plan_place_fixed(&plan, NULL, 0, 2 * MiB, 0x3000, "elf-load", "e", &err), 0);
	plan_hash_segments(&plan);
	assert_int_equal(plan.nr_digests, 1);
	assert_int_equal(plan.seg[0].nr_digests, 1);
	assert_int_equal(plan.digests[0].addr, 2 * MiB);
	assert_int_equal(plan.digests[0].size, 0);
	assert_memory_equal(plan.digests[0].sha256, empty_sha, 32);
	plan_free(&plan);
}

static void test_place_segment_limit(void **state)
{
	static struct kx_plan plan;
	struct placement_request req = { .align = 1, .max_end = UINT64_MAX };
	struct kx_error err = { 0 };
	uint64_t mem;

	(void)state;
	init_plan(&plan, 1 * MiB, 2 * MiB);
	for (int i = 0; i < KX_MAX_SEGMENTS; i++)
		assert_int_equal(plan_place(&plan, bytes, 1, 1, &req, "x", "x", &mem, &err), 0);
	assert_int_equal(plan_place(&plan, bytes, 1, 1, &req, "x", "x", &mem, &err), -1);
	assert_int_equal(err.status, KX_EPLAN);
	assert_contains(err.msg, "more than 16 segments");
	plan_free(&plan);
}

static void test_sort_and_hash(void **state)
{
	static struct kx_plan plan;
	struct kx_error err = { 0 };
	/* sha256 of 4096 zero bytes */
	static const uint8_t zero_page_sha[32] = {
		0xad, 0x7f, 0xac, 0xb2, 0x58, 0x6f, 0xc6, 0xe9, 0x66, 0xc0, 0x04, 0xd7, 0xd1, 0xd1, 0x6b, 0x02,
		0x4f, 0x58, 0x05, 0xff, 0x7c, 0xb4, 0x7c, 0x7a, 0x85, 0xda, 0xbd, 0x8b, 0x48, 0x89, 0x2c, 0xa7,
	};

	(void)state;
	memset(bytes, 0, sizeof(bytes));
	init_plan(&plan, 1 * MiB, 8 * MiB);
	assert_int_equal(plan_place_fixed(&plan, bytes, 4096, 5 * MiB, 4096, "b", "b", &err), 0);
	assert_int_equal(plan_place_fixed(&plan, bytes, 4096, 2 * MiB, 4096, "a", "a", &err), 0);
	plan_sort(&plan);
	assert_string_equal(plan.seg[0].purpose, "a");
	assert_string_equal(plan.seg[1].purpose, "b");
	plan_hash_segments(&plan);
	assert_int_equal(plan.nr_digests, 2);
	assert_int_equal(plan.seg[0].nr_digests, 1);
	assert_int_equal(plan.digests[plan.seg[0].digest].addr, 2 * MiB);
	assert_int_equal(plan.digests[plan.seg[0].digest].size, 4096);
	assert_memory_equal(plan.digests[plan.seg[0].digest].sha256, zero_page_sha, 32);
	assert_memory_equal(plan.digests[plan.seg[1].digest].sha256, zero_page_sha, 32);
	plan_free(&plan);
}

/* Every digest of segment i covers the next bytes of buf, and its sha256 is theirs. */
static void assert_chunks_cover(const struct kx_plan *plan, size_t i, const uint8_t *buf)
{
	const struct kx_segment *s = &plan->seg[i];
	uint64_t off = 0;
	uint8_t sha[32];

	for (size_t k = 0; k < s->nr_digests; k++) {
		const struct kx_digest *d = &plan->digests[s->digest + k];

		assert_int_equal(d->addr, s->mem + off);
		sha256_digest_generic(buf + off, d->size, sha);
		assert_memory_equal(d->sha256, sha, 32);
		off += d->size;
	}
	assert_int_equal(off, s->bufsz);
}

/*
 * A big segment is cut into as many equal chunks (whole pages) as the
 * digests purgatory checks allow, beside the small segments' one each:
 * the hashing threads and lanes take a chunk each, and the longest chunk
 * sets the time.  Here 40 MiB + 4 KiB (10241 pages) beside two small
 * segments: KX_MAX_CHECKED_DIGESTS - 2 chunks of the fewest pages that do
 * (more than KX_DIGEST_CHUNK_MIN each).
 */
static void test_hash_in_chunks(void **state)
{
	static struct kx_plan plan;
	struct kx_error err = { 0 };
	const size_t big = 40 * MiB + 4096, pages = big / 4096;
	const size_t nr_chunks = KX_MAX_CHECKED_DIGESTS - 2;
	uint8_t *buf = calloc(1, big);

	(void)state;
	assert_non_null(buf);
	for (size_t i = 0; i < big; i += 64)
		buf[i] = (uint8_t)(i >> 6);
	init_plan(&plan, 1 * MiB, 2048 * MiB);
	assert_int_equal(plan_place_fixed(&plan, bytes, 4096, 1 * MiB, 4096, "a", "a", &err), 0);
	assert_int_equal(plan_place_fixed(&plan, buf, big, 16 * MiB, big, "initrd", "i", &err), 0);
	assert_int_equal(plan_place_fixed(&plan, bytes, 100, 2 * MiB, 4096, "b", "b", &err), 0);
	plan_hash_segments(&plan);
	assert_int_equal(plan.nr_digests, KX_MAX_CHECKED_DIGESTS);
	assert_int_equal(plan.seg[0].nr_digests, 1);
	assert_int_equal(plan.seg[2].nr_digests, 1);
	assert_int_equal(plan.seg[1].nr_digests, nr_chunks);
	for (size_t k = 0; k + 1 < nr_chunks; k++)
		assert_int_equal(plan.digests[plan.seg[1].digest + k].size,
				 (pages + nr_chunks - 1) / nr_chunks * 4096);
	for (size_t i = 0; i < 3; i++)
		assert_chunks_cover(&plan, i, i == 1 ? buf : bytes);

	/* Purgatory's own segment, hashed after the others: one digest, not checked. */
	assert_int_equal(plan_place_fixed(&plan, bytes, 4096, 3 * MiB, 4096, "p", "p", &err), 0);
	plan_hash_segments(&plan);
	assert_int_equal(plan.seg[3].nr_digests, 1);
	assert_int_equal(plan.nr_digests, KX_MAX_CHECKED_DIGESTS + 1);
	plan_free(&plan);
	free(buf);
}

/*
 * Below KX_DIGEST_CHUNK_MIN a segment stays one digest (a lane or a
 * thread costs more than it saves).  A segment hashed after others gets
 * exactly the digests left: 15 small ones first, then 17 MiB + 4 KiB in
 * the 17 left, of 257 pages each (256 would take 18).
 */
static void test_hash_chunk_bounds(void **state)
{
	static struct kx_plan plan;
	struct kx_error err = { 0 };
	const size_t big = 17 * MiB + 4096;
	uint8_t *buf = calloc(1, big);

	(void)state;
	assert_non_null(buf);
	for (size_t i = 0; i < big; i += 4096)
		buf[i] = (uint8_t)(i >> 12);
	init_plan(&plan, 1 * MiB, 2048 * MiB);
	assert_int_equal(plan_place_fixed(&plan, bytes, 4096, 1 * MiB, 4096, "s", "s", &err), 0);
	assert_int_equal(plan_place_fixed(&plan, buf, KX_DIGEST_CHUNK_MIN + 4096, 256 * MiB,
					  KX_DIGEST_CHUNK_MIN + 4096, "i", "i", &err), 0);
	plan_hash_segments(&plan);
	assert_int_equal(plan.seg[1].nr_digests, 2);
	assert_int_equal(plan.digests[plan.seg[1].digest].size, KX_DIGEST_CHUNK_MIN);
	assert_chunks_cover(&plan, 1, buf);
	plan_free(&plan);

	init_plan(&plan, 1 * MiB, 2048 * MiB);
	for (size_t i = 0; i < 15; i++)
		assert_int_equal(plan_place_fixed(&plan, bytes, 4096, (1 + i) * MiB, 4096, "s",
						  "s", &err), 0);
	plan_hash_segments(&plan);
	assert_int_equal(plan.nr_digests, 15);
	assert_int_equal(plan_place_fixed(&plan, buf, big, 256 * MiB, big, "initrd", "i", &err), 0);
	plan_hash_segments(&plan);
	assert_int_equal(plan.seg[15].nr_digests, KX_MAX_CHECKED_DIGESTS - 15);
	assert_int_equal(plan.digests[plan.seg[15].digest].size, 257 * 4096);
	assert_int_equal(plan.nr_digests, KX_MAX_CHECKED_DIGESTS);
	assert_chunks_cover(&plan, 15, buf);
	plan_free(&plan);
	free(buf);
}

/* ---- plan_check: one row per rule ---- */

struct seg {
	uint64_t mem, memsz;
	size_t bufsz;
};

struct check_row {
	const char *name;
	struct seg seg[KX_MAX_SEGMENTS + 1];
	size_t nr;
	uint64_t entry;
	uint64_t max_end;
	uint64_t totalram;
	int ret;
	const char *rule;	/* in the message */
	const char *segment;	/* "segment N (...)", or NULL */
};

/* Allowed region for every row: [1 MiB, 1 GiB) plus [64 TiB - 16 MiB, 64 TiB). */
#define TOP (1ull << 46)

/* Sixteen separate pages, one MiB apart. */
#define S16(i) { (1 + (i)) * MiB, 0x1000, 1 }

static const struct check_row check_rows[] = {
	{ "check_good_plan", { { 1 * MiB, 0x2000, 0x1800 }, { 4 * MiB, 0x1000, 0x1000 } }, 2,
	  4 * MiB + 0x10, 0, 1 * GiB, 0, NULL, NULL },
	{ "check_no_segments", { { 0 } }, 0, 0, 0, 0, -1, "'at least one segment'", NULL },
	/* The kernel's limit itself is allowed. */
	{ "check_sixteen_segments_ok", { S16(0), S16(1), S16(2), S16(3), S16(4), S16(5), S16(6), S16(7),
					 S16(8), S16(9), S16(10), S16(11), S16(12), S16(13), S16(14),
					 S16(15) },
	  KX_MAX_SEGMENTS, 1 * MiB, 0, 0, 0, NULL, NULL },
	{ "check_too_many_segments", { { 1 * MiB, 0x1000, 1 } }, KX_MAX_SEGMENTS + 1, 1 * MiB, 0, 0,
	  -1, "'at most 16 segments'", NULL },
	{ "check_mem_not_page_aligned", { { 1 * MiB, 0x1000, 1 }, { 2 * MiB + 0x10, 0x1000, 1 } }, 2,
	  1 * MiB, 0, 0, -1, "'page-aligned destination'", "segment 1 (seg1) [0x200010, 0x201010)" },
	{ "check_memsz_not_page_multiple", { { 1 * MiB, 0x1001, 1 } }, 1, 1 * MiB, 0, 0,
	  -1, "'page-aligned destination'", "segment 0 (seg0)" },
	{ "check_wraps", { { 0xfffffffffffff000ull, 0x2000, 1 } }, 1, 0, 0, 0,
	  -1, "'page-aligned destination'", "segment 0 (seg0)" },
	{ "check_above_destination_limit", { { 1 * MiB, 0x1000, 1 }, { TOP - 0x1000, 0x1000, 1 } }, 2,
	  1 * MiB, 0, 0, -1, "'below 0x3fffffffffff'", "segment 1 (seg1)" },
	{ "check_below_destination_limit_ok", { { TOP - 0x2000, 0x1000, 1 } }, 1,
	  TOP - 0x2000, 0, 0, 0, NULL, NULL },
	{ "check_above_max_end", { { 1 * MiB, 0x1000, 1 }, { 8 * MiB, 0x1000, 1 } }, 2,
	  1 * MiB, 8 * MiB + 0xfff, 0, -1, "'below 0x800fff'", "segment 1 (seg1) [0x800000, 0x801000)" },
	{ "check_ends_at_max_end_ok", { { 8 * MiB, 0x1000, 1 } }, 1,
	  8 * MiB, 8 * MiB + 0x1000, 0, 0, NULL, NULL },
	{ "check_overlap", { { 1 * MiB, 0x3000, 1 }, { 4 * MiB, 0x1000, 1 }, { 1 * MiB + 0x2000, 0x1000, 1 } },
	  3, 1 * MiB, 0, 0, -1, "'no overlap'",
	  "segment 2 (seg2) [0x102000, 0x103000) overlaps segment 0 (seg0) [0x100000, 0x103000)" },
	/* Unsorted: the later segment starts below the earlier one and runs into it. */
	{ "check_overlap_later_starts_lower", { { 1 * MiB + 0x2000, 0x2000, 1 }, { 1 * MiB + 0x1000, 0x2000, 1 } },
	  2, 1 * MiB + 0x2000, 0, 0, -1, "'no overlap'",
	  "segment 1 (seg1) [0x101000, 0x103000) overlaps segment 0 (seg0) [0x102000, 0x104000)" },
	{ "check_touching_ok", { { 1 * MiB, 0x1000, 1 }, { 1 * MiB + 0x1000, 0x1000, 1 } }, 2,
	  1 * MiB, 0, 0, 0, NULL, NULL },
	{ "check_bufsz_over_memsz", { { 1 * MiB, 0x1000, 0x1000 }, { 2 * MiB, 0x1000, 0x1001 } }, 2,
	  1 * MiB, 0, 0, -1, "'bufsz <= memsz'", "segment 1 (seg1) [0x200000, 0x201000): bufsz 0x1001" },
	{ "check_one_segment_over_half_ram", { { 1 * MiB, 0x2000, 1 }, { 2 * MiB, 0x9000, 1 } }, 2,
	  1 * MiB, 0, 0x10000, -1, "'at most half of RAM'", "segment 1 (seg1)" },
	{ "check_all_segments_over_half_ram", { { 1 * MiB, 0x5000, 1 }, { 2 * MiB, 0x4000, 1 } }, 2,
	  1 * MiB, 0, 0x10000, -1, "'at most half of RAM'", "the segments total 0x9000 bytes" },
	{ "check_exactly_half_ram_ok", { { 1 * MiB, 0x4000, 1 }, { 2 * MiB, 0x4000, 1 } }, 2,
	  1 * MiB, 0, 0x10000, 0, NULL, NULL },
	{ "check_outside_region", { { 1 * MiB, 0x1000, 1 }, { 1 * GiB - 0x1000, 0x2000, 1 } }, 2,
	  1 * MiB, 0, 0, -1, "'inside usable RAM'", "segment 1 (seg1) [0x3ffff000, 0x40001000)" },
	{ "check_below_region", { { 0x9f000, 0x1000, 1 } }, 1,
	  0x9f000, 0, 0, -1, "'inside usable RAM'", "segment 0 (seg0)" },
	{ "check_entry_outside", { { 1 * MiB, 0x1000, 0x1000 }, { 2 * MiB, 0x1000, 0x1000 } }, 2,
	  3 * MiB, 0, 0, -1, "'entry inside a segment' failed: entry 0x300000", NULL },
	{ "check_entry_past_bufsz", { { 1 * MiB, 0x2000, 0x800 } }, 1,
	  1 * MiB + 0x800, 0, 0, -1, "'entry inside a segment'", NULL },
};

static void test_check(void **state)
{
	const struct check_row *row = *state;
	static struct kx_plan plan;
	static struct mem_ranges allowed;
	struct plan_rules rules = {
		.allowed = &allowed,
		.allowed_name = "usable RAM",
		.max_end = row->max_end,
		.totalram_bytes = row->totalram,
	};
	struct kx_error err = { 0 };
	char rule[64];

	memset(&allowed, 0, sizeof(allowed));
	mem_ranges_add(&allowed, 1 * MiB, 1 * GiB, MEM_RAM);
	mem_ranges_add(&allowed, TOP - 16 * MiB, TOP, MEM_RAM);
	memset(&plan, 0, sizeof(plan));
	plan.nr = row->nr;
	plan.entry = row->entry;
	/* check_count stops a plan of more than KX_MAX_SEGMENTS before any table is read. */
	for (size_t i = 0; i < row->nr && i < KX_MAX_SEGMENTS; i++) {
		plan.seg[i].mem = row->seg[i].mem;
		plan.seg[i].memsz = row->seg[i].memsz;
		plan.seg[i].bufsz = row->seg[i].bufsz;
		snprintf(plan.seg[i].purpose, sizeof(plan.seg[i].purpose), "seg%zu", i);
	}
	assert_int_equal(plan_check(&plan, &rules, &err), row->ret);
	if (row->ret == 0)
		return;
	assert_int_equal(err.status, KX_EPLAN);
	snprintf(rule, sizeof(rule), "plan rule %s", row->rule);
	assert_contains(err.msg, rule);
	if (row->segment)
		assert_contains(err.msg, row->segment);
}

int main(void)
{
	struct CMUnitTest tests[N(check_rows) + 9];
	size_t n = 0;

	tests[n++] = (struct CMUnitTest){ .name = "place_shrinks_free_space", .test_func = test_place_shrinks_free };
	tests[n++] = (struct CMUnitTest){ .name = "place_no_room_message", .test_func = test_place_no_room_message };
	tests[n++] = (struct CMUnitTest){ .name = "place_fixed_errors", .test_func = test_place_fixed_errors };
	tests[n++] = (struct CMUnitTest){ .name = "place_fixed_wraps", .test_func = test_place_fixed_wraps };
	tests[n++] = (struct CMUnitTest){ .name = "hash_bss_only", .test_func = test_hash_bss_only };
	tests[n++] = (struct CMUnitTest){ .name = "place_segment_limit", .test_func = test_place_segment_limit };
	tests[n++] = (struct CMUnitTest){ .name = "sort_and_hash", .test_func = test_sort_and_hash };
	tests[n++] = (struct CMUnitTest){ .name = "hash_in_chunks", .test_func = test_hash_in_chunks };
	tests[n++] = (struct CMUnitTest){ .name = "hash_chunk_bounds", .test_func = test_hash_chunk_bounds };
	for (size_t i = 0; i < N(check_rows); i++)
		tests[n++] = (struct CMUnitTest){ .name = check_rows[i].name, .test_func = test_check,
						  .initial_state = (void *)&check_rows[i] };
	return _cmocka_run_group_tests("plan-check", tests, n, NULL, NULL);
}
