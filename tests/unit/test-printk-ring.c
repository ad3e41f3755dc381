/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * printk-ring.c on rings written as Linux 6.12 writes them (prb-sim.c):
 * empty, a few records, text positions wrapping past 2^64, records
 * spanning the text ring's end, a full descriptor ring, descriptors in
 * each state, and corrupt ids, positions and headers.  Every read goes
 * through a reader that refuses anything outside the simulated memory;
 * none may be refused unless the test corrupts a pointer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "printk-ring.h"
#include "prb-sim.h"
#include "unit-helpers.h"

static uint8_t mem[SIM_SIZE];

struct seen {
	size_t n;
	uint64_t seq[512];
	int level[512];
	int facility[512];
	char text[512][128];
};

static int collect(void *ctx, const struct printk_record *rec)
{
	struct seen *s = ctx;

	assert_true(s->n < 512);
	s->seq[s->n] = rec->seq;
	s->level[s->n] = rec->level;
	s->facility[s->n] = rec->facility;
	assert_true(rec->text_len < sizeof(s->text[0]));
	memcpy(s->text[s->n], rec->text, rec->text_len + 1);
	s->n++;
	return 0;
}

static int walk(struct prb_sim *sim, uint64_t min_seq, struct seen *seen, struct prb_stats *st,
		unsigned long *refused)
{
	struct prb_sim_reader rr = { .mem = mem };
	struct prb_reader r = { .read = prb_sim_read, .ctx = &rr, .mem_bytes = SIM_SIZE };
	char why[256] = "";
	int rc;

	memset(seen, 0, sizeof(*seen));
	rc = prb_walk(&sim->l, &r, min_seq, collect, seen, st, why, sizeof(why));
	if (refused)
		*refused = rr.refused;
	else
		assert_int_equal(rr.refused, 0);
	return rc;
}

static void empty_ring_has_no_records(void **state)
{
	struct prb_sim sim;
	struct prb_stats st;
	struct seen seen;

	(void)state;
	prb_sim_init(&sim, mem, 5, 10);
	assert_int_equal(walk(&sim, 0, &seen, &st, NULL), 0);
	assert_int_equal(seen.n, 0);
	assert_int_equal(st.reusable, 1);	/* the placeholder */
	assert_int_equal(st.data_size, 1024);
	assert_int_equal(st.descs, 32);
}

static void records_in_order_with_levels(void **state)
{
	static const char *const lines[] = { "Linux version 6.12.57", "", "Command line: console=ttyS1",
					     "Run /init as init process" };
	struct prb_sim sim;
	struct prb_stats st;
	struct seen seen;

	(void)state;
	prb_sim_init(&sim, mem, 5, 12);
	for (size_t i = 0; i < N(lines); i++)
		prb_sim_append(&sim, lines[i], PRB_FINALIZED, (int)i + 3);
	assert_int_equal(walk(&sim, 0, &seen, &st, NULL), 0);
	assert_int_equal(seen.n, N(lines));
	for (size_t i = 0; i < N(lines); i++) {
		assert_string_equal(seen.text[i], lines[i]);
		assert_int_equal(seen.seq[i], i);
		assert_int_equal(seen.level[i], (int)i + 3);
	}
	/* min_seq: a follower asks only for what it has not printed */
	assert_int_equal(walk(&sim, 2, &seen, &st, NULL), 0);
	assert_int_equal(seen.n, 2);
	assert_string_equal(seen.text[0], lines[2]);
}

/*
 * The facility byte beside the level (a /dev/kmsg writer's, "<14>": user),
 * and the newest seq a walk saw, reported also when min_seq is past it: a
 * follower's sign that the ring started over.
 */
static void facility_and_newest_seq(void **state)
{
	static const uint8_t facilities[] = { 0, 1, 16, 255 };
	struct prb_sim sim;
	struct prb_stats st;
	struct seen seen;

	(void)state;
	prb_sim_init(&sim, mem, 5, 12);
	for (size_t i = 0; i < N(facilities); i++) {
		sim.facility = facilities[i];
		prb_sim_append(&sim, "line", PRB_FINALIZED, (int)i + 4);
	}
	assert_int_equal(walk(&sim, 0, &seen, &st, NULL), 0);
	assert_int_equal(seen.n, N(facilities));
	for (size_t i = 0; i < N(facilities); i++) {
		assert_int_equal(seen.facility[i], facilities[i]);
		assert_int_equal(seen.level[i], (int)i + 4);
	}
	assert_true(st.have_newest);
	assert_int_equal(st.newest_seq, 3);
	/* past the newest: nothing handed over, the newest still told */
	assert_int_equal(walk(&sim, 100, &seen, &st, NULL), 0);
	assert_int_equal(seen.n, 0);
	assert_true(st.have_newest);
	assert_int_equal(st.newest_seq, 3);
	/* a record still being written is not the newest complete one */
	prb_sim_append(&sim, "half", PRB_RESERVED, 6);
	assert_int_equal(walk(&sim, 0, &seen, &st, NULL), 0);
	assert_int_equal(st.newest_seq, 3);
	/* an empty ring has none */
	prb_sim_init(&sim, mem, 5, 12);
	assert_int_equal(walk(&sim, 0, &seen, &st, NULL), 0);
	assert_false(st.have_newest);
}

