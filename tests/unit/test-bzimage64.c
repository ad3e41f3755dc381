/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kexec-bzImage64.c: the header checks, one row per field, on a synthetic
 * bzImage (unit-helpers.c), and the exact segment tables bzimage64_plan()
 * builds for a small machine.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kexec-bzImage64.h"
#include "purgatory-blob.h"
#include "purgatory-params.h"
#include "unit-helpers.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define KERNEL_SIZE 0x3000

/* ---- probe ---- */

enum edit { E_NONE, E_U8, E_U16, E_U32, E_U64, E_SIZE };

struct probe_row {
	const char *name;
	enum edit edit;
	size_t off;		/* for E_SIZE: the new file size */
	uint64_t value;
	enum kx_status status;
	const char *msg;	/* part of the message naming the field */
};

static const struct probe_row probe_rows[] = {
	{ "probe_good", E_NONE, 0, 0, KX_OK, NULL },
	{ "probe_bad_boot_flag", E_U16, 0x1fe, 0x55aa, KX_EFORMAT, "boot_flag 0x55aa (want 0xaa55)" },
	{ "probe_bad_hdrs_magic", E_U32, 0x202, 0x53726449, KX_EFORMAT, "header 0x53726449 (want \"HdrS\")" },
	{ "probe_tiny_file", E_SIZE, 0x100, 0, KX_EFORMAT, "too short (256 bytes)" },
	{ "probe_cut_before_magic", E_SIZE, 0x204, 0, KX_ETRUNCATED, "too short (516 bytes)" },
	{ "probe_cut_inside_header", E_SIZE, 0x240, 0, KX_ETRUNCATED, "truncated inside the setup header" },
	{ "probe_short_header_jump", E_U8, 0x201, 0x30, KX_EUNSUPPORTED, "setup header is only" },
	{ "probe_protocol_2_11", E_U16, 0x206, 0x020b, KX_EUNSUPPORTED, "boot protocol 2.11 is too old" },
	{ "probe_protocol_2_12_ok", E_U16, 0x206, 0x020c, KX_OK, NULL },
	{ "probe_no_loaded_high", E_U8, 0x211, 0x80, KX_EUNSUPPORTED, "LOADED_HIGH" },
	{ "probe_no_xlf_kernel_64", E_U16, 0x236, 0x0002, KX_EUNSUPPORTED, "XLF_KERNEL_64" },
	{ "probe_alignment_zero", E_U32, 0x230, 0, KX_ETRUNCATED, "kernel_alignment 0x0" },
	{ "probe_alignment_not_power_of_two", E_U32, 0x230, 0x300000, KX_ETRUNCATED,
	  "kernel_alignment 0x300000 is not a power of two" },
	{ "probe_init_size_zero", E_U32, 0x260, 0, KX_ETRUNCATED, "init_size is 0" },
	{ "probe_cmdline_size_zero", E_U32, 0x238, 0, KX_ETRUNCATED, "cmdline_size is 0" },
	{ "probe_fixed_pref_unaligned", E_U64, 0x258, 0x1000800, KX_OK, NULL },	/* relocatable: fine */
	{ "probe_syssize_too_big", E_U32, 0x1f4, KERNEL_SIZE / 16 + 1, KX_ETRUNCATED,
	  "syssize*16 12304" },
	{ "probe_setup_sects_zero_means_four", E_U8, 0x1f1, 0, KX_ETRUNCATED, "setup 2560" },
	{ "probe_setup_only", E_SIZE, UNIT_BZ_SETUP_SIZE, 0, KX_ETRUNCATED, "truncated" },
	{ "probe_payload_past_end", E_U32, 0x24c, KERNEL_SIZE - 0x100 + 1, KX_ETRUNCATED,
	  "compressed payload ends at 0x3001, the kernel part has 0x3000 bytes" },
};

static void edit_image(uint8_t *img, size_t *size, const struct probe_row *row)
{
	switch (row->edit) {
	case E_NONE: break;
	case E_U8: unit_put8(img, row->off, (uint8_t)row->value); break;
	case E_U16: unit_put16(img, row->off, (uint16_t)row->value); break;
	case E_U32: unit_put32(img, row->off, (uint32_t)row->value); break;
	case E_U64: unit_put64(img, row->off, row->value); break;
	case E_SIZE: *size = row->off; break;
	}
}

