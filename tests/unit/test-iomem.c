/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iomem.c: /proc/iomem text to typed half-open ranges.  Each row is a
 * small /proc/iomem and the exact top-level, crash and multikernel maps
 * that must come out of it (or the number of the bad line).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "iomem.h"
#include "unit-helpers.h"

#define MAXR 10

struct r3 {
	uint64_t start, end;
	enum mem_type type;
};

struct iomem_row {
	const char *name;
	const char *text;
	int ret;
	unsigned int bad_line;
	bool hidden;
	struct r3 top[MAXR], crash[MAXR], mk[MAXR];
};

static const struct iomem_row rows[] = {
	{ "typical_pc",
	  "00000000-00000fff : Reserved\n"
	  "00001000-0009fbff : System RAM\n"
	  "0009fc00-0009ffff : Reserved\n"
	  "000a0000-000bffff : PCI Bus 0000:00\n"
	  "000f0000-000fffff : System ROM\n"
	  "00100000-7ffdffff : System RAM\n"
	  "  01000000-01e00000 : Kernel code\n"
	  "  2a000000-31ffffff : Crash kernel\n"
	  "7ffe0000-7fffffff : Reserved\n"
	  "fed00000-fed003ff : PNP0103:00\n"
	  "100000000-17fffffff : System RAM\n",
	  0, 0, false,
	  { { 0x0, 0x1000, MEM_RESERVED }, { 0x1000, 0x9fc00, MEM_RAM },
	    { 0x9fc00, 0xa0000, MEM_RESERVED }, { 0xa0000, 0xc0000, MEM_OTHER },
	    { 0xf0000, 0x100000, MEM_OTHER }, { 0x100000, 0x7ffe0000, MEM_RAM },
	    { 0x7ffe0000, 0x80000000, MEM_RESERVED }, { 0xfed00000, 0xfed00400, MEM_OTHER },
	    { 0x100000000, 0x180000000, MEM_RAM } },
	  { { 0x2a000000, 0x32000000, MEM_RESERVED } }, { { 0 } } },
	{ "acpi_nvs_pmem_pram_soft",
	  "00100000-001fffff : ACPI Tables\n"
	  "00200000-002fffff : ACPI Non-volatile Storage\n"
	  "00300000-003fffff : Persistent Memory (legacy)\n"
	  "00400000-004fffff : Persistent Memory\n"
	  "00500000-005fffff : Soft Reserved\n"
	  "00600000-006fffff : Unusable memory\n"
	  "00700000-007fffff : system ram\n",
	  0, 0, false,
	  { { 0x100000, 0x200000, MEM_ACPI }, { 0x200000, 0x300000, MEM_NVS },
	    { 0x300000, 0x400000, MEM_PRAM }, { 0x400000, 0x500000, MEM_PMEM },
	    { 0x500000, 0x600000, MEM_SOFT_RESERVED }, { 0x600000, 0x700000, MEM_UNUSABLE },
	    { 0x700000, 0x800000, MEM_RAM } }, { { 0 } }, { { 0 } } },
	{ "adjacent_ram_merged",
	  "00100000-001fffff : System RAM\n"
	  "00200000-002fffff : System RAM\n",
	  0, 0, false, { { 0x100000, 0x300000, MEM_RAM } }, { { 0 } }, { { 0 } } },
	{ "multikernel_shared_nested_twice",
	  "00100000-bfffffff : System RAM\n"
	  "  40000000-7fffffff : Multikernel Shared Memory\n"
	  "    40000000-40000fff : Multikernel Shared Memory\n"
	  "  80000000-8fffffff : Crash kernel\n",
	  0, 0, false, { { 0x100000, 0xc0000000, MEM_RAM } },
	  { { 0x80000000, 0x90000000, MEM_RESERVED } },
	  { { 0x40000000, 0x80000000, MEM_RESERVED }, { 0x40000000, 0x40001000, MEM_RESERVED } } },
	{ "top_level_crash_kernel",
	  "2a000000-31ffffff : Crash kernel\n",
	  0, 0, false, { { 0x2a000000, 0x32000000, MEM_OTHER } },
	  { { 0x2a000000, 0x32000000, MEM_RESERVED } }, { { 0 } } },
	{ "no_trailing_newline",
	  "00100000-001fffff : System RAM",
	  0, 0, false, { { 0x100000, 0x200000, MEM_RAM } }, { { 0 } }, { { 0 } } },
	{ "blank_lines_ignored",
	  "\n00100000-001fffff : System RAM\n\n",
	  0, 0, false, { { 0x100000, 0x200000, MEM_RAM } }, { { 0 } }, { { 0 } } },
	{ "one_byte_range",
	  "00000400-00000400 : Reserved\n",
	  0, 0, false, { { 0x400, 0x401, MEM_RESERVED } }, { { 0 } }, { { 0 } } },
	{ "empty_text", "", 0, 0, false, { { 0 } }, { { 0 } }, { { 0 } } },
	{ "non_root_all_zero",
	  "00000000-00000000 : Reserved\n"
	  "00000000-00000000 : System RAM\n"
	  "  00000000-00000000 : Crash kernel\n",
	  0, 0, true, { { 0x0, 0x1, MEM_RAM }, { 0x0, 0x1, MEM_RESERVED } },
	  { { 0x0, 0x1, MEM_RESERVED } }, { { 0 } } },
	{ "zero_start_is_not_hidden",
	  "00000000-00000fff : Reserved\n",
	  0, 0, false, { { 0x0, 0x1000, MEM_RESERVED } }, { { 0 } }, { { 0 } } },
	{ .name = "bad_no_dash", .text = "00100000-001fffff : System RAM\n00200000 : System RAM\n", .ret = -1, .bad_line = 2 },
	{ .name = "bad_no_separator", .text = "00100000-001fffff System RAM\n", .ret = -1, .bad_line = 1 },
	{ .name = "bad_not_hex", .text = "00100000-001fffff : System RAM\n\nzzzz-ffff : X\n", .ret = -1, .bad_line = 3 },
	{ .name = "bad_last_before_first", .text = "00200000-001fffff : System RAM\n", .ret = -1, .bad_line = 1 },
	{ .name = "bad_last_is_max", .text = "00000000-ffffffffffffffff : PCI mem\n", .ret = -1, .bad_line = 1 },
	{ .name = "bad_missing_last", .text = "00100000- : System RAM\n", .ret = -1, .bad_line = 1 },
};