/*
 * 300 records of 40-50 bytes through a 1 KiB text ring: positions start
 * at -1024 and cross 2^64, blocks start over at index 0 many times, and
 * only the newest records survive, each exactly as written.
 */
static void wrap_around_keeps_the_newest_intact(void **state)
{
	struct prb_sim sim;
	struct prb_stats st;
	struct seen seen;
	char line[64];

	(void)state;
	prb_sim_init(&sim, mem, 6, 10);
	for (int i = 0; i < 300; i++) {
		snprintf(line, sizeof(line), "record %d %.*s", i, i % 11, "xxxxxxxxxxxxxxxx");
		prb_sim_append(&sim, line, PRB_FINALIZED, 6);
	}
	assert_true(sim.wrapped >= 3);
	assert_int_equal(walk(&sim, 0, &seen, &st, NULL), 0);
	assert_true(seen.n >= 15 && seen.n < 64);
	for (size_t i = 0; i < seen.n; i++) {
		int k = 300 - (int)seen.n + (int)i;

		snprintf(line, sizeof(line), "record %d %.*s", k, k % 11, "xxxxxxxxxxxxxxxx");
		assert_string_equal(seen.text[i], line);
		assert_int_equal(seen.seq[i], (uint64_t)k);
	}
	assert_int_equal(st.bad, 0);
}