static void test_probe(void **state)
{
	const struct probe_row *row = *state;
	size_t size;
	uint8_t *img = unit_bzimage(KERNEL_SIZE, &size);
	struct image_file f = { .path = "bzImage" };
	struct kx_error err = { 0 };
	struct bzimage bz;
	int ret;

	edit_image(img, &size, row);
	f.data = img;
	f.size = size;
	ret = bzimage64_probe(&f, &bz, &err);
	if (row->status == KX_OK) {
		if (ret)
			fail_msg("probe failed: %s", err.msg);
		assert_int_equal(bz.setup_size, UNIT_BZ_SETUP_SIZE);
		assert_ptr_equal(bz.kernel, img + UNIT_BZ_SETUP_SIZE);
		assert_int_equal(bz.kernel_size, KERNEL_SIZE);
		assert_int_equal(bz.hdr_len, 0x26c - 0x1f1);
		assert_int_equal(bz.hdr.init_size, UNIT_BZ_INIT_SIZE);
		assert_int_equal(bz.hdr.kernel_alignment, 0x200000);
		assert_int_equal(bz.hdr.cmdline_size, UNIT_BZ_CMDLINE_SIZE);
		assert_int_equal(bz.hdr.payload_offset, 0x100);
		assert_int_equal(bz.hdr.payload_length, 0x200);
	} else {
		assert_int_equal(ret, -1);
		assert_int_equal(err.status, row->status);
		unit_assert_contains(err.msg, "bzImage");
		unit_assert_contains(err.msg, row->msg);
	}
	free(img);
}

/* A kernel that is not relocatable must name its unaligned pref_address. */
static void test_probe_fixed_unaligned(void **state)
{
	size_t size;
	uint8_t *img = unit_bzimage(KERNEL_SIZE, &size);
	struct image_file f = { .path = "bzImage", .data = img };
	struct kx_error err = { 0 };
	struct bzimage bz;

	(void)state;
	f.size = size;
	unit_put8(img, 0x234, 0);
	unit_put64(img, 0x258, 0x1000800);
	assert_int_equal(bzimage64_probe(&f, &bz, &err), -1);
	assert_int_equal(err.status, KX_EUNSUPPORTED);
	unit_assert_contains(err.msg, "pref_address 0x1000800");
	free(img);
}

/* ---- plan ---- */

struct want_seg {
	uint64_t mem, memsz;
	size_t bufsz;
	const char *purpose;
};

#define MAX_RAM 3

struct plan_row {
	const char *name;
	uint64_t ram[MAX_RAM][2];	/* allowed RAM */
	bool top_down;			/* an ordinary load: the kernel at the highest fit */
	size_t initrd_size;		/* 0: none */
	uint32_t initrd_addr_max;	/* 0: the image's */
	uint16_t xloadflags;		/* 0: the image's */
	uint8_t relocatable;		/* 2: the image's */
	size_t cmdline_len;		/* of 'x's */
	enum kx_status status;
	const char *msg;
	/* Expected table in placement order; boot_params and purgatory sizes are computed. */
	uint64_t kernel_mem, initrd_mem;
	uint64_t top;			/* boot_params goes just below this */
};

