/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cmdline-params.c: memparse sizes, memmap=/mem= reservations, and
 * command-line editing.  Expected values follow the kernel's memparse()
 * and parse_memmap_one() (arch/x86/kernel/e820.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "cmdline-params.h"
#include "unit-helpers.h"

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define MAXR 4

/* ---- sizes ---- */

struct size_row {
	const char *name;
	const char *text;
	int ret;
	uint64_t value;
	size_t consumed;	/* bytes up to *endp */
};

static const struct size_row size_rows[] = {
	{ "size_plain", "4096", 0, 4096, 4 },
	{ "size_k", "64K", 0, 64 * KiB, 3 },
	{ "size_k_lower", "64k", 0, 64 * KiB, 3 },
	{ "size_m", "512M", 0, 512 * MiB, 4 },
	{ "size_g", "2G", 0, 2 * GiB, 2 },
	{ "size_g_lower", "2g", 0, 2 * GiB, 2 },
	{ "size_m_lower", "512m", 0, 512 * MiB, 4 },
	{ "size_t_lower", "1t", 0, 1ull << 40, 2 },
	{ "size_t", "1T", 0, 1ull << 40, 2 },
	{ "size_hex", "0x1000000", 0, 0x1000000, 9 },
	{ "size_hex_with_suffix", "0x10M", 0, 16 * MiB, 5 },
	{ "size_stops_at_dollar", "16M$0x40000000", 0, 16 * MiB, 3 },
	{ "size_unknown_suffix_not_eaten", "16Q", 0, 16, 2 },
	{ "size_junk", "M16", -1, 0, 0 },
	{ "size_empty", "", -1, 0, 0 },
	{ "size_overflow", "0x4000000000000000K", -1, 0, 0 },
};

static void test_size(void **state)
{
	const struct size_row *row = *state;
	const char *end = NULL;
	uint64_t v = 0x5555;

	assert_int_equal(cmdline_parse_size(row->text, &end, &v), row->ret);
	if (row->ret == 0) {
		assert_int_equal(v, row->value);
		assert_ptr_equal(end, row->text + row->consumed);
	} else {
		assert_int_equal(v, 0x5555);
	}
}

/* ---- memmap= and mem= ---- */

struct r3 {
	uint64_t start, end;
	enum mem_type type;
};

struct memmap_row {
	const char *name;
	const char *cmdline;
	int ret;
	uint64_t mem_limit;
	struct r3 want[MAXR];
};

static const struct memmap_row memmap_rows[] = {
	{ "memmap_dollar", "ro memmap=512M$0x40000000 quiet", 0, 0,
	  { { 0x40000000, 0x60000000, MEM_RESERVED } } },
	{ "memmap_bang", "memmap=1G!4G", 0, 0,
	  { { 4 * GiB, 5 * GiB, MEM_PRAM } } },
	{ "memmap_comma_list", "memmap=64M$0x10000000,16M!0x20000000", 0, 0,
	  { { 0x10000000, 0x14000000, MEM_RESERVED }, { 0x20000000, 0x21000000, MEM_PRAM } } },
	{ "memmap_repeated_params_sorted", "memmap=1M$0x300000 memmap=1M$0x100000", 0, 0,
	  { { 0x100000, 0x200000, MEM_RESERVED }, { 0x300000, 0x400000, MEM_RESERVED } } },
	{ "memmap_adjacent_merged", "memmap=1M$1M memmap=1M$2M", 0, 0,
	  { { 0x100000, 0x300000, MEM_RESERVED } } },
	{ "memmap_exactmap_and_at_ignored", "memmap=exactmap,640K@0,511M@1M memmap=4M$64M", 0, 0,
	  { { 64 * MiB, 68 * MiB, MEM_RESERVED } } },
	{ "memmap_hash_ignored", "memmap=1M#0x100000", 0, 0, { { 0 } } },
	{ "memmap_percent_ignored", "memmap=1M%0x100000-1+12,2M$8M", 0, 0,
	  { { 8 * MiB, 10 * MiB, MEM_RESERVED } } },
	{ "memmap_zero_size_ignored", "memmap=0$0x100000", 0, 0, { { 0 } } },
	{ "mem_limit", "mem=3G console=ttyS0", 0, 3 * GiB, { { 0 } } },
	{ "mem_and_memmap", "memmap=2M$16M mem=0x80000000", 0, 0x80000000,
	  { { 16 * MiB, 18 * MiB, MEM_RESERVED } } },
	{ "similar_names_not_memmap", "xmemmap=1M$1M memmapx=1 memory=1G memmap mem", 0, 0, { { 0 } } },
	{ "quoted_value_kept_whole", "foo=\"memmap=1M$1M mem=1G\" memmap=1M$3M", 0, 0,
	  { { 3 * MiB, 4 * MiB, MEM_RESERVED } } },
	{ "empty_cmdline", "", 0, 0, { { 0 } } },
	{ "bad_memmap_no_op", "memmap=512M", -1, 0, { { 0 } } },
	{ "bad_memmap_unknown_op", "memmap=512M^0x1000", -1, 0, { { 0 } } },
	{ "bad_memmap_no_addr", "memmap=512M$", -1, 0, { { 0 } } },
	{ "bad_memmap_trailing_junk", "memmap=512M$1Gx", -1, 0, { { 0 } } },
	{ "bad_mem_junk", "mem=lots", -1, 0, { { 0 } } },
	{ "bad_mem_trailing", "mem=1Gb", -1, 0, { { 0 } } },
};

static void test_memmap(void **state)
{
	const struct memmap_row *row = *state;
	struct cmdline_memmap out;
	size_t n = 0;

	assert_int_equal(cmdline_parse_memmap(row->cmdline, &out), row->ret);
	if (row->ret)
		return;
	assert_int_equal(out.mem_limit, row->mem_limit);
	while (n < MAXR && row->want[n].end)
		n++;
	assert_int_equal(out.reserved.nr, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(out.reserved.r[i].start, row->want[i].start);
		assert_int_equal(out.reserved.r[i].end, row->want[i].end);
		assert_int_equal(out.reserved.r[i].type, row->want[i].type);
	}
}

/* ---- cmdline_drop_params ---- */

struct drop_row {
	const char *name;
	const char *cmdline;
	const char *names[3];
	size_t out_size;
	int ret;
	const char *want;
};

static const struct drop_row drop_rows[] = {
	{ "drop_one", "root=/dev/sda1 crashkernel=256M quiet", { "crashkernel" }, 256, 0,
	  "root=/dev/sda1 quiet" },
	{ "drop_every_copy", "memmap=1M$1M a memmap=2M$2M b memmap", { "memmap" }, 256, 0, "a b" },
	{ "drop_several_names", "  initrd=/x   BOOT_IMAGE=/k ro  ", { "initrd", "BOOT_IMAGE" }, 256, 0,
	  "ro" },
	{ "drop_keeps_prefix_match", "memmapx=1 mem=1G memory=1", { "mem" }, 256, 0,
	  "memmapx=1 memory=1" },
	{ "drop_keeps_quoted", "a=\"x y\" mem=1G b", { "mem" }, 256, 0, "a=\"x y\" b" },
	{ "drop_quoted_value", "a=\"x mem=1 y\" b", { "a" }, 256, 0, "b" },
	{ "drop_nothing_named", "a b c", { NULL }, 256, 0, "a b c" },
	{ "drop_exact_fit", "abc def", { "x" }, 8, 0, "abc def" },
	{ "drop_overflow", "abc def", { "x" }, 7, -1, NULL },
	{ "drop_zero_size", "abc", { "x" }, 0, -1, NULL },
};

static void test_drop(void **state)
{
	const struct drop_row *row = *state;
	char out[256];
	size_t nr = 0;

	while (nr < 3 && row->names[nr])
		nr++;
	memset(out, 'Z', sizeof(out));
	assert_int_equal(cmdline_drop_params(row->cmdline, row->names, nr, out, row->out_size),
			 row->ret);
	if (row->want)
		assert_string_equal(out, row->want);
	if (row->out_size < sizeof(out))
		assert_int_equal(out[row->out_size], 'Z');	/* nothing written past out_size */
}

/* ---- cmdline_append ---- */

static void test_append(void **state)
{
	char out[12] = "";

	(void)state;
	assert_int_equal(cmdline_append(out, sizeof(out), "ro"), 0);
	assert_string_equal(out, "ro");
	assert_int_equal(cmdline_append(out, sizeof(out), ""), 0);
	assert_string_equal(out, "ro");
	assert_int_equal(cmdline_append(out, sizeof(out), "quiet"), 0);
	assert_string_equal(out, "ro quiet");
	/* "ro quiet" + " ab" + NUL = 12 bytes: fits exactly. */
	assert_int_equal(cmdline_append(out, sizeof(out), "ab"), 0);
	assert_string_equal(out, "ro quiet ab");
	assert_int_equal(cmdline_append(out, sizeof(out), "x"), -1);
	assert_string_equal(out, "ro quiet ab");	/* unchanged on overflow */

	out[0] = '\0';
	assert_int_equal(cmdline_append(out, sizeof(out), "12345678901"), 0);
	out[0] = '\0';
	assert_int_equal(cmdline_append(out, sizeof(out), "123456789012"), -1);
	assert_string_equal(out, "");
}

/* ---- cmdline_has_param ---- */

struct has_row {
	const char *name;
	const char *cmdline, *param;
	bool want;
};

static const struct has_row has_rows[] = {
	{ "has_flag", "ro quiet splash", "quiet", true },
	{ "has_with_value", "root=/dev/vda console=ttyS0,115200", "console", true },
	{ "has_not_prefix", "quietly", "quiet", false },
	{ "has_not_value", "init=quiet", "quiet", false },
	{ "has_not_inside_quotes", "a=\"b quiet\"", "quiet", false },
	{ "has_empty_cmdline", "", "quiet", false },
	{ "has_after_tabs", "ro\tnokaslr\n", "nokaslr", true },
};

static void test_has(void **state)
{
	const struct has_row *row = *state;

	assert_int_equal(cmdline_has_param(row->cmdline, row->param), row->want);
}

/* ---- cmdline_last_value ---- */

struct last_row {
	const char *name;
	const char *cmdline, *param;
	bool found;
	const char *value;
};

static const struct last_row last_rows[] = {
	{ "last_wins", "8250.nr_uarts=2 quiet 8250.nr_uarts=4", "8250.nr_uarts", true, "4" },
	{ "last_only_one", "quiet console=ttyS1 ro", "console", true, "ttyS1" },
	{ "last_flag_has_no_value", "8250.nr_uarts quiet", "8250.nr_uarts", false, "" },
	{ "last_not_prefix", "8250.nr_uartsx=3", "8250.nr_uarts", false, "" },
	{ "last_absent", "", "8250.nr_uarts", false, "" },
	{ "last_cut_to_size", "x=0123456789abcdef", "x", true, "0123456" },
};

static void test_last(void **state)
{
	const struct last_row *row = *state;
	char out[8] = "";

	assert_int_equal(cmdline_last_value(row->cmdline, row->param, out, sizeof(out)), row->found);
	assert_string_equal(out, row->value);
}

/* ---- cmdline_has_value: any occurrence, not only the last ---- */

struct value_row {
	const char *name;
	const char *cmdline, *param, *value;
	bool want;
};

static const struct value_row value_rows[] = {
	{ "value_first_of_two", "acpi=off quiet acpi=force", "acpi", "off", true },
	{ "value_last_of_two", "acpi=force acpi=noirq", "acpi", "noirq", true },
	{ "value_only_other", "acpi=offline acpi=of", "acpi", "off", false },
	{ "value_flag_without", "acpi quiet", "acpi", "off", false },
	{ "value_other_param", "xacpi=off pci=off", "acpi", "off", false },
	{ "value_in_quotes_not_a_param", "a=\"acpi=off\"", "acpi", "off", false },
	{ "value_empty_cmdline", "", "acpi", "off", false },
};

static void test_value(void **state)
{
	const struct value_row *row = *state;

	assert_int_equal(cmdline_has_value(row->cmdline, row->param, row->value), row->want);
}

int main(void)
{
	struct CMUnitTest tests[N(size_rows) + N(memmap_rows) + N(drop_rows) + N(has_rows) +
				N(last_rows) + N(value_rows) + 1];
	size_t n = 0;

	ROWS(size_rows, test_size);
	ROWS(memmap_rows, test_memmap);
	ROWS(drop_rows, test_drop);
	ROWS(has_rows, test_has);
	ROWS(last_rows, test_last);
	ROWS(value_rows, test_value);
	tests[n++] = (struct CMUnitTest){ .name = "append_and_overflow", .test_func = test_append };
	return _cmocka_run_group_tests("cmdline-params", tests, n, NULL, NULL);
}
