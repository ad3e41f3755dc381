/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mem-range.c: half-open range arithmetic and placement.
 *
 * Every row names an input map, one operation and the exact map (or
 * address) that must come out.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "mem-range.h"
#include "unit-helpers.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define MAXR 6

struct r3 {
	uint64_t start, end;
	enum mem_type type;
};

static void load(struct mem_ranges *mr, const struct r3 *in)
{
	memset(mr, 0, sizeof(*mr));
	for (size_t i = 0; i < MAXR && in[i].end; i++)
		assert_int_equal(mem_ranges_add(mr, in[i].start, in[i].end, in[i].type), 0);
}

static void assert_ranges(const struct mem_ranges *mr, const struct r3 *want)
{
	size_t n = 0;

	while (n < MAXR && want[n].end)
		n++;
	if (mr->nr != n) {
		for (size_t i = 0; i < mr->nr; i++)
			print_message("  got [%#llx, %#llx) type %d\n",
				      (unsigned long long)mr->r[i].start,
				      (unsigned long long)mr->r[i].end, mr->r[i].type);
		fail_msg("%zu ranges, want %zu", mr->nr, n);
	}
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(mr->r[i].start, want[i].start);
		assert_int_equal(mr->r[i].end, want[i].end);
		assert_int_equal(mr->r[i].type, want[i].type);
	}
}

/* ---- map operations ---- */

enum op { OP_NORMALIZE, OP_SUBTRACT, OP_CLIP, OP_KEEP_TYPE, OP_DROP_TYPE };

struct op_row {
	const char *name;
	struct r3 in[MAXR];
	enum op op;
	uint64_t a, b;		/* [a, b) for subtract/clip, a = type for keep/drop_type */
	struct r3 want[MAXR];
};

#define RAM MEM_RAM
#define RES MEM_RESERVED

static const struct op_row op_rows[] = {
	{ "normalize_sorts", { { 0x5000, 0x6000, RAM }, { 0x1000, 0x2000, RAM } }, OP_NORMALIZE, 0, 0,
	  { { 0x1000, 0x2000, RAM }, { 0x5000, 0x6000, RAM } } },
	{ "normalize_merges_touching", { { 0x2000, 0x3000, RAM }, { 0x1000, 0x2000, RAM } },
	  OP_NORMALIZE, 0, 0, { { 0x1000, 0x3000, RAM } } },
	{ "normalize_merges_overlapping", { { 0x1000, 0x4000, RAM }, { 0x2000, 0x3000, RAM },
					    { 0x3800, 0x6000, RAM } },
	  OP_NORMALIZE, 0, 0, { { 0x1000, 0x6000, RAM } } },
	{ "normalize_keeps_types_apart", { { 0x2000, 0x3000, RES }, { 0x1000, 0x2000, RAM } },
	  OP_NORMALIZE, 0, 0, { { 0x1000, 0x2000, RAM }, { 0x2000, 0x3000, RES } } },
	{ "normalize_gap_not_merged", { { 0x1000, 0x2000, RAM }, { 0x2001, 0x3000, RAM } },
	  OP_NORMALIZE, 0, 0, { { 0x1000, 0x2000, RAM }, { 0x2001, 0x3000, RAM } } },
	{ "subtract_splits", { { 0x1000, 0x9000, RAM } }, OP_SUBTRACT, 0x3000, 0x5000,
	  { { 0x1000, 0x3000, RAM }, { 0x5000, 0x9000, RAM } } },
	{ "subtract_head", { { 0x1000, 0x9000, RAM } }, OP_SUBTRACT, 0x0, 0x2000,
	  { { 0x2000, 0x9000, RAM } } },
	{ "subtract_tail", { { 0x1000, 0x9000, RAM } }, OP_SUBTRACT, 0x8000, 0xa000,
	  { { 0x1000, 0x8000, RAM } } },
	{ "subtract_whole", { { 0x1000, 0x2000, RAM }, { 0x3000, 0x4000, RES }, { 0x5000, 0x6000, RAM } },
	  OP_SUBTRACT, 0x1000, 0x4000, { { 0x5000, 0x6000, RAM } } },
	{ "subtract_spanning_two", { { 0x1000, 0x4000, RAM }, { 0x5000, 0x8000, RES } },
	  OP_SUBTRACT, 0x3000, 0x6000, { { 0x1000, 0x3000, RAM }, { 0x6000, 0x8000, RES } } },
	{ "subtract_disjoint_noop", { { 0x1000, 0x2000, RAM } }, OP_SUBTRACT, 0x2000, 0x3000,
	  { { 0x1000, 0x2000, RAM } } },
	{ "subtract_empty_hole_noop", { { 0x1000, 0x2000, RAM } }, OP_SUBTRACT, 0x1800, 0x1800,
	  { { 0x1000, 0x2000, RAM } } },
	{ "subtract_split_keeps_type", { { 0x0, 4 * GiB, RES } }, OP_SUBTRACT, 1 * GiB, 2 * GiB,
	  { { 0x0, 1 * GiB, RES }, { 2 * GiB, 4 * GiB, RES } } },
	{ "clip_both_sides", { { 0x0, 0x3000, RAM }, { 0x4000, 0x9000, RAM } }, OP_CLIP, 0x1000, 0x5000,
	  { { 0x1000, 0x3000, RAM }, { 0x4000, 0x5000, RAM } } },
	{ "clip_drops_outside", { { 0x0, 0x1000, RAM }, { 0x2000, 0x3000, RES }, { 0x8000, 0x9000, RAM } },
	  OP_CLIP, 0x1000, 0x8000, { { 0x2000, 0x3000, RES } } },
	{ "clip_to_nothing", { { 0x0, 0x1000, RAM } }, OP_CLIP, 0x1000, 0x2000, { { 0 } } },
	{ "keep_type_ram", { { 0x0, 0x1000, RAM }, { 0x1000, 0x2000, RES }, { 0x2000, 0x3000, RAM },
			     { 0x3000, 0x4000, MEM_OTHER } },
	  OP_KEEP_TYPE, RAM, 0, { { 0x0, 0x1000, RAM }, { 0x2000, 0x3000, RAM } } },
	{ "keep_type_none_left", { { 0x0, 0x1000, RAM } }, OP_KEEP_TYPE, MEM_PRAM, 0, { { 0 } } },
	{ "drop_type_ram", { { 0x0, 0x1000, RAM }, { 0x1000, 0x2000, RES }, { 0x2000, 0x3000, RAM },
			     { 0x3000, 0x4000, MEM_OTHER } },
	  OP_DROP_TYPE, RAM, 0, { { 0x1000, 0x2000, RES }, { 0x3000, 0x4000, MEM_OTHER } } },
	{ "drop_type_absent", { { 0x0, 0x1000, RAM } }, OP_DROP_TYPE, MEM_PRAM, 0,
	  { { 0x0, 0x1000, RAM } } },
};