static const struct plan_row plan_rows[] = {
	/* An ordinary load: the highest 2 MiB aligned fit, whatever pref_address says. */
	{ "plan_kernel_top_down", { { 1 * MiB, 2 * GiB } }, true, 0, 0, 0, 2, 100,
	  KX_OK, NULL, 2 * GiB - 8 * MiB, 0, 2 * GiB - 8 * MiB },
	{ "plan_kernel_top_down_aligned", { { 1 * MiB, 0x7f900000 } }, true, 0, 0, 0, 2, 100,
	  KX_OK, NULL, 0x7f000000, 0, 0x7f900000 },
	{ "plan_kernel_top_down_skips_a_small_top", { { 1 * MiB, 0x40000000 },
	  { 0x7fc00000, 2 * GiB } }, true, 0, 0, 0, 2, 100,
	  KX_OK, NULL, 0x40000000 - 8 * MiB, 0, 2 * GiB },
	/* A crash area or an instance's reservation: the lowest. */
	{ "plan_kernel_lowest_fit", { { 1 * MiB, 2 * GiB } }, false, 0, 0, 0, 2, 100,
	  KX_OK, NULL, 0x200000, 0, 2 * GiB },
	{ "plan_kernel_lowest_aligned_fit", { { 1 * MiB, 0x9f0000 }, { 0x1300000, 2 * GiB } }, false,
	  0, 0, 0, 2, 100, KX_OK, NULL, 0x1400000, 0, 2 * GiB },
	{ "plan_initrd_top_down_below_initrd_addr_max", { { 1 * MiB, 2 * GiB } }, true, 0x5000, 0, 0, 2,
	  100, KX_OK, NULL, 2 * GiB - 8 * MiB, 0x38000000 - 0x5000, 2 * GiB - 8 * MiB },
	{ "plan_initrd_above_4g_capable_stays_below_ram_top", { { 1 * MiB, 2 * GiB } }, true, 0x4800, 0,
	  0x0003, 2, 100, KX_OK, NULL, 2 * GiB - 8 * MiB, 2 * GiB - 8 * MiB - 0x5000,
	  2 * GiB - 8 * MiB - 0x5000 },
	{ "plan_initrd_skips_ram_above_addr_max", { { 1 * MiB, 0x20000000 }, { 0x40000000, 2 * GiB } },
	  true, 0x5000, 0, 0, 2, 100, KX_OK, NULL, 2 * GiB - 8 * MiB, 0x20000000 - 0x5000,
	  2 * GiB - 8 * MiB },
	{ "plan_cmdline_at_limit", { { 1 * MiB, 2 * GiB } }, true, 0, 0, 0, 2, UNIT_BZ_CMDLINE_SIZE,
	  KX_OK, NULL, 2 * GiB - 8 * MiB, 0, 2 * GiB - 8 * MiB },
	{ "plan_cmdline_too_long", { { 1 * MiB, 2 * GiB } }, true, 0, 0, 0, 2, UNIT_BZ_CMDLINE_SIZE + 1,
	  KX_ECMDLINE, "command line is 2048 bytes; bzImage accepts at most 2047", 0, 0, 0 },
	{ "plan_initrd_does_not_fit", { { 1 * MiB, 2 * GiB } }, true, 32 * MiB, 0x01ffffff, 0, 2, 100,
	  KX_ENOROOM, "no room for the initrd (32 MiB, 4 KiB aligned) in usable RAM between 0x100000 and "
	  "0x2000000: the largest free block there is 31 MiB", 0, 0, 0 },
	{ "plan_fixed_kernel_taken", { { 1 * MiB, 0x1200000 }, { 0x1400000, 2 * GiB } }, true, 0, 0, 0,
	  0, 100, KX_ENOROOM, "the kernel is not relocatable and must run at [0x1000000, 0x1800000)",
	  0, 0, 0 },
	{ "plan_fixed_kernel_at_pref_address", { { 1 * MiB, 2 * GiB } }, true, 0, 0, 0, 0, 100,
	  KX_OK, NULL, UNIT_BZ_PREF_ADDRESS, 0, 2 * GiB },
	{ "plan_kernel_no_room", { { 1 * MiB, 0x800000 } }, true, 0, 0, 0, 2, 100,
	  KX_ENOROOM, "no room for the kernel (8 MiB, 2 MiB aligned)", 0, 0, 0 },
};

static void print_plan(const struct kx_plan *plan)
{
	for (size_t i = 0; i < plan->nr; i++)
		print_message("  seg %zu: mem %#llx memsz %#llx bufsz %#zx %s\n", i,
			      (unsigned long long)plan->seg[i].mem,
			      (unsigned long long)plan->seg[i].memsz, plan->seg[i].bufsz,
			      plan->seg[i].purpose);
}