static void assert_map(const char *what, const struct mem_ranges *mr, const struct r3 *want)
{
	size_t n = 0;

	while (n < MAXR && want[n].end)
		n++;
	if (mr->nr != n)
		fail_msg("%s: %zu ranges, want %zu", what, mr->nr, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(mr->r[i].start, want[i].start);
		assert_int_equal(mr->r[i].end, want[i].end);
		assert_int_equal(mr->r[i].type, want[i].type);
	}
}

static void test_iomem(void **state)
{
	const struct iomem_row *row = *state;
	struct iomem_map *map = malloc(sizeof(*map));
	unsigned int bad_line = 0;

	assert_non_null(map);
	assert_int_equal(iomem_parse(row->text, map, &bad_line), row->ret);
	assert_int_equal(bad_line, row->bad_line);
	if (row->ret == 0) {
		assert_int_equal(map->addresses_hidden, row->hidden);
		assert_map("top", &map->top, row->top);
		assert_map("crash", &map->crash, row->crash);
		assert_map("mk_shared", &map->mk_shared, row->mk);
	}
	free(map);
}

static void test_type_names(void **state)
{
	(void)state;
	assert_int_equal(mem_type_from_name("System RAM"), MEM_RAM);
	assert_int_equal(mem_type_from_name("RESERVED"), MEM_RESERVED);
	assert_int_equal(mem_type_from_name("Persistent Memory (legacy)"), MEM_PRAM);
	assert_int_equal(mem_type_from_name("Persistent Memory"), MEM_PMEM);
	assert_int_equal(mem_type_from_name("System RAM "), MEM_OTHER);
	assert_int_equal(mem_type_from_name("Kernel code"), MEM_OTHER);
	assert_int_equal(mem_type_from_name(""), MEM_OTHER);
}

/* One map more than MEM_RANGES_MAX ranges long is "too many" (-2), not "malformed" (-1). */
static void test_too_many_ranges(void **state)
{
	const size_t line = 40;
	char *text = malloc((MEM_RANGES_MAX + 1) * line + 1), *p = text;
	struct iomem_map *map = malloc(sizeof(*map));
	unsigned int bad_line = 0;

	(void)state;
	assert_non_null(text);
	assert_non_null(map);
	for (unsigned int i = 0; i < MEM_RANGES_MAX; i++)
		p += sprintf(p, "%09x-%09x : System RAM\n", i * 0x200000, i * 0x200000 + 0xfffff);
	assert_int_equal(iomem_parse(text, map, &bad_line), 0);
	assert_int_equal(map->top.nr, MEM_RANGES_MAX);
	sprintf(p, "%09x-%09x : Reserved\n", MEM_RANGES_MAX * 0x200000, MEM_RANGES_MAX * 0x200000 + 0xfff);
	assert_int_equal(iomem_parse(text, map, &bad_line), -2);
	assert_int_equal(bad_line, MEM_RANGES_MAX + 1);
	free(map);
	free(text);
}

int main(void)
{
	struct CMUnitTest tests[N(rows) + 2];
	size_t n = 0;

	for (size_t i = 0; i < N(rows); i++)
		tests[n++] = (struct CMUnitTest){ .name = rows[i].name, .test_func = test_iomem,
						  .initial_state = (void *)&rows[i] };
	tests[n++] = (struct CMUnitTest){ .name = "type_names", .test_func = test_type_names };
	tests[n++] = (struct CMUnitTest){ .name = "too_many_ranges", .test_func = test_too_many_ranges };
	return _cmocka_run_group_tests("iomem", tests, n, NULL, NULL);
}