static void test_op(void **state)
{
	const struct op_row *row = *state;
	struct mem_ranges mr;

	load(&mr, row->in);
	switch (row->op) {
	case OP_NORMALIZE: mem_ranges_normalize(&mr); break;
	case OP_SUBTRACT: assert_int_equal(mem_ranges_subtract(&mr, row->a, row->b), 0);
			  mem_ranges_normalize(&mr); break;
	case OP_CLIP: mem_ranges_clip(&mr, row->a, row->b); break;
	case OP_KEEP_TYPE: mem_ranges_keep_type(&mr, (enum mem_type)row->a); break;
	case OP_DROP_TYPE: mem_ranges_drop_type(&mr, (enum mem_type)row->a); break;
	}
	assert_ranges(&mr, row->want);
}

/* ---- add ---- */

static void test_add_rejects(void **state)
{
	static struct mem_ranges mr;

	(void)state;
	memset(&mr, 0, sizeof(mr));
	assert_int_equal(mem_ranges_add(&mr, 0x2000, 0x2000, RAM), -1);	/* empty */
	assert_int_equal(mem_ranges_add(&mr, 0x2000, 0x1000, RAM), -1);	/* backwards */
	assert_int_equal(mr.nr, 0);
	for (size_t i = 0; i < MEM_RANGES_MAX; i++)
		assert_int_equal(mem_ranges_add(&mr, i * 0x2000, i * 0x2000 + 0x1000, RAM), 0);
	assert_int_equal(mem_ranges_add(&mr, 1 * GiB, 2 * GiB, RAM), -1);	/* full */
	assert_int_equal(mr.nr, MEM_RANGES_MAX);
	/* A split of a full map cannot add its second half. */
	assert_int_equal(mem_ranges_subtract(&mr, 0x200, 0x400), -1);
}

static void test_totals(void **state)
{
	static const struct r3 in[MAXR] = { { 0x1000, 0x3000, RAM }, { 0x10000, 0x15000, RES },
					    { 0x20000, 0x21000, RAM } };
	struct mem_ranges mr;

	(void)state;
	load(&mr, in);
	assert_int_equal(mem_ranges_total(&mr), 0x2000 + 0x5000 + 0x1000);
	assert_int_equal(mem_ranges_largest(&mr), 0x5000);
	memset(&mr, 0, sizeof(mr));
	assert_int_equal(mem_ranges_total(&mr), 0);
	assert_int_equal(mem_ranges_largest(&mr), 0);
}