static void assert_table(const struct kx_plan *plan, const struct want_seg *want, size_t nr)
{
	if (plan->nr != nr) {
		print_plan(plan);
		fail_msg("%zu segments, want %zu", plan->nr, nr);
	}
	for (size_t i = 0; i < nr; i++) {
		const struct kx_segment *s = &plan->seg[i];

		if (s->mem != want[i].mem || s->memsz != want[i].memsz || s->bufsz != want[i].bufsz ||
		    strcmp(s->purpose, want[i].purpose) != 0) {
			print_plan(plan);
			fail_msg("segment %zu: want mem %#llx memsz %#llx bufsz %#zx %s", i,
				 (unsigned long long)want[i].mem, (unsigned long long)want[i].memsz,
				 want[i].bufsz, want[i].purpose);
		}
	}
}

static void test_plan(void **state)
{
	const struct plan_row *row = *state;
	static struct load_env env;
	static struct load_request req;
	static struct kx_plan plan;
	struct purgatory_params pp;
	struct image_file kernel = { .path = "bzImage" }, initrd = { .path = "initrd.img" };
	struct kx_error err = { 0 };
	struct want_seg want[4];
	size_t size, nr = 0, bp_bufsz;
	uint8_t *img = unit_bzimage(KERNEL_SIZE, &size);
	uint8_t *rd = NULL;
	uint64_t bp_mem, pg_memsz;
	int ret;

	if (row->initrd_addr_max)
		unit_put32(img, 0x22c, row->initrd_addr_max);
	if (row->xloadflags)
		unit_put16(img, 0x236, row->xloadflags);
	if (row->relocatable != 2)
		unit_put8(img, 0x234, row->relocatable);
	kernel.data = img;
	kernel.size = size;

	memset(&env, 0, sizeof(env));
	for (size_t i = 0; i < MAX_RAM && row->ram[i][1]; i++)
		assert_int_equal(mem_ranges_add(&env.allowed, row->ram[i][0], row->ram[i][1], MEM_RAM), 0);
	env.allowed_name = "usable RAM";
	env.no_room_hint = "free memory";
	env.max_end = 4 * GiB;
	env.kernel_top_down = row->top_down;
	mem_ranges_add(&env.e820, 0, 0x9fc00, MEM_RAM);
	mem_ranges_add(&env.e820, 0x9fc00, 0x100000, MEM_RESERVED);
	mem_ranges_add(&env.e820, 0x100000, 2 * GiB, MEM_RAM);
	env.totalram_bytes = 2 * GiB;

	memset(&req, 0, sizeof(req));
	req.kernel = &kernel;
	memset(req.cmdline, 'x', row->cmdline_len);
	req.verify_digests = true;
	if (row->initrd_size) {
		rd = calloc(1, row->initrd_size);
		assert_non_null(rd);
		initrd.data = rd;
		initrd.size = row->initrd_size;
		req.initrd = &initrd;
	}

	plan_init(&plan, &env.allowed, env.allowed_name, env.no_room_hint);
	ret = bzimage64_plan(&kernel, &req, &env, &plan, &err);
	if (row->status != KX_OK) {
		assert_int_equal(ret, -1);
		assert_int_equal(err.status, row->status);
		unit_assert_contains(err.msg, row->msg);
		goto out;
	}
	if (ret)
		fail_msg("plan failed: %s", err.msg);

	memcpy(&pp, purgatory_blob, sizeof(pp));
	pg_memsz = kx_page_up(pp.mem_size);
	bp_bufsz = (4096 + row->cmdline_len + 1 + 15) & ~(size_t)15;
	bp_mem = row->top - kx_page_up(bp_bufsz);
	want[nr++] = (struct want_seg){ row->kernel_mem, UNIT_BZ_INIT_SIZE, KERNEL_SIZE, "kernel" };
	if (row->initrd_size)
		want[nr++] = (struct want_seg){ row->initrd_mem, kx_page_up(row->initrd_size),
						row->initrd_size, "initrd" };
	want[nr++] = (struct want_seg){ bp_mem, kx_page_up(bp_bufsz), bp_bufsz, "boot_params" };
	want[nr++] = (struct want_seg){ bp_mem - pg_memsz, pg_memsz, purgatory_blob_size, "purgatory" };
	assert_table(&plan, want, nr);

	assert_int_equal(plan.entry, bp_mem - pg_memsz + pp.entry_offset);
	assert_int_equal(plan.jump_addr, row->kernel_mem + 0x200);
	assert_int_equal(plan.jump_rsi, bp_mem);
	/* The zero page points at the command line right after it, and at the initrd. */
	assert_int_equal(unit_get32(plan.seg[nr - 2].buf, 0x228), bp_mem + 4096);
	assert_int_equal(unit_get32(plan.seg[nr - 2].buf, 0x218), row->initrd_mem);
	assert_int_equal(unit_get32(plan.seg[nr - 2].buf, 0x21c), row->initrd_size);
	assert_int_equal(unit_get32(plan.seg[nr - 2].buf, 0x214), row->kernel_mem);
	assert_int_equal(((const uint8_t *)plan.seg[nr - 2].buf)[4096 + row->cmdline_len], 0);
	assert_int_equal(((const uint8_t *)plan.seg[nr - 2].buf)[4096 + row->cmdline_len - 1], 'x');
out:
	plan_free(&plan);
	free(rd);
	free(img);
}

