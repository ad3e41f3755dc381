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

int main(void)
{
	struct CMUnitTest tests[N(rows)];

	for (size_t i = 0; i < N(rows); i++)
		tests[i] = (struct CMUnitTest){ .name = rows[i].name, .test_func = test_cpu_set,
						.initial_state = (void *)&rows[i] };
	return _cmocka_run_group_tests("cpu-set", tests, N(rows), NULL, NULL);
}
