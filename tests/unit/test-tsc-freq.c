/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tsc-freq.c: the kernel's tsc log lines, CPUID 0x15/0x16, the
 * measurement arithmetic, the order of trust, and the refusal.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "tsc-freq.h"
#include "unit-helpers.h"

#define MAX_LINES 4

struct log_row {
	const char *name;
	const char *lines[MAX_LINES];
	uint32_t refined, tsc, processor;
	bool unstable;
};

/* Lines as the 6.12 kernel prints them (arch/x86/kernel/tsc.c), after the record header. */
static const struct log_row log_rows[] = {
	{ "log_refined", { "tsc: Detected 2095.932 MHz processor",
			   "tsc: Refined TSC clocksource calibration: 2095.999 MHz" },
	  2095999, 0, 2095932, false },
	{ "log_processor_only", { "tsc: Detected 2100.000 MHz processor" }, 0, 0, 2100000, false },
	{ "log_tsc_differs", { "tsc: Detected 3400.000 MHz processor",
			       "tsc: Detected 2112.000 MHz TSC" }, 0, 2112000, 3400000, false },
	{ "log_unstable", { "tsc: Detected 2596.088 MHz processor",
			    "tsc: Marking TSC unstable due to clocksource watchdog" },
	  0, 0, 2596088, true },
	{ "log_later_line_wins", { "tsc: Refined TSC clocksource calibration: 1000.000 MHz",
				   "tsc: Refined TSC clocksource calibration: 1000.500 MHz" },
	  1000500, 0, 0, false },
	{ "log_fraction_short", { "tsc: Detected 2100.5 MHz processor" }, 0, 0, 2100500, false },
	/* Not the kernel's TSC lines: other subsystems, other prefixes, malformed numbers. */
	{ "log_other_prefix", { "clocksource: tsc: mask: 0xffffffffffffffff",
				"TSC deadline timer available",
				"Detected 2100.000 MHz processor",
				"tsc: Detected MHz processor" }, 0, 0, 0, false },
	{ "log_no_unit", { "tsc: Detected 2100.000 processor",
			   "tsc: Refined TSC clocksource calibration: 2100. MHz" }, 0, 0, 0, false },
	{ "log_huge_number", { "tsc: Detected 99999999999.000 MHz processor" }, 0, 0, 0, false },
};

static void test_log(void **state)
{
	const struct log_row *row = *state;
	struct tsc_sources src = { 0 };

	for (size_t i = 0; i < MAX_LINES && row->lines[i]; i++)
		tsc_log_scan_line(&src, row->lines[i]);
	assert_int_equal(src.log_refined_khz, row->refined);
	assert_int_equal(src.log_tsc_khz, row->tsc);
	assert_int_equal(src.log_processor_khz, row->processor);
	assert_int_equal(src.log_unstable, row->unstable);
}

struct choose_row {
	const char *name;
	struct tsc_sources src;
	uint32_t measured;
	uint32_t khz;
	enum tsc_source source;
};

#define INTEL .have_cpuid = true, .cpuid_intel = true
static const struct choose_row choose_rows[] = {
	{ "refined_beats_everything", { .log_refined_khz = 2095999, .log_processor_khz = 2095932,
					INTEL, .cpuid_max_leaf = 0x16, .leaf15_eax = 2,
					.leaf15_ebx = 176, .leaf15_ecx = 24000000,
					.invariant_tsc = true }, 2100000, 2095999, TSC_SRC_LOG_REFINED },
	{ "early_tsc_line", { .log_tsc_khz = 2112000, .log_processor_khz = 3400000 }, 0,
	  2112000, TSC_SRC_LOG_EARLY },
	{ "early_processor_line", { .log_processor_khz = 2100000 }, 0, 2100000, TSC_SRC_LOG_EARLY },
	/* 24 MHz crystal x 176/2 = 2112 MHz. */
	{ "cpuid_15_crystal", { INTEL, .cpuid_max_leaf = 0x16, .leaf15_eax = 2, .leaf15_ebx = 176,
				.leaf15_ecx = 24000000, .leaf16_eax = 2100,
				.invariant_tsc = true }, 2111000, 2112000, TSC_SRC_CPUID_15 },
	{ "cpuid_16_base_when_no_crystal", { INTEL, .cpuid_max_leaf = 0x16, .leaf15_eax = 2,
					     .leaf15_ebx = 200, .leaf16_eax = 2600 }, 0,
	  2600000, TSC_SRC_CPUID_16 },
	{ "cpuid_15_without_16_no_crystal", { INTEL, .cpuid_max_leaf = 0x15, .leaf15_eax = 2,
					      .leaf15_ebx = 200, .leaf16_eax = 2600 }, 0,
	  0, TSC_SRC_NONE },
	{ "cpuid_15_zero_ratio", { INTEL, .cpuid_max_leaf = 0x16, .leaf15_ecx = 24000000,
				   .leaf16_eax = 2600 }, 0, 0, TSC_SRC_NONE },
	/* AMD reports no leaf 0x15 meaning; whatever the registers say is ignored. */
	{ "cpuid_not_intel", { .have_cpuid = true, .cpuid_max_leaf = 0x16, .leaf15_eax = 2,
			       .leaf15_ebx = 176, .leaf15_ecx = 24000000 }, 0, 0, TSC_SRC_NONE },
	{ "cpuid_low_max_leaf", { INTEL, .cpuid_max_leaf = 0xd, .leaf15_eax = 2, .leaf15_ebx = 176,
				  .leaf15_ecx = 24000000 }, 0, 0, TSC_SRC_NONE },
	{ "measured_invariant", { INTEL, .cpuid_max_leaf = 0xd, .invariant_tsc = true }, 2099987,
	  2099987, TSC_SRC_MEASURED },
	{ "measured_not_invariant_refused", { INTEL, .cpuid_max_leaf = 0xd }, 2099987,
	  0, TSC_SRC_NONE },
	/* A recorded machine: no CPUID, so neither CPUID nor a measurement counts. */
	{ "recorded_machine_no_cpuid", { .invariant_tsc = true, .leaf16_eax = 2600 }, 2099987,
	  0, TSC_SRC_NONE },
	{ "nothing", { 0 }, 0, 0, TSC_SRC_NONE },
};