/* ---- contain / overlap ---- */

struct query_row {
	const char *name;
	uint64_t start, end;
	bool contain, overlap;
};

/* Against RAM [0x1000, 0x3000) and [0x3000, 0x5000) (not merged: different rows) and [0x8000, 0x9000). */
static const struct r3 query_map[MAXR] = { { 0x1000, 0x3000, RAM }, { 0x3000, 0x5000, RES },
					   { 0x8000, 0x9000, RAM } };

static const struct query_row query_rows[] = {
	{ "query_inside", 0x1800, 0x2000, true, true },
	{ "query_exactly", 0x1000, 0x3000, true, true },
	{ "query_straddles_two_ranges", 0x2000, 0x4000, false, true },
	{ "query_ends_at_start", 0x0, 0x1000, false, false },
	{ "query_starts_at_end", 0x9000, 0xa000, false, false },
	{ "query_in_gap", 0x5000, 0x8000, false, false },
	{ "query_one_byte_over", 0x8000, 0x9001, false, true },
	{ "query_covers_all", 0x0, 0x10000, false, true },
};

static void test_query(void **state)
{
	const struct query_row *row = *state;
	struct mem_ranges mr;

	load(&mr, query_map);
	assert_int_equal(mem_ranges_contain(&mr, row->start, row->end), row->contain);
	assert_int_equal(mem_ranges_overlap(&mr, row->start, row->end), row->overlap);
}

/* A span whose end wrapped past 2^64 (or an empty one) is inside nothing. */
static void test_contain_rejects_empty_and_wrapped(void **state)
{
	struct mem_ranges mr;

	(void)state;
	load(&mr, query_map);
	assert_false(mem_ranges_contain(&mr, 0x2000, 0x2000));
	assert_false(mem_ranges_contain(&mr, 0x2000, 0x1000));
	assert_false(mem_ranges_contain(&mr, 0xffffffffff000000ull, 0x3000));
	memset(&mr, 0, sizeof(mr));
	assert_int_equal(mem_ranges_add(&mr, 0, UINT64_MAX, RAM), 0);
	assert_false(mem_ranges_contain(&mr, 0xffffffffff000000ull, 0x1000));
	assert_true(mem_ranges_contain(&mr, 0xffffffffff000000ull, 0xfffffffffffff000ull));
}

/* ---- find_space ---- */

struct space_row {
	const char *name;
	struct r3 free[MAXR];
	struct placement_request req;
	int ret;
	uint64_t addr;
};

