/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * boot-params.c and e820.c: the zero page read back as bytes at the
 * offsets of Documentation/arch/x86/zero-page.rst and boot.rst, not only
 * through struct boot_params.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "boot-params.h"
#include "e820.h"
#include "unit-helpers.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)

static struct setup_header image_header(void)
{
	struct setup_header h;
	size_t size;
	uint8_t *img = unit_bzimage(0x1000, &size);

	/* An image that asks for a heap, as real ones do. */
	unit_put8(img, 0x211, 0x81);
	unit_put16(img, 0x224, 0xde00);
	memcpy(&h, img + 0x1f1, sizeof(h));
	free(img);
	return h;
}

static uint8_t page[4096];

static void build(const struct bp_inputs *in)
{
	memset(page, 0xcc, sizeof(page));	/* boot_params_build must clear it */
	boot_params_build((struct boot_params *)page, in);
}

static void assert_e820_at(const uint8_t *base, size_t i, uint64_t addr, uint64_t size, uint32_t type)
{
	assert_int_equal(unit_get64(base, i * 20), addr);
	assert_int_equal(unit_get64(base, i * 20 + 8), size);
	assert_int_equal(unit_get32(base, i * 20 + 16), type);
}

static void test_full_page(void **state)
{
	struct setup_header h = image_header();
	static struct mem_ranges e820;
	struct bp_inputs in = {
		.hdr = &h,
		.hdr_len = 0x26c - 0x1f1,
		.kernel_addr = 0x1000000,
		.cmdline_addr = 0x123456000ull,
		/* High halves differ (3 vs 1): address and size cannot be swapped unseen. */
		.initrd_addr = 0x380200000ull,
		.initrd_size = 0x100001000ull,
		.setup_data_addr = 0x7fffe000,
		.e820 = &e820,
		.acpi_rsdp_addr = 0xf05b0,
	};

	(void)state;
	memset(&e820, 0, sizeof(e820));
	mem_ranges_add(&e820, 0x0, 0x9fc00, MEM_RAM);
	mem_ranges_add(&e820, 0x9fc00, 0xa0000, MEM_RESERVED);
	mem_ranges_add(&e820, 0xa0000, 0xc0000, MEM_OTHER);	/* PCI bus: not firmware */
	mem_ranges_add(&e820, 0x100000, 0x7ffe0000, MEM_RAM);
	mem_ranges_add(&e820, 0x7ffe0000, 0x80000000, MEM_ACPI);
	mem_ranges_add(&e820, 0x100000000ull, 0x180000000ull, MEM_PRAM);
	build(&in);

	/* The setup header at 0x1f1, as in the image. */
	assert_int_equal(page[0x1f1], 1);			/* setup_sects */
	assert_int_equal(unit_get16(page, 0x1fe), 0xaa55);
	assert_memory_equal(page + 0x202, "HdrS", 4);
	assert_int_equal(unit_get16(page, 0x206), 0x020f);
	assert_int_equal(unit_get32(page, 0x230), 0x200000);	/* kernel_alignment */
	assert_int_equal(page[0x234], 1);			/* relocatable_kernel */
	assert_int_equal(unit_get16(page, 0x236), 0x0001);	/* xloadflags */
	assert_int_equal(unit_get32(page, 0x238), 0x7ff);	/* cmdline_size */
	assert_int_equal(unit_get64(page, 0x258), 0x1000000);	/* pref_address */
	assert_int_equal(unit_get32(page, 0x260), 0x800000);	/* init_size */
	/* What the loader sets. */
	assert_int_equal(page[0x210], 0xff);			/* type_of_loader */
	assert_int_equal(page[0x211], 0x01);			/* LOADED_HIGH kept, CAN_USE_HEAP off */
	assert_int_equal(unit_get32(page, 0x214), 0x1000000);	/* code32_start */
	assert_int_equal(unit_get16(page, 0x224), 0);		/* heap_end_ptr */
	assert_int_equal(unit_get64(page, 0x250), 0x7fffe000);	/* setup_data */
	/* Command line split at 4 GiB: 0x228 low, 0x0c8 high. */
	assert_int_equal(unit_get32(page, 0x228), 0x23456000);
	assert_int_equal(unit_get32(page, 0x0c8), 0x1);
	/* Initrd: 0x218/0x21c low, 0x0c0/0x0c4 high. */
	assert_int_equal(unit_get32(page, 0x218), 0x80200000);
	assert_int_equal(unit_get32(page, 0x0c0), 0x3);
	assert_int_equal(unit_get32(page, 0x21c), 0x1000);
	assert_int_equal(unit_get32(page, 0x0c4), 0x1);
	/* ACPI RSDP at 0x070. */
	assert_int_equal(unit_get64(page, 0x070), 0xf05b0);
	/* e820: five firmware entries, the MMIO one skipped. */
	assert_int_equal(page[0x1e8], 5);
	assert_e820_at(page + 0x2d0, 0, 0x0, 0x9fc00, 1);
	assert_e820_at(page + 0x2d0, 1, 0x9fc00, 0x400, 2);
	assert_e820_at(page + 0x2d0, 2, 0x100000, 0x7fee0000, 1);
	assert_e820_at(page + 0x2d0, 3, 0x7ffe0000, 0x20000, 3);
	assert_e820_at(page + 0x2d0, 4, 0x100000000ull, 0x80000000ull, 12);
	assert_e820_at(page + 0x2d0, 5, 0, 0, 0);
	/* alt_mem_k at 0x1e0: KiB from 1 MiB to the end of that RAM; ext_mem_k capped. */
	assert_int_equal(unit_get32(page, 0x1e0), (0x7ffe0000 - 0x100000) >> 10);
	assert_int_equal(unit_get16(page, 0x002), 0xfc00);
	/* Everything else stays zero: sentinel, video, EDD. */
	assert_int_equal(page[0x1ef], 0);
	assert_int_equal(page[0x00f], 0);
	assert_int_equal(page[0x1e9], 0);
	for (size_t off = 0x26c; off < 0x2d0; off++)
		assert_int_equal(page[off], 0);
	for (size_t off = 0x2d0 + 5 * 20; off < 4096; off++)
		assert_int_equal(page[off], 0);
}

