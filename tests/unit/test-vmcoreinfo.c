/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vmcoreinfo.c: the text parsed key by key (a missing or malformed key,
 * a pre-5.10 kernel, a layout that does not fit are each named), the
 * note found at a page start inside the view only; kernel-vtop.c: the
 * image's own rule and a 4- and 5-level walk (huge pages, 4 KiB pages,
 * the SME bit) over tables the test builds, and tables that point
 * outside the view refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kernel-vtop.h"
#include "prb-sim.h"
#include "unit-helpers.h"
#include "vmcoreinfo.h"

static void parses_debian_text(void **state)
{
	struct vmcoreinfo vi;
	char why[256] = "";

	(void)state;
	assert_int_equal(vmcoreinfo_parse(prb_sim_vmcoreinfo, strlen(prb_sim_vmcoreinfo), &vi, why,
					  sizeof(why)), 0);
	assert_string_equal(vi.osrelease, "6.12.57+deb13-amd64");
	assert_int_equal(vi.phys_base, -16777216);
	assert_int_equal(vi.kernel_offset, 0x1000000);
	assert_int_equal(vi.init_top_pgt_va, 0xffffffff82c3a000ull);
	assert_false(vi.pgtable_l5);
	assert_int_equal(vi.prb.prb_va, SIM_VA);
	assert_int_equal(vi.prb.rb_text_data_ring, 48);
	assert_int_equal(vi.prb.info_size, 88);
	assert_int_equal(vi.prb.info_caller_id, 20);
	assert_true(vi.have_uts);
}

/* Each row edits the text: replace the line starting with key by line (NULL: drop it). */
struct edit_row {
	const char *name;
	const char *key;
	const char *line;
	const char *why;	/* expected in why */
};

static const struct edit_row edit_rows[] = {
	{ "no prb", "SYMBOL(prb)=", NULL, "no SYMBOL(prb) line" },
	{ "pre-5.10 log_buf", "SYMBOL(prb)=", "SYMBOL(log_buf)=ffffffff82a00000",
	  "before 5.10" },
	{ "no phys_base", "NUMBER(phys_base)=", NULL, "NUMBER(phys_base)" },
	{ "hex where decimal", "OFFSET(prb_desc.state_var)=", "OFFSET(prb_desc.state_var)=0x8",
	  "is not a number" },
	{ "trailing junk", "SYMBOL(init_top_pgt)=", "SYMBOL(init_top_pgt)=ffffffff82c3a000z",
	  "is not a number" },
	{ "empty value", "SIZE(prb_desc)=", "SIZE(prb_desc)=", "is not a number" },
	{ "state_var beyond prb_desc", "OFFSET(prb_desc.state_var)=",
	  "OFFSET(prb_desc.state_var)=20", "prb_desc's fields" },
	{ "text_len beyond printk_info", "OFFSET(printk_info.text_len)=",
	  "OFFSET(printk_info.text_len)=87", "printk_info's fields" },
	{ "huge offset", "OFFSET(prb_desc_ring.descs)=", "OFFSET(prb_desc_ring.descs)=999999",
	  "beyond a page" },
	{ "32-bit atomic_long_t", "SIZE(atomic_long_t)=", "SIZE(atomic_long_t)=4", "atomic_long_t" },
	{ "no l5 line", "NUMBER(pgtable_l5_enabled)=", NULL, "pgtable_l5_enabled" },
	{ "l5 is 2", "NUMBER(pgtable_l5_enabled)=", "NUMBER(pgtable_l5_enabled)=2",
	  "pgtable_l5_enabled" },
	{ "64 KiB pages", "PAGESIZE=", "PAGESIZE=65536", "PAGESIZE=65536" },
	{ "no OSRELEASE", "OSRELEASE=", NULL, "not VMCOREINFO" },
};

static void test_edit(void **state)
{
	const struct edit_row *row = *state;
	char text[4096], why[256] = "";
	const char *p = prb_sim_vmcoreinfo;
	size_t used = 0;
	struct vmcoreinfo vi;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = (size_t)(nl - p) + 1;

		if (strncmp(p, row->key, strlen(row->key)) == 0) {
			if (row->line)
				used += (size_t)sprintf(text + used, "%s\n", row->line);
		} else {
			memcpy(text + used, p, len);
			used += len;
		}
		p += len;
	}
	assert_int_equal(vmcoreinfo_parse(text, used, &vi, why, sizeof(why)), -1);
	if (!strstr(why, row->why))
		fail_msg("why: '%s', expected '%s'", why, row->why);
}

#define BASE 0x20000000ull
#define MEMSZ 0x40000u
static uint8_t mem[MEMSZ];

