/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * elf64-read.c: which files are read as ELF64 x86-64 executables, and what
 * each refusal says.  Each row is a small ELF file built byte by byte at the
 * ELF specification's offsets (not through <elf.h>'s structs, so their
 * layout is checked too), then one field changed.  The dry-run tier plans
 * real ELF files through the loader (tests/dryrun/cases, elf-*).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "elf64-read.h"
#include "unit-helpers.h"

#define PHOFF		64
#define PHENTSIZE	56
#define SHOFF		0x200
#define FILE_SIZE	0x400

enum change {
	NONE, SIZE, MAGIC, CLASS, DATA, VERSION, TYPE, MACHINE, PHOFF_AT, PHENT, PHNUM, XNUM,
	XNUM_NO_SHDR, XNUM_SHDR_PAST_END
};

struct elf_row {
	const char *name;
	enum change change;
	uint64_t value;
	int ret;
	enum kx_status status;
	const char *msg;
	size_t phnum;
};

static const struct elf_row rows[] = {
	{ "elf64_exec", NONE, 0, 0, KX_OK, NULL, 2 },
	{ "not_elf", MAGIC, 0, -1, KX_EFORMAT, "x.elf: not an ELF file", 0 },
	{ "three_bytes", SIZE, 3, -1, KX_EFORMAT, "x.elf: not an ELF file", 0 },
	{ "ident_cut", SIZE, 10, -1, KX_ETRUNCATED,
	  "x.elf: ELF header is truncated or corrupt: the file is 10 bytes", 0 },
	{ "header_cut", SIZE, 63, -1, KX_ETRUNCATED,
	  "x.elf: ELF header is truncated or corrupt: the file is 63 bytes, the header 64", 0 },
	{ "class_invalid", CLASS, 3, -1, KX_ETRUNCATED,
	  "ELF header is truncated or corrupt: class byte 3", 0 },
	{ "byte_order_invalid", DATA, 0, -1, KX_ETRUNCATED,
	  "ELF header is truncated or corrupt: byte order byte 0", 0 },
	{ "version_invalid", VERSION, 2, -1, KX_ETRUNCATED,
	  "ELF header is truncated or corrupt: version 2", 0 },
	/* A 32-bit header is 52 bytes: that much is enough to name what it is. */
	{ "elf32", CLASS, 1, -1, KX_EUNSUPPORTED,
	  "x.elf: ELF class 1 machine 62 type 2; an ELF64 x86-64 executable is needed", 0 },
	{ "shared_object", TYPE, 3, -1, KX_EUNSUPPORTED,
	  "x.elf: ELF class 2 machine 62 type 3; an ELF64 x86-64 executable is needed", 0 },
	{ "aarch64", MACHINE, 183, -1, KX_EUNSUPPORTED,
	  "x.elf: ELF class 2 machine 183 type 2; an ELF64 x86-64 executable is needed", 0 },
	{ "big_endian", DATA, 2, -1, KX_EUNSUPPORTED,
	  "x.elf: a big-endian ELF file; an ELF64 x86-64 executable is little-endian", 0 },
	{ "phdrs_past_end", PHOFF_AT, FILE_SIZE - PHENTSIZE, -1, KX_ETRUNCATED,
	  "x.elf: program headers are unreadable: 2 entries of 56 bytes at offset 0x3c8 in a "
	  "file of 1024 bytes", 0 },
	{ "phoff_past_end", PHOFF_AT, UINT64_MAX - 8, -1, KX_ETRUNCATED,
	  "x.elf: program headers are unreadable", 0 },
	{ "phnum_huge", PHNUM, 0xfffe, -1, KX_ETRUNCATED,
	  "x.elf: program headers are unreadable: 65534 entries", 0 },
	{ "phentsize_wrong", PHENT, 64, -1, KX_ETRUNCATED,
	  "x.elf: program headers are unreadable: 2 entries of 64 bytes", 0 },
	{ "no_phdrs", PHNUM, 0, 0, KX_OK, NULL, 0 },
	/* More than 65534 headers: e_phnum is PN_XNUM and section 0's sh_info has the count. */
	{ "pn_xnum", XNUM, 2, 0, KX_OK, NULL, 2 },
	{ "pn_xnum_too_many", XNUM, 100, -1, KX_ETRUNCATED,
	  "x.elf: program headers are unreadable: 100 entries", 0 },
	{ "pn_xnum_no_section_header", XNUM_NO_SHDR, 0, -1, KX_ETRUNCATED,
	  "x.elf: program headers are unreadable: e_phnum is PN_XNUM and section header 0 "
	  "lies outside the file", 0 },
	{ "pn_xnum_section_header_past_end", XNUM_SHDR_PAST_END, 0, -1, KX_ETRUNCATED,
	  "x.elf: program headers are unreadable: e_phnum is PN_XNUM and section header 0 "
	  "lies outside the file", 0 },
};

