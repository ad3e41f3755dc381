/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pe-uki.c: which PE files are UKIs, and where their .linux, .initrd and
 * .cmdline sections are.  Each row is a small PE file built field by field
 * (offsets from the PE specification) and the sections that must be found,
 * or the refusal.  The dry-run tier also boots-plans a UKI that objcopy
 * made from a bzImage (tests/dryrun/run).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "pe-uki.h"
#include "unit-helpers.h"

#define PE_AT		0x80
#define OPT_SIZE	0xf0	/* a PE32+ optional header */
#define TABLE_AT	(PE_AT + 4 + 20 + OPT_SIZE)

struct sect {
	const char *name;	/* NULL ends the list */
	uint32_t vsize, raw, off;
};

struct uki_row {
	const char *name;
	size_t file_size;
	bool not_mz;
	struct sect sect[5];
	int ret;
	enum kx_status status;
	const char *msg;
	struct uki_section linux_, initrd, cmdline;
};

static const struct uki_row rows[] = {
	{ "uki_all_three", 0x4000, false,
	  { { ".osrel", 0x20, 0x200, 0x400 }, { ".cmdline", 0x14, 0x200, 0x600 },
	    { ".linux", 0x2000, 0x2000, 0x800 }, { ".initrd", 0x1000, 0x1000, 0x2800 } },
	  1, KX_OK, NULL, { 0x800, 0x2000 }, { 0x2800, 0x1000 }, { 0x600, 0x14 } },
	/* SizeOfRawData is padded to the file alignment; VirtualSize is the content. */
	{ "virtual_size_below_raw", 0x4000, false, { { ".linux", 0x1234, 0x1400, 0x400 } },
	  1, KX_OK, NULL, { 0x400, 0x1234 }, { 0 }, { 0 } },
	{ "linux_only", 0x4000, false, { { ".linux", 0x2000, 0x2000, 0x400 } },
	  1, KX_OK, NULL, { 0x400, 0x2000 }, { 0 }, { 0 } },
	/* A bzImage with an EFI stub is a PE file too: not a UKI, left to the bzImage loader. */
	{ "efi_stub_bzimage", 0x4000, false,
	  { { ".setup", 0x1000, 0x1000, 0x200 }, { ".reloc", 0x20, 0x20, 0x1200 },
	    { ".text", 0x2000, 0x2000, 0x1220 } },
	  0, KX_OK, NULL, { 0 }, { 0 }, { 0 } },
	{ "not_pe", 0x4000, true, { { ".linux", 0x2000, 0x2000, 0x400 } },
	  0, KX_OK, NULL, { 0 }, { 0 }, { 0 } },
	{ "linux_past_end", 0x2000, false, { { ".linux", 0x2000, 0x2000, 0x400 } },
	  -1, KX_ETRUNCATED, "UKI section .linux [0x400, +0x2000) lies outside the file",
	  { 0 }, { 0 }, { 0 } },
	{ "initrd_without_linux", 0x4000, false, { { ".initrd", 0x1000, 0x1000, 0x400 } },
	  -1, KX_EFORMAT, "no (or an empty) .linux section", { 0 }, { 0 }, { 0 } },
};

static uint8_t *build_pe(const struct uki_row *row)
{
	uint8_t *f = test_calloc(1, row->file_size);
	size_t n = 0;

	if (!row->not_mz) {
		f[0] = 'M';
		f[1] = 'Z';
	}
	unit_put32(f, 0x3c, PE_AT);
	memcpy(f + PE_AT, "PE\0\0", 4);
	unit_put16(f, PE_AT + 4, 0x8664);		/* Machine: x86-64 */
	unit_put16(f, PE_AT + 4 + 16, OPT_SIZE);	/* SizeOfOptionalHeader */
	for (; n < 5 && row->sect[n].name; n++) {
		uint8_t *s = f + TABLE_AT + n * 40;

		memcpy(s, row->sect[n].name, strlen(row->sect[n].name));
		unit_put32(s, 8, row->sect[n].vsize);
		unit_put32(s, 16, row->sect[n].raw);
		unit_put32(s, 20, row->sect[n].off);
	}
	unit_put16(f, PE_AT + 4 + 2, (uint16_t)n);	/* NumberOfSections */
	return f;
}

static void expect_section(const struct uki_section *got, const struct uki_section *want)
{
	assert_int_equal(got->offset, want->offset);
	assert_int_equal(got->size, want->size);
}

static void test_uki(void **state)
{
	const struct uki_row *row = *state;
	uint8_t *f = build_pe(row);
	struct kx_error err = { 0 };
	struct uki_sections out;
	int ret = uki_find_sections(f, row->file_size, "uki.efi", &out, &err);

	assert_int_equal(ret, row->ret);
	if (ret < 0) {
		assert_int_equal(err.status, row->status);
		unit_assert_contains(err.msg, row->msg);
	} else {
		expect_section(&out.linux_, &row->linux_);
		expect_section(&out.initrd, &row->initrd);
		expect_section(&out.cmdline, &row->cmdline);
	}
	test_free(f);
}

/* A section table that claims more sections than the file holds: not read past the end. */
static void test_section_table_past_end(void **state)
{
	const struct uki_row *row = &rows[2];
	uint8_t *f = build_pe(row);
	struct kx_error err = { 0 };
	struct uki_sections out;

	(void)state;
	unit_put16(f, PE_AT + 4 + 2, 0xffff);
	assert_int_equal(uki_find_sections(f, TABLE_AT + 40 * 3, "uki.efi", &out, &err), 0);
	test_free(f);
}

int main(void)
{
	struct CMUnitTest tests[N(rows) + 1];
	size_t n = 0;

	ROWS(rows, test_uki);
	tests[n++] = (struct CMUnitTest){ .name = "section_table_past_end",
					  .test_func = test_section_table_past_end };
	return _cmocka_run_group_tests("pe-uki", tests, n, NULL, NULL);
}
