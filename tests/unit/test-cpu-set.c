/* SPDX-License-Identifier: GPL-2.0-only */
/* cpu-set.c: sysfs CPU lists ("0-3,5") to bit sets. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "cpu-set.h"
#include "unit-helpers.h"

struct cpu_row {
	const char *name;
	const char *list;
	int ret;
	unsigned int members[8];	/* expected CPUs, ending at 0xffff */
};

#define END 0xffff

static const struct cpu_row rows[] = {
	{ "range_and_single", "0-3,5", 0, { 0, 1, 2, 3, 5, END } },
	{ "single", "7", 0, { 7, END } },
	{ "empty", "", 0, { END } },
	{ "newline_only", "\n", 0, { END } },
	{ "trailing_newline", "0-1\n", 0, { 0, 1, END } },
	{ "across_words", "62-65", 0, { 62, 63, 64, 65, END } },
	{ "several_ranges", "0,2-3,8-9", 0, { 0, 2, 3, 8, 9, END } },
	{ "highest_cpu", "4095", 0, { 4095, END } },
	{ "bad_too_high", "4096", -1, { END } },
	{ "bad_reversed", "3-1", -1, { END } },
	{ "bad_letters", "cpu0", -1, { END } },
	{ "bad_open_range", "1-", -1, { END } },
	{ "bad_separator", "1;2", -1, { END } },
	{ "bad_double_comma", "1,,2", -1, { END } },
};

static void test_cpu_set(void **state)
{
	const struct cpu_row *row = *state;
	struct cpu_set set, want;

	memset(&want, 0, sizeof(want));
	for (size_t i = 0; row->members[i] != END; i++)
		want.bits[row->members[i] / 64] |= 1ull << (row->members[i] % 64);
	assert_int_equal(cpu_set_parse(row->list, &set), row->ret);
	if (row->ret)
		return;
	assert_memory_equal(&set, &want, sizeof(set));
	for (unsigned int c = 0; c < CPU_SET_MAX; c++)
		assert_int_equal(cpu_set_has(&set, c), (want.bits[c / 64] >> (c % 64)) & 1);
	assert_false(cpu_set_has(&set, CPU_SET_MAX));
	assert_false(cpu_set_has(&set, 0xffffffffu));
}

/* A set's members in order, and lists printed back in sysfs form. */
static void test_members_and_format(void **state)
{
	struct cpu_set set;
	int cpus[4];
	char out[16];

	(void)state;
	assert_int_equal(cpu_set_parse("5,1-3", &set), 0);
	assert_int_equal(cpu_set_members(&set, cpus, 4), 4);
	assert_int_equal(cpus[0], 1);
	assert_int_equal(cpus[3], 5);
	assert_int_equal(cpu_list_format(cpus, 4, out, sizeof(out)), 0);
	assert_string_equal(out, "1-3,5");
	assert_int_equal(cpu_set_parse("0-5", &set), 0);
	assert_int_equal(cpu_set_members(&set, cpus, 4), 6);	/* more than max: counted */
	assert_int_equal(cpus[3], 3);
	assert_int_equal(cpu_list_format(cpus, 1, out, sizeof(out)), 0);
	assert_string_equal(out, "0");
	assert_int_equal(cpu_list_format(cpus, 0, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	cpus[0] = 1000;
	cpus[1] = 2000;
	assert_int_equal(cpu_list_format(cpus, 2, out, 9), -1);	/* "1000,2000" needs 10 bytes */
	assert_int_equal(cpu_list_format(cpus, 2, out, 10), 0);
	assert_string_equal(out, "1000,2000");
}

int main(void)
{
	struct CMUnitTest tests[N(rows) + 1];

	for (size_t i = 0; i < N(rows); i++)
		tests[i] = (struct CMUnitTest){ .name = rows[i].name, .test_func = test_cpu_set,
						.initial_state = (void *)&rows[i] };
	tests[N(rows)] = (struct CMUnitTest){ .name = "members_and_format",
					      .test_func = test_members_and_format };
	return _cmocka_run_group_tests("cpu-set", tests, N(rows) + 1, NULL, NULL);
}