static void test_no_initrd_no_cmdline(void **state)
{
	struct setup_header h = image_header();
	static struct mem_ranges e820;
	struct bp_inputs in = {
		.hdr = &h, .hdr_len = 0x26c - 0x1f1, .kernel_addr = 0x200000,
		.initrd_addr = 0x5000000, .initrd_size = 0, .e820 = &e820,
	};

	(void)state;
	memset(&e820, 0, sizeof(e820));
	/* RAM from 0 through 1 MiB: alt_mem_k counts from 1 MiB. */
	mem_ranges_add(&e820, 0x0, 0x4000000, MEM_RAM);
	build(&in);
	assert_int_equal(unit_get32(page, 0x228), 0);
	assert_int_equal(unit_get32(page, 0x0c8), 0);
	assert_int_equal(unit_get32(page, 0x218), 0);
	assert_int_equal(unit_get32(page, 0x21c), 0);
	assert_int_equal(unit_get64(page, 0x250), 0);
	assert_int_equal(unit_get64(page, 0x070), 0);
	assert_int_equal(page[0x1e8], 1);
	assert_e820_at(page + 0x2d0, 0, 0x0, 0x4000000, 1);
	assert_int_equal(unit_get32(page, 0x1e0), (0x4000000 - 0x100000) >> 10);
	assert_int_equal(unit_get16(page, 0x002), 0xfc00);
}

/* A short header (hdr_len) copies only that much. */
static void test_short_header(void **state)
{
	struct setup_header h = image_header();
	static struct mem_ranges e820;
	struct bp_inputs in = { .hdr = &h, .hdr_len = 0x10, .e820 = &e820 };

	(void)state;
	memset(&e820, 0, sizeof(e820));
	build(&in);
	assert_int_equal(unit_get16(page, 0x1fe), 0xaa55);	/* inside the first 0x10 bytes */
	assert_int_equal(unit_get32(page, 0x202), 0);		/* beyond them */
	assert_int_equal(unit_get32(page, 0x260), 0);
	assert_int_equal(page[0x210], 0xff);
	assert_int_equal(page[0x1e8], 0);
	assert_int_equal(unit_get32(page, 0x1e0), 0);
}

