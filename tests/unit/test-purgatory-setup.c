/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * x86-purgatory.c: the placed copy of the purgatory blob carries the
 * parameter block (purgatory-params.h) the loader fills: jump target, RSI,
 * serial port, flags, and one {addr, bufsz, sha256} per earlier segment.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "purgatory-blob.h"
#include "purgatory-params.h"
#include "sha256.h"
#include "unit-helpers.h"
#include "x86-purgatory.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)

static uint8_t seg_a[5000], seg_b[4096];

struct pg_row {
	const char *name;
	bool verify, own_tables;
	uint16_t serial;
	uint16_t flags;
	size_t nr_segments;	/* placed before purgatory */
};

static const struct pg_row rows[] = {
	{ "verify_serial_two_segments", true, false, 0x3f8, PURGATORY_VERIFY_DIGESTS, 2 },
	{ "own_page_tables_silent", false, true, 0, PURGATORY_OWN_PAGE_TABLES, 2 },
	{ "both_flags_one_segment", true, true, 0x2f8,
	  PURGATORY_VERIFY_DIGESTS | PURGATORY_OWN_PAGE_TABLES, 1 },
	{ "no_flags_no_segments", false, false, 0, 0, 0 },
};

static void test_params(void **state)
{
	const struct pg_row *row = *state;
	static struct kx_plan plan;
	static struct load_env env;
	struct purgatory_setup ps = {
		.jump_addr = 0x1000200, .rsi = 0x7ffff000, .serial_port = row->serial,
		.verify_digests = row->verify, .own_page_tables = row->own_tables,
	};
	struct kx_error err = { 0 };
	struct purgatory_params blob, got;
	const struct kx_segment *pg;
	uint64_t want_mem;

	for (size_t i = 0; i < sizeof(seg_a); i++)
		seg_a[i] = (uint8_t)(i * 13);
	memset(seg_b, 0x5a, sizeof(seg_b));
	memset(&env, 0, sizeof(env));
	mem_ranges_add(&env.allowed, 1 * MiB, 3 * GiB, MEM_RAM);
	env.allowed_name = "usable RAM";
	env.no_room_hint = "free memory";
	env.max_end = 2 * GiB;
	plan_init(&plan, &env.allowed, env.allowed_name, env.no_room_hint);
	if (row->nr_segments >= 1)
		assert_int_equal(plan_place_fixed(&plan, seg_a, sizeof(seg_a), 16 * MiB, 8 * MiB,
						  "kernel", "k", &err), 0);
	if (row->nr_segments >= 2)
		assert_int_equal(plan_place_fixed(&plan, seg_b, 100, 2 * GiB - 0x1000, 0x1000,
						  "boot_params", "built", &err), 0);

	if (x86_add_purgatory(&plan, &env, &ps, &err))
		fail_msg("x86_add_purgatory: %s", err.msg);

	memcpy(&blob, purgatory_blob, sizeof(blob));
	assert_int_equal(plan.nr, row->nr_segments + 1);
	pg = &plan.seg[row->nr_segments];
	assert_string_equal(pg->purpose, "purgatory");
	assert_int_equal(pg->bufsz, purgatory_blob_size);
	assert_int_equal(pg->memsz, kx_page_up(blob.mem_size));
	/* Top-down below max_end, under the boot_params page when there is one. */
	want_mem = (row->nr_segments >= 2 ? 2 * GiB - 0x1000 : 2 * GiB) - kx_page_up(blob.mem_size);
	assert_int_equal(pg->mem, want_mem);
	assert_int_equal(plan.entry, want_mem + blob.entry_offset);
	assert_int_equal(plan.jump_addr, 0x1000200);
	assert_int_equal(plan.jump_rsi, 0x7ffff000);
	assert_int_equal(pg->nr_digests, 1);
	/* The table prints the block from the segment's own bytes. */
	assert_ptr_equal(plan.purgatory, pg->buf);

	/* The placed copy: the parameter block at its fixed offsets. */
	assert_int_equal(unit_get32(pg->buf, 0x00), PURGATORY_PARAMS_MAGIC);
	assert_int_equal(unit_get64(pg->buf, 0x10), 0x1000200);
	assert_int_equal(unit_get64(pg->buf, 0x18), 0x7ffff000);
	assert_int_equal(unit_get16(pg->buf, 0x20), row->serial);
	assert_int_equal(unit_get16(pg->buf, 0x22), row->flags);
	assert_int_equal(unit_get32(pg->buf, 0x24), row->nr_segments);
	memcpy(&got, pg->buf, sizeof(got));
	for (size_t i = 0; i < row->nr_segments; i++) {
		uint8_t sha[32];

		sha256_digest(plan.seg[i].buf, plan.seg[i].bufsz, sha);
		assert_int_equal(got.digests[i].addr, plan.seg[i].mem);
		assert_int_equal(got.digests[i].size, plan.seg[i].bufsz);
		assert_memory_equal(got.digests[i].sha256, sha, 32);
		assert_int_equal(unit_get64(pg->buf, 0x28 + 48 * i), plan.seg[i].mem);
	}
	assert_int_equal(got.digests[0].size, row->nr_segments ? sizeof(seg_a) : 0);
	/* The rest of the blob is the blob. */
	assert_memory_equal((const uint8_t *)pg->buf + sizeof(blob), purgatory_blob + sizeof(blob),
			    purgatory_blob_size - sizeof(blob));
	/* The embedded blob itself is untouched. */
	assert_int_equal(unit_get64(purgatory_blob, 0x10), 0);
	plan_free(&plan);
}

static void test_no_room_below_max_end(void **state)
{
	static struct kx_plan plan;
	static struct load_env env;
	struct purgatory_setup ps = { .jump_addr = 0x1000200, .rsi = 0x9000 };
	struct kx_error err = { 0 };

	(void)state;
	memset(&env, 0, sizeof(env));
	/* RAM only above max_end, and one page below it. */
	mem_ranges_add(&env.allowed, 0x100000, 0x101000, MEM_RAM);
	mem_ranges_add(&env.allowed, 5 * GiB, 6 * GiB, MEM_RAM);
	env.allowed_name = "usable RAM";
	env.no_room_hint = "free memory";
	env.max_end = 4 * GiB;
	plan_init(&plan, &env.allowed, env.allowed_name, env.no_room_hint);
	assert_int_equal(x86_add_purgatory(&plan, &env, &ps, &err), -1);
	assert_int_equal(err.status, KX_ENOROOM);
	unit_assert_contains(err.msg, "no room for the purgatory");
	unit_assert_contains(err.msg, "between 0x100000 and 0x101000");
	unit_assert_contains(err.msg, "the largest free block there is 4 KiB");
	assert_int_equal(plan.nr, 0);
	assert_int_equal(plan.entry, 0);
	plan_free(&plan);
}

int main(void)
{
	struct CMUnitTest tests[N(rows) + 1];
	size_t n = 0;

	for (size_t i = 0; i < N(rows); i++)
		tests[n++] = (struct CMUnitTest){ .name = rows[i].name, .test_func = test_params,
						  .initial_state = (void *)&rows[i] };
	tests[n++] = (struct CMUnitTest){ .name = "no_room_below_max_end",
					  .test_func = test_no_room_below_max_end };
	return _cmocka_run_group_tests("purgatory-setup", tests, n, NULL, NULL);
}