/* An ET_EXEC for x86-64 with two PT_LOADs; phdr i has p_paddr 0x100000 * (i + 1). */
static uint8_t *build_elf(void)
{
	uint8_t *f = test_calloc(1, FILE_SIZE);

	memcpy(f, "\177ELF", 4);
	f[4] = 2;	/* EI_CLASS: ELFCLASS64 */
	f[5] = 1;	/* EI_DATA: little-endian */
	f[6] = 1;	/* EI_VERSION */
	unit_put16(f, 16, 2);		/* e_type: ET_EXEC */
	unit_put16(f, 18, 62);		/* e_machine: EM_X86_64 */
	unit_put32(f, 20, 1);		/* e_version */
	unit_put64(f, 24, 0x100000);	/* e_entry */
	unit_put64(f, 32, PHOFF);	/* e_phoff */
	unit_put16(f, 52, 64);		/* e_ehsize */
	unit_put16(f, 54, PHENTSIZE);	/* e_phentsize */
	unit_put16(f, 56, 2);		/* e_phnum */
	for (int i = 0; i < 2; i++) {
		uint8_t *ph = f + PHOFF + i * PHENTSIZE;

		unit_put32(ph, 0, 1);				/* p_type: PT_LOAD */
		unit_put64(ph, 8, 0x100);			/* p_offset */
		unit_put64(ph, 24, 0x100000 * (i + 1));		/* p_paddr */
		unit_put64(ph, 32, 0x80);			/* p_filesz */
		unit_put64(ph, 40, 0x1000);			/* p_memsz */
	}
	return f;
}

static size_t apply(uint8_t *f, const struct elf_row *row)
{
	switch (row->change) {
	case NONE:	break;
	case SIZE:	return row->value;
	case MAGIC:	f[1] = 'X'; break;
	case CLASS:	f[4] = (uint8_t)row->value; break;
	case DATA:	f[5] = (uint8_t)row->value; break;
	case VERSION:	f[6] = (uint8_t)row->value; break;
	case TYPE:	unit_put16(f, 16, (uint16_t)row->value); break;
	case MACHINE:	unit_put16(f, 18, (uint16_t)row->value); break;
	case PHOFF_AT:	unit_put64(f, 32, row->value); break;
	case PHENT:	unit_put16(f, 54, (uint16_t)row->value); break;
	case PHNUM:	unit_put16(f, 56, (uint16_t)row->value); break;
	case XNUM:
		unit_put16(f, 56, 0xffff);
		unit_put64(f, 40, SHOFF);		/* e_shoff */
		unit_put16(f, 58, 64);			/* e_shentsize */
		unit_put32(f, SHOFF + 44, (uint32_t)row->value);	/* sh_info */
		break;
	case XNUM_NO_SHDR:
		unit_put16(f, 56, 0xffff);
		break;
	case XNUM_SHDR_PAST_END:	/* the 64-byte section header would end 24 bytes past it */
		unit_put16(f, 56, 0xffff);
		unit_put64(f, 40, FILE_SIZE - 40);
		unit_put16(f, 58, 64);
		break;
	}
	if (row->change == DATA && row->value == 2) {	/* the same fields, big-endian */
		f[16] = 0; f[17] = 2;
		f[18] = 0; f[19] = 62;
	}
	return FILE_SIZE;
}

static void test_elf(void **state)
{
	const struct elf_row *row = *state;
	uint8_t *f = build_elf();
	size_t size = apply(f, row);
	struct kx_error err = { 0 };
	struct elf64_file e;

	assert_int_equal(elf64_open(&e, "x.elf", f, size, &err), row->ret);
	if (row->ret < 0) {
		assert_int_equal(err.status, row->status);
		unit_assert_contains(err.msg, row->msg);
	} else {
		assert_int_equal(e.phnum, row->phnum);
		assert_int_equal(e.eh.e_entry, 0x100000);
		for (size_t i = 0; i < e.phnum; i++) {
			Elf64_Phdr ph;

			elf64_phdr(&e, i, &ph);
			assert_int_equal(ph.p_type, PT_LOAD);
			assert_int_equal(ph.p_offset, 0x100);
			assert_int_equal(ph.p_paddr, 0x100000 * (i + 1));
			assert_int_equal(ph.p_filesz, 0x80);
			assert_int_equal(ph.p_memsz, 0x1000);
		}
	}
	test_free(f);
}

int main(void)
{
	struct CMUnitTest tests[N(rows)];
	size_t n = 0;

	ROWS(rows, test_elf);
	return _cmocka_run_group_tests("elf64-read", tests, n, NULL, NULL);
}