/* Rows of e820 sizes: how many entries stay in the zero page, how many go to setup_data. */
struct e820_row {
	const char *name;
	size_t nr_firmware, nr_other;
	size_t zero_page, ext;
};

static const struct e820_row e820_rows[] = {
	{ "e820_128_fit_in_zero_page", 128, 0, 128, 0 },
	{ "e820_others_do_not_count", 128, 20, 128, 0 },
	{ "e820_129_one_in_setup_data", 129, 0, 128, 1 },
	{ "e820_200_with_others", 200, 7, 128, 72 },
};

static void test_e820(void **state)
{
	const struct e820_row *row = *state;
	static struct mem_ranges map;
	struct setup_header h = image_header();
	struct bp_inputs in = { .hdr = &h, .hdr_len = sizeof(h), .e820 = &map };
	size_t ext_size, k = 0;
	uint8_t *ext = NULL;

	memset(&map, 0, sizeof(map));
	for (size_t i = 0; i < row->nr_firmware + row->nr_other; i++) {
		/* Every fourth entry is MMIO while any are left. */
		bool other = k < row->nr_other && i % 4 == 3;

		k += other;
		assert_int_equal(mem_ranges_add(&map, i * 0x10000, i * 0x10000 + 0x8000,
						other ? MEM_OTHER : (i % 2 ? MEM_RESERVED : MEM_RAM)), 0);
	}
	assert_int_equal(k, row->nr_other);
	ext_size = e820_ext_size(&map);
	assert_int_equal(ext_size, row->ext ? 16 + row->ext * 20 : 0);
	if (ext_size) {
		ext = malloc(ext_size);
		assert_non_null(ext);
		memset(ext, 0xcc, ext_size);
		in.e820_ext = (struct setup_data *)ext;
		in.setup_data_addr = 0x9000;
	}
	build(&in);
	assert_int_equal(page[0x1e8], row->zero_page);
	if (ext) {
		assert_int_equal(unit_get64(ext, 0), 0);		/* next */
		assert_int_equal(unit_get32(ext, 8), SETUP_E820_EXT);	/* type 1 */
		assert_int_equal(unit_get32(ext, 12), row->ext * 20);	/* len */
		assert_int_equal(unit_get64(page, 0x250), 0x9000);
	}
	/* Entries in order, MMIO skipped, zero page first then setup_data. */
	k = 0;
	for (size_t i = 0; i < map.nr; i++) {
		const struct mem_range *m = &map.r[i];
		const uint8_t *base;
		size_t slot;

		if (m->type == MEM_OTHER)
			continue;
		base = k < 128 ? page + 0x2d0 : ext + 16;
		slot = k < 128 ? k : k - 128;
		assert_e820_at(base, slot, m->start, m->end - m->start, m->type);
		k++;
	}
	assert_int_equal(k, row->nr_firmware);
	free(ext);
}

static void test_firmware_types(void **state)
{
	(void)state;
	assert_true(e820_type_is_firmware(MEM_RAM));
	assert_true(e820_type_is_firmware(MEM_SOFT_RESERVED));
	assert_false(e820_type_is_firmware(MEM_OTHER));
}

int main(void)
{
	struct CMUnitTest tests[N(e820_rows) + 4];
	size_t n = 0;

	tests[n++] = (struct CMUnitTest){ .name = "full_zero_page", .test_func = test_full_page };
	tests[n++] = (struct CMUnitTest){ .name = "no_initrd_no_cmdline", .test_func = test_no_initrd_no_cmdline };
	tests[n++] = (struct CMUnitTest){ .name = "short_header", .test_func = test_short_header };
	tests[n++] = (struct CMUnitTest){ .name = "firmware_types", .test_func = test_firmware_types };
	for (size_t i = 0; i < N(e820_rows); i++)
		tests[n++] = (struct CMUnitTest){ .name = e820_rows[i].name, .test_func = test_e820,
						  .initial_state = (void *)&e820_rows[i] };
	return _cmocka_run_group_tests("boot-params", tests, n, NULL, NULL);
}