/* A note as kernel/vmcore_info.c's append_elf_note writes it, at off. */
static void put_note(size_t off, const char *text)
{
	uint32_t h[3] = { 11, (uint32_t)strlen(text), 0 };

	memcpy(mem + off, h, 12);
	memcpy(mem + off + 12, "VMCOREINFO\0", 12);
	memcpy(mem + off + 24, text, strlen(text));
}

static void finds_the_note_at_a_page_start(void **state)
{
	struct mem_view_buf b = { .buf = mem, .base = BASE, .size = MEMSZ };
	static char text[VMCOREINFO_TEXT_MAX + 1];
	struct mem_view v;
	uint64_t at = 0, probed = 0;

	(void)state;
	memset(mem, 0, sizeof(mem));
	mem_view_buf_init(&v, &b);
	assert_int_equal(vmcoreinfo_find(&v, 0, text, &at, &probed), -1);
	assert_int_equal(probed, MEMSZ / 4096);
	put_note(0x3010, prb_sim_vmcoreinfo);		/* not at a page start: not found */
	put_note(0x7000, "OSRELEASE=6.1.0\nPAGESIZE=4096\n");
	put_note(0x9000, prb_sim_vmcoreinfo);
	probed = 0;
	assert_int_equal(vmcoreinfo_find(&v, 0, text, &at, &probed), 0);
	assert_int_equal(at, BASE + 0x7000);
	assert_string_equal(text, "OSRELEASE=6.1.0\nPAGESIZE=4096\n");
	assert_int_equal(vmcoreinfo_find(&v, at + 4096, text, &at, &probed), 0);
	assert_int_equal(at, BASE + 0x9000);
	assert_string_equal(text, prb_sim_vmcoreinfo);
	assert_int_equal(vmcoreinfo_find(&v, at + 4096, text, &at, &probed), -1);
	assert_int_equal(v.refused, 0);
}

/* A note whose header promises more text than the view holds is no note. */
static void note_cut_by_the_range_end(void **state)
{
	struct mem_view_buf b = { .buf = mem, .base = BASE, .size = MEMSZ };
	static char text[VMCOREINFO_TEXT_MAX + 1];
	struct mem_view v;
	uint64_t at = 0, probed = 0;

	(void)state;
	memset(mem, 0, sizeof(mem));
	put_note(MEMSZ - 4096, prb_sim_vmcoreinfo);
	memcpy(mem + MEMSZ - 4096 + 4, &(uint32_t){ 4096 }, 4);
	mem_view_buf_init(&v, &b);
	assert_int_equal(vmcoreinfo_find(&v, 0, text, &at, &probed), -1);
	assert_int_equal(v.refused, 1);		/* the text read, refused by the view */
	/* descsz over a page */
	memcpy(mem + MEMSZ - 4096 + 4, &(uint32_t){ 4097 }, 4);
	assert_int_equal(vmcoreinfo_find(&v, 0, text, &at, &probed), -1);
}

/*
 * Page tables in mem: the image (va 0xffffffff81000000 + x) at physical
 * BASE + x through a 2 MiB page; the direct map's page at va D through a
 * 4 KiB page to BASE + 0x30000.  init_top_pgt at BASE + 0x1000 (image
 * offset 0x1000: SYMBOL(init_top_pgt) = 0xffffffff81001000, phys_base =
 * BASE - 0x1000000).
 */
#define IMG_VA 0xffffffff81000000ull
#define DIRECT_VA 0xffff888012345000ull

static void put_entry(size_t table_off, uint64_t va, unsigned int shift, uint64_t entry)
{
	memcpy(mem + table_off + ((va >> shift) & 511) * 8, &entry, 8);
}

static void build_tables(bool l5, uint64_t sme)
{
	size_t top = 0x1000, p4d = 0x2000, pud = 0x3000, pmd = 0x4000, pud2 = 0x5000,
	       pmd2 = 0x6000, pte2 = 0x7000;

	memset(mem, 0, sizeof(mem));
	if (l5) {
		put_entry(top, IMG_VA, 48, BASE + p4d + 0x63);
		put_entry(top, DIRECT_VA, 48, BASE + p4d + 0x63);
		top = p4d;
	}
	put_entry(top, IMG_VA, 39, (BASE + pud) | sme | 0x63);
	put_entry(pud, IMG_VA, 30, (BASE + pmd) | sme | 0x63);
	put_entry(pmd, IMG_VA, 21, BASE | sme | 0x1e3);			/* 2 MiB page */
	put_entry(top, DIRECT_VA, 39, (BASE + pud2) | sme | 0x63);
	put_entry(pud2, DIRECT_VA, 30, (BASE + pmd2) | sme | 0x63);
	put_entry(pmd2, DIRECT_VA, 21, (BASE + pte2) | sme | 0x63);
	put_entry(pte2, DIRECT_VA, 12, (BASE + 0x30000) | sme | 0x8000000000000063ull);
}