/* A block that would cross the ring's end starts at index 0; its text is read from there. */
static void record_spanning_the_end(void **state)
{
	struct prb_sim sim;
	struct prb_stats st;
	struct seen seen;
	uint64_t id, begin, next;

	(void)state;
	prb_sim_init(&sim, mem, 5, 8);		/* 256 bytes */
	prb_sim_append(&sim, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", PRB_FINALIZED, 6);
	prb_sim_append(&sim, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", PRB_FINALIZED, 6);
	id = prb_sim_append(&sim, "this one does not fit before the end", PRB_FINALIZED, 6);
	assert_int_equal(sim.wrapped, 1);
	memcpy(&begin, mem + prb_sim_desc(&sim, id) + 8, 8);
	memcpy(&next, mem + prb_sim_desc(&sim, id) + 16, 8);
	assert_true((begin & 255) + (next - begin) > 256);	/* it does cross */
	assert_int_equal(walk(&sim, 0, &seen, &st, NULL), 0);
	assert_int_equal(seen.n, 2);	/* the a's were overwritten by the wrap */
	assert_string_equal(seen.text[1], "this one does not fit before the end");
	assert_int_equal(seen.text[0][0], 'b');
}

/* Every slot used: count records, no more, the oldest given up. */
static void full_descriptor_ring(void **state)
{
	struct prb_sim sim;
	struct prb_stats st;
	struct seen seen;
	char line[32];

	(void)state;
	prb_sim_init(&sim, mem, 3, 12);
	for (int i = 0; i < 20; i++) {
		snprintf(line, sizeof(line), "r%d", i);
		prb_sim_append(&sim, line, PRB_FINALIZED, 6);
	}
	assert_int_equal((sim.head_id - sim.tail_id) & PRB_SV_ID_MASK, 7);
	assert_int_equal(walk(&sim, 0, &seen, &st, NULL), 0);
	assert_int_equal(seen.n, 8);
	assert_string_equal(seen.text[0], "r12");
	assert_string_equal(seen.text[7], "r19");
}

/* reserved (a writer mid-way) and reusable are skipped; committed and finalized are read. */
static void descriptor_states(void **state)
{
	struct prb_sim sim;
	struct prb_stats st;
	struct seen seen;

	(void)state;
	prb_sim_init(&sim, mem, 5, 12);
	prb_sim_append(&sim, "finalized", PRB_FINALIZED, 6);
	prb_sim_append(&sim, "given up", PRB_REUSABLE, 6);
	prb_sim_append(&sim, "committed", PRB_COMMITTED, 6);
	prb_sim_append(&sim, "half writ", PRB_RESERVED, 6);
	assert_int_equal(walk(&sim, 0, &seen, &st, NULL), 0);
	assert_int_equal(seen.n, 2);
	assert_string_equal(seen.text[0], "finalized");
	assert_string_equal(seen.text[1], "committed");
	assert_int_equal(st.in_flight, 1);
	assert_int_equal(st.reusable, 2);	/* with the placeholder */
}

/* An empty line has no block (EMPTY_LINE_LPOS); lost text (FAILED_LPOS) is skipped. */
static void dataless_records(void **state)
{
	struct prb_sim sim;
	struct prb_stats st;
	struct seen seen;
	uint64_t a, b;

	(void)state;
	prb_sim_init(&sim, mem, 5, 12);
	a = prb_sim_append(&sim, "x", PRB_FINALIZED, 6);
	b = prb_sim_append(&sim, "y", PRB_FINALIZED, 6);
	memcpy(mem + prb_sim_desc(&sim, a) + 8, &(uint64_t){ 3 }, 8);
	memcpy(mem + prb_sim_desc(&sim, a) + 16, &(uint64_t){ 3 }, 8);
	memcpy(mem + prb_sim_desc(&sim, b) + 8, &(uint64_t){ 1 }, 8);
	memcpy(mem + prb_sim_desc(&sim, b) + 16, &(uint64_t){ 1 }, 8);
	assert_int_equal(walk(&sim, 0, &seen, &st, NULL), 0);
	assert_int_equal(seen.n, 1);
	assert_string_equal(seen.text[0], "");
	assert_int_equal(st.bad, 1);
}

/* Corruption costs the records it touches, never a read outside the memory. */
struct corrupt_row {
	const char *name;
	size_t where;		/* 0 desc begin, 1 desc next, 2 state id, 3 block id, 4 text_len */
	uint64_t value;
	size_t expect_n;	/* records of the three still read */
};

static const struct corrupt_row corrupt_rows[] = {
	{ "begin past next", 0, 0x1000, 2 },
	{ "begin two wraps behind", 0, 0xffffffffffff0000ull, 2 },
	{ "begin unaligned", 0, 0x13, 2 },
	{ "next far ahead", 1, 0x7fffffffffffff00ull, 2 },
	{ "state word of another id", 2, 0x8000000000000005ull, 2 },
	{ "block id of another record", 3, 42, 2 },
	{ "text_len larger than the block", 4, 0xffff, 3 },
};

static void test_corrupt(void **state)
{
	const struct corrupt_row *row = *state;
	struct prb_sim sim;
	struct prb_stats st;
	struct seen seen;
	uint64_t id, begin;

	prb_sim_init(&sim, mem, 5, 12);
	prb_sim_append(&sim, "one", PRB_FINALIZED, 6);
	id = prb_sim_append(&sim, "two", PRB_FINALIZED, 6);
	prb_sim_append(&sim, "three", PRB_FINALIZED, 6);
	memcpy(&begin, mem + prb_sim_desc(&sim, id) + 8, 8);
	switch (row->where) {
	case 0: case 1:
		memcpy(mem + prb_sim_desc(&sim, id) + 8 + 8 * row->where, &row->value, 8);
		break;
	case 2:
		memcpy(mem + prb_sim_desc(&sim, id), &row->value, 8);
		break;
	case 3:
		memcpy(mem + SIM_DATA + (begin & 4095), &row->value, 8);
		break;
	case 4:
		memcpy(mem + prb_sim_info(&sim, id) + 16, &(uint16_t){ (uint16_t)row->value }, 2);
		break;
	}
	assert_int_equal(walk(&sim, 0, &seen, &st, NULL), 0);
	assert_int_equal(seen.n, row->expect_n);
	assert_string_equal(seen.text[seen.n - 1], "three");
	if (row->expect_n == 3)
		assert_string_equal(seen.text[1], "two");	/* the block bounds the text */
}

/* A tail_id far behind the head is bounded by the ring's size: count reads, no more. */
static void tail_id_far_behind(void **state)
{
	struct prb_sim sim;
	struct prb_stats st;
	struct seen seen;

	(void)state;
	prb_sim_init(&sim, mem, 5, 12);
	prb_sim_append(&sim, "last", PRB_FINALIZED, 6);
	memcpy(mem + SIM_RING + 32, &(uint64_t){ 12345 }, 8);
	assert_int_equal(walk(&sim, 0, &seen, &st, NULL), 0);
	assert_int_equal(seen.n, 1);
	assert_int_equal(st.records + st.in_flight + st.reusable + st.bad + st.unreadable, 32);
}

/* Headers out of bounds: the walk stops with why, before any record. */
static void corrupt_headers(void **state)
{
	struct prb_sim_reader rr = { .mem = mem };
	struct prb_reader r = { .read = prb_sim_read, .ctx = &rr, .mem_bytes = SIM_SIZE };
	struct prb_sim sim;
	struct prb_stats st;
	struct seen seen;
	char why[256];

	(void)state;
	prb_sim_init(&sim, mem, 5, 12);
	prb_sim_append(&sim, "x", PRB_FINALIZED, 6);
	memcpy(mem + SIM_RING, &(uint32_t){ 40 }, 4);		/* count_bits */
	assert_int_equal(prb_walk(&sim.l, &r, 0, collect, &seen, &st, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "count_bits 40"));
	/* more descriptors than the kernel's memory could hold: a 2^31 walk never starts */
	prb_sim_init(&sim, mem, 5, 12);
	memcpy(mem + SIM_RING, &(uint32_t){ 13 }, 4);		/* 8192 x 112 bytes > 512 KiB */
	assert_int_equal(prb_walk(&sim.l, &r, 0, collect, &seen, &st, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "8192 descriptors and 4096 bytes of text do not fit"));
	prb_sim_init(&sim, mem, 5, 12);
	memcpy(mem + SIM_RING + 48, &(uint32_t){ 20 }, 4);	/* size_bits: 1 MiB of text */
	assert_int_equal(prb_walk(&sim.l, &r, 0, collect, &seen, &st, why, sizeof(why)), -1);
	prb_sim_init(&sim, mem, 5, 12);
	memcpy(mem + SIM_PRB, &(uint64_t){ 0xffffffff81000000ull }, 8);	/* prb points away */
	assert_int_equal(prb_walk(&sim.l, &r, 0, collect, &seen, &st, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "cannot read the printk ring"));
	assert_true(rr.refused > 0);
}

/* Pointers to the descriptors or text outside the memory: refused reads, no records. */
static void pointers_outside(void **state)
{
	struct prb_sim sim;
	struct prb_stats st;
	struct seen seen;
	unsigned long refused;

	(void)state;
	prb_sim_init(&sim, mem, 5, 12);
	prb_sim_append(&sim, "x", PRB_FINALIZED, 6);
	prb_sim_append(&sim, "y", PRB_FINALIZED, 6);
	memcpy(mem + SIM_RING + 48 + 8, &(uint64_t){ SIM_VA + SIM_SIZE - 4 }, 8);	/* data */
	assert_int_equal(walk(&sim, 0, &seen, &st, &refused), 0);
	assert_int_equal(seen.n, 0);
	assert_int_equal(st.unreadable, 2);
	assert_true(refused >= 2);
}

static int stop_at_two(void *ctx, const struct printk_record *rec)
{
	(void)rec;
	return ++*(int *)ctx == 2 ? 7 : 0;
}

static void callback_stops_the_walk(void **state)
{
	struct prb_sim_reader rr = { .mem = mem };
	struct prb_reader r = { .read = prb_sim_read, .ctx = &rr, .mem_bytes = SIM_SIZE };
	struct prb_sim sim;
	struct prb_stats st;
	char why[64];
	int calls = 0;

	(void)state;
	prb_sim_init(&sim, mem, 5, 12);
	for (int i = 0; i < 5; i++)
		prb_sim_append(&sim, "z", PRB_FINALIZED, 6);
	assert_int_equal(prb_walk(&sim.l, &r, 0, stop_at_two, &calls, &st, why, sizeof(why)), 7);
	assert_int_equal(calls, 2);
}

int main(void)
{
	struct CMUnitTest tests[N(corrupt_rows) + 13];
	size_t n = 0;

	/* A walk that no longer ends (a bound lost) fails here in a minute, not never. */
	alarm(60);

	tests[n++] = (struct CMUnitTest)cmocka_unit_test(empty_ring_has_no_records);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(records_in_order_with_levels);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(facility_and_newest_seq);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(wrap_around_keeps_the_newest_intact);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(record_spanning_the_end);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(full_descriptor_ring);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(descriptor_states);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(dataless_records);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(tail_id_far_behind);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(corrupt_headers);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(pointers_outside);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(callback_stops_the_walk);
	ROWS(corrupt_rows, test_corrupt);
	return _cmocka_run_group_tests("printk-ring", tests, n, NULL, NULL);
}