/*
 * pref_address + init_size wraps past 2^64: a relocatable kernel is simply
 * relocated (once it was "free" and the plan check refused it), and a fixed
 * one is refused for what it is.
 */
static void test_plan_pref_address_wraps(void **state)
{
	static struct load_env env;
	static struct load_request req;
	static struct kx_plan plan;
	struct image_file kernel = { .path = "bzImage" };
	struct kx_error err = { 0 };
	size_t size;
	uint8_t *img = unit_bzimage(KERNEL_SIZE, &size);

	(void)state;
	unit_put64(img, 0x258, 0xffffffffffc00000ull);	/* + init_size 8 MiB wraps */
	kernel.data = img;
	kernel.size = size;
	memset(&env, 0, sizeof(env));
	assert_int_equal(mem_ranges_add(&env.allowed, 1 * MiB, 2 * GiB, MEM_RAM), 0);
	assert_int_equal(mem_ranges_add(&env.e820, 0, 2 * GiB, MEM_RAM), 0);
	env.allowed_name = "usable RAM";
	env.no_room_hint = "free memory";
	env.max_end = 4 * GiB;
	env.kernel_top_down = true;
	memset(&req, 0, sizeof(req));
	req.kernel = &kernel;

	plan_init(&plan, &env.allowed, env.allowed_name, env.no_room_hint);
	if (bzimage64_plan(&kernel, &req, &env, &plan, &err))
		fail_msg("plan failed: %s", err.msg);
	assert_string_equal(plan.seg[0].purpose, "kernel");
	assert_int_equal(plan.seg[0].mem, 2 * GiB - 8 * MiB);	/* the highest fit */
	assert_int_equal(plan.seg[0].memsz, UNIT_BZ_INIT_SIZE);
	plan_free(&plan);

	unit_put8(img, 0x234, 0);	/* not relocatable */
	plan_init(&plan, &env.allowed, env.allowed_name, env.no_room_hint);
	assert_int_equal(bzimage64_plan(&kernel, &req, &env, &plan, &err), -1);
	assert_int_equal(err.status, KX_ENOROOM);
	unit_assert_contains(err.msg, "the kernel must go at 0xffffffffffc00000 with 0x800000 bytes, "
			     "which ends past the top of the address space");
	plan_free(&plan);
	free(img);
}

int main(void)
{
	struct CMUnitTest tests[N(probe_rows) + N(plan_rows) + 2];
	size_t n = 0;

	ROWS(probe_rows, test_probe);
	tests[n++] = (struct CMUnitTest){ .name = "probe_fixed_pref_address_unaligned",
					  .test_func = test_probe_fixed_unaligned };
	ROWS(plan_rows, test_plan);
	tests[n++] = (struct CMUnitTest){ .name = "plan_pref_address_wraps",
					  .test_func = test_plan_pref_address_wraps };
	return _cmocka_run_group_tests("bzimage64", tests, n, NULL, NULL);
}