static void vtop_setup(struct kernel_vtop *t, struct mem_view *v, struct mem_view_buf *b,
		       bool l5, uint64_t sme)
{
	struct vmcoreinfo vi = { .phys_base = (int64_t)(BASE - 0x1000000),
				 .init_top_pgt_va = IMG_VA + 0x1000, .pgtable_l5 = l5,
				 .sme_mask = sme };
	char why[256] = "";

	b->buf = mem;
	b->base = BASE;
	b->size = MEMSZ;
	mem_view_buf_init(v, b);
	if (kernel_vtop_init(t, v, &vi, why, sizeof(why)))
		fail_msg("%s", why);
}

struct walk_row {
	const char *name;
	bool l5;
	uint64_t sme;
};

static const struct walk_row walk_rows[] = {
	{ "4-level", false, 0 },
	{ "5-level", true, 0 },
	{ "4-level, SME bit 47 set in entries", false, 1ull << 47 },
};

static void test_walk(void **state)
{
	const struct walk_row *row = *state;
	struct kernel_vtop t;
	struct mem_view v;
	struct mem_view_buf b;
	uint64_t pa;
	char buf[8];

	build_tables(row->l5, row->sme);
	vtop_setup(&t, &v, &b, row->l5, row->sme);
	assert_int_equal(kernel_vtop(&t, IMG_VA + 0x12345, &pa), 0);
	assert_int_equal(pa, BASE + 0x12345);
	assert_int_equal(kernel_vtop(&t, DIRECT_VA + 0x678, &pa), 0);
	assert_int_equal(pa, BASE + 0x30678);
	memcpy(mem + 0x30ffc, "abcdefgh", 8);	/* crosses into an unmapped page */
	assert_int_equal(kernel_vread(&t, DIRECT_VA + 0xffc, buf, 4), 0);
	assert_memory_equal(buf, "abcd", 4);
	assert_int_equal(kernel_vread(&t, DIRECT_VA + 0xffc, buf, 8), -1);
	assert_int_equal(kernel_vtop(&t, 0xffff888000000000ull, &pa), -1);	/* not present */
	assert_int_equal(v.refused, 0);
}

/* A table entry pointing outside the view is a refused read, not a read. */
static void table_outside_the_view(void **state)
{
	struct kernel_vtop t;
	struct mem_view v;
	struct mem_view_buf b;
	uint64_t pa;

	(void)state;
	build_tables(false, 0);
	vtop_setup(&t, &v, &b, false, 0);
	put_entry(0x5000, DIRECT_VA, 30, 0x1000000000ull | 0x63);	/* PUD -> 64 GiB */
	assert_int_equal(kernel_vtop(&t, DIRECT_VA, &pa), -1);
	assert_int_equal(v.refused, 1);
	/* a huge page pointing outside: translated, but reading it is refused */
	put_entry(0x5000, DIRECT_VA, 30, 0x40000000ull | 0xe3);
	assert_int_equal(kernel_vtop(&t, DIRECT_VA, &pa), 0);
	assert_int_equal(kernel_vread(&t, DIRECT_VA, &pa, 8), -1);
	assert_int_equal(v.refused, 2);
}

/* init_top_pgt outside the memory, or tables that do not map the image there: refused. */
static void init_refuses_bad_tables(void **state)
{
	struct vmcoreinfo vi = { .phys_base = 0, .init_top_pgt_va = IMG_VA + 0x1000 };
	struct mem_view_buf b = { .buf = mem, .base = BASE, .size = MEMSZ };
	struct kernel_vtop t;
	struct mem_view v;
	char why[256];

	(void)state;
	build_tables(false, 0);
	mem_view_buf_init(&v, &b);
	assert_int_equal(kernel_vtop_init(&t, &v, &vi, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "outside its memory"));
	vi.phys_base = (int64_t)(BASE - 0x1000000);
	put_entry(0x4000, IMG_VA, 21, (BASE + 0x200000) | 0xe3);	/* maps elsewhere */
	assert_int_equal(kernel_vtop_init(&t, &v, &vi, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "do not map the kernel image"));
	vi.init_top_pgt_va = 0xffff888000001000ull;
	assert_int_equal(kernel_vtop_init(&t, &v, &vi, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "not a page of the kernel image"));
}

int main(void)
{
	struct CMUnitTest tests[N(edit_rows) + N(walk_rows) + 6];
	size_t n = 0;

	tests[n++] = (struct CMUnitTest)cmocka_unit_test(parses_debian_text);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(finds_the_note_at_a_page_start);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(note_cut_by_the_range_end);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(table_outside_the_view);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(init_refuses_bad_tables);
	ROWS(edit_rows, test_edit);
	ROWS(walk_rows, test_walk);
	return _cmocka_run_group_tests("vmcoreinfo", tests, n, NULL, NULL);
}