static const struct space_row space_rows[] = {
	{ "bottom_up_lowest", { { 0x100000, 0x200000, RAM }, { 0x400000, 0x800000, RAM } },
	  { .size = 0x1000, .align = 0x1000, .max_end = UINT64_MAX }, 0, 0x100000 },
	{ "top_down_highest", { { 0x100000, 0x200000, RAM }, { 0x400000, 0x800000, RAM } },
	  { .size = 0x1000, .align = 0x1000, .max_end = UINT64_MAX, .top_down = true }, 0, 0x7ff000 },
	{ "bottom_up_skips_small", { { 0x100000, 0x101000, RAM }, { 0x400000, 0x800000, RAM } },
	  { .size = 0x2000, .align = 0x1000, .max_end = UINT64_MAX }, 0, 0x400000 },
	{ "bottom_up_align_2m", { { 0x100000, 0x1000000, RAM } },
	  { .size = 0x300000, .align = 0x200000, .max_end = UINT64_MAX }, 0, 0x200000 },
	{ "top_down_align_2m", { { 0x100000, 0x0ff0000, RAM } },
	  { .size = 0x300000, .align = 0x200000, .max_end = UINT64_MAX, .top_down = true }, 0, 0xc00000 },
	{ "bottom_up_min_addr", { { 0x100000, 0x1000000, RAM } },
	  { .size = 0x1000, .align = 0x1000, .min_addr = 0x234567, .max_end = UINT64_MAX }, 0, 0x235000 },
	{ "top_down_max_end", { { 0x100000, 0x1000000, RAM } },
	  { .size = 0x1000, .align = 0x1000, .max_end = 0x800800, .top_down = true }, 0, 0x7ff000 },
	{ "top_down_max_end_below_range", { { 0x100000, 0x200000, RAM }, { 0x400000, 0x800000, RAM } },
	  { .size = 0x2000, .align = 0x1000, .max_end = 0x300000, .top_down = true }, 0, 0x1fe000 },
	{ "exact_fit", { { 0x200000, 0x400000, RAM } },
	  { .size = 0x200000, .align = 0x200000, .max_end = UINT64_MAX }, 0, 0x200000 },
	{ "no_fit_too_big", { { 0x100000, 0x200000, RAM }, { 0x400000, 0x480000, RAM } },
	  { .size = 0x100001, .align = 0x1000, .max_end = UINT64_MAX }, -1, 0 },
	/* Aligning up lands past the range's end: no fit, not a wrapped hi - a. */
	{ "no_fit_bottom_up_aligned_past_end", { { 0x100000, 0x180000, RAM } },
	  { .size = 0x1000, .align = 0x200000, .max_end = UINT64_MAX }, -1, 0 },
	{ "no_fit_bottom_up_aligned_at_end", { { 0x100000, 0x200000, RAM } },
	  { .size = 0x1000, .align = 0x200000, .max_end = UINT64_MAX }, -1, 0 },
	{ "bottom_up_aligned_exact_fit", { { 0x100000, 0x400000, RAM } },
	  { .size = 0x200000, .align = 0x200000, .max_end = UINT64_MAX }, 0, 0x200000 },
	{ "no_fit_alignment", { { 0x100000, 0x3ff000, RAM } },
	  { .size = 0x200000, .align = 0x200000, .max_end = UINT64_MAX }, -1, 0 },
	{ "no_fit_alignment_top_down", { { 0x100000, 0x3ff000, RAM } },
	  { .size = 0x200000, .align = 0x200000, .max_end = UINT64_MAX, .top_down = true }, -1, 0 },
	{ "no_fit_max_end", { { 0x400000, 0x800000, RAM } },
	  { .size = 0x1000, .align = 0x1000, .max_end = 0x400fff }, -1, 0 },
	{ "no_fit_min_addr", { { 0x400000, 0x800000, RAM } },
	  { .size = 0x1000, .align = 0x1000, .min_addr = 0x7ff001, .max_end = UINT64_MAX }, -1, 0 },
	{ "no_fit_empty_map", { { 0 } },
	  { .size = 0x1000, .align = 0x1000, .max_end = UINT64_MAX }, -1, 0 },
	{ "bad_request_zero_size", { { 0x100000, 0x200000, RAM } },
	  { .size = 0, .align = 0x1000, .max_end = UINT64_MAX }, -1, 0 },
	{ "bad_request_align_not_power_of_two", { { 0x100000, 0x200000, RAM } },
	  { .size = 0x1000, .align = 0x3000, .max_end = UINT64_MAX }, -1, 0 },
	{ "bottom_up_near_top_of_address_space", { { 0xfffffffffff00000ull, UINT64_MAX, RAM } },
	  { .size = 0x1000, .align = 1ull << 63, .max_end = UINT64_MAX }, -1, 0 },
};

static void test_space(void **state)
{
	const struct space_row *row = *state;
	struct mem_ranges mr;
	uint64_t addr = 0xdeadbeef;

	load(&mr, row->free);
	assert_int_equal(mem_ranges_find_space(&mr, &row->req, &addr), row->ret);
	if (row->ret == 0)
		assert_int_equal(addr, row->addr);
	else
		assert_int_equal(addr, 0xdeadbeef);
}

static void test_type_names(void **state)
{
	(void)state;
	assert_string_equal(mem_type_name(MEM_RAM), "RAM");
	assert_string_equal(mem_type_name(MEM_RESERVED), "reserved");
	assert_string_equal(mem_type_name(MEM_PRAM), "PRAM");
	assert_string_equal(mem_type_name(MEM_OTHER), "other");
	assert_string_equal(mem_type_name((enum mem_type)99), "?");
}

int main(void)
{
	struct CMUnitTest tests[N(op_rows) + N(query_rows) + N(space_rows) + 4];
	size_t n = 0;

	ROWS(op_rows, test_op);
	ROWS(query_rows, test_query);
	ROWS(space_rows, test_space);
	tests[n++] = (struct CMUnitTest){ .name = "add_rejects_empty_and_full", .test_func = test_add_rejects };
	tests[n++] = (struct CMUnitTest){ .name = "total_and_largest", .test_func = test_totals };
	tests[n++] = (struct CMUnitTest){ .name = "contain_rejects_empty_and_wrapped",
					  .test_func = test_contain_rejects_empty_and_wrapped };
	tests[n++] = (struct CMUnitTest){ .name = "type_names", .test_func = test_type_names };
	return _cmocka_run_group_tests("mem-range", tests, n, NULL, NULL);
}