static void test_choose(void **state)
{
	const struct choose_row *row = *state;
	struct tsc_freq f = tsc_freq_choose(&row->src, row->measured);

	assert_int_equal(f.khz, row->khz);
	assert_int_equal(f.source, row->source);
}

struct sample_row {
	const char *name;
	uint64_t tsc0, ns0, tsc1, ns1;
	uint32_t khz;
};

static const struct sample_row sample_rows[] = {
	{ "samples_50ms", 1000, 1000000, 1000 + 105000000, 51000000, 2100000 },
	{ "samples_round_to_nearest", 0, 0, 100000050, 50000000, 2000001 },
	{ "samples_tsc_stopped", 7, 5000000000ull, 7, 5050000000ull, 0 },
	{ "samples_time_backwards", 0, 50000000, 100000000, 0, 0 },
	{ "samples_too_short", 0, 0, 2100000, 999999, 0 },
	{ "samples_absurd_rate", 0, 0, 10, 50000000, 0 },
};

static void test_samples(void **state)
{
	const struct sample_row *row = *state;

	assert_int_equal(tsc_khz_from_samples(row->tsc0, row->ns0, row->tsc1, row->ns1), row->khz);
}

struct refuse_row {
	const char *name;
	struct tsc_sources src;
	bool recorded;
	const char *why;
};

static const struct refuse_row refuse_rows[] = {
	{ "refuse_recorded_no_log", { 0 }, true,
	  "the kernel log (/dev/kmsg) cannot be read; a recorded machine offers no CPUID" },
	{ "refuse_log_without_line", { .log_read = true }, true,
	  "the kernel log has no tsc calibration line;" },
	{ "refuse_not_invariant", { .log_read = true, .have_cpuid = true }, false,
	  "CPUID reports no TSC frequency and the TSC is not invariant" },
	{ "refuse_measurement_failed", { .log_read = true, .have_cpuid = true,
					 .invariant_tsc = true }, false,
	  "the measurement failed" },
};

static void test_refuse(void **state)
{
	const struct refuse_row *row = *state;
	struct kx_error err = { 0 };

	assert_int_equal(tsc_freq_refuse(&row->src, row->recorded, &err), -1);
	assert_int_equal(err.status, KX_ETSC);
	assert_int_equal(KX_ETSC, 21);
	unit_assert_contains(err.msg, row->why);
	/* The one line says how to pass a value. */
	unit_assert_contains(err.msg, "--append=tsc_early_khz=KHZ");
	assert_null(strchr(err.msg, '\n'));
}

int main(void)
{
	struct CMUnitTest tests[N(log_rows) + N(choose_rows) + N(sample_rows) + N(refuse_rows)];
	size_t n = 0;

	ROWS(log_rows, test_log);
	ROWS(choose_rows, test_choose);
	ROWS(sample_rows, test_samples);
	ROWS(refuse_rows, test_refuse);
	return _cmocka_run_group_tests("tsc-freq", tests, n, NULL, NULL);
}
