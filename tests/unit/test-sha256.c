/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SHA-256: the NIST vectors, the padding boundaries, and SHA-NI against
 * the portable block function.
 *
 * Each vector row is a pattern repeated to a length, checked three ways:
 * portable one-shot, streaming in awkward chunk sizes, and the loader's
 * dispatching sha256_digest().  Expected digests are the FIPS 180-2
 * appendix values and, for the boundary rows, Python's hashlib.
 *
 * The lane engines (AVX-512; two messages on SHA-NI) and the batch that
 * feeds them are checked against the portable code: lanes of unequal
 * lengths and alignments, tails, one message or more than the lanes hold,
 * one worker or several at once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <pthread.h>

#include "sha256.h"

struct vector_row {
	const char *name;
	const char *pattern;	/* repeated cyclically */
	size_t size;		/* message bytes */
	const char *sha256_hex;
};

#define BOUNDARY_PATTERN "0123456789abcdefghijklmnopqrstuvwxyz"

static const struct vector_row vector_rows[] = {
	{ "nist_empty", "", 0,
	  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "nist_abc", "abc", 3,
	  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "nist_448_bits", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ "nist_896_bits",
	  "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
	  "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", 112,
	  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	{ "nist_million_a", "a", 1000000,
	  "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" },
	/* 55: padding fits; 56: length spills into a second block; 64: exact block. */
	{ "boundary_55", BOUNDARY_PATTERN, 55,
	  "e16d47de25004cfd0a1de56f71fca1be9884e4d68d8379a95565b24e8c50e2ec" },
	{ "boundary_56", BOUNDARY_PATTERN, 56,
	  "7f1df9709d444c6bf40fdf3ff64416a58eec249c006f8acf3941038113b164fd" },
	{ "boundary_57", BOUNDARY_PATTERN, 57,
	  "9769fc7a510929951908dcd4245dae6690af0efb472f8902d8807fe0c3782762" },
	{ "boundary_63", BOUNDARY_PATTERN, 63,
	  "4979773f034382afc67876e511dd21b26278352b42cf09f3e4cf13411cf49ab8" },
	{ "boundary_64", BOUNDARY_PATTERN, 64,
	  "1f2e90cd341d31f06e6f75ff39b53af7bd1ad366c374ab9f3744f402041b8a71" },
	{ "boundary_65", BOUNDARY_PATTERN, 65,
	  "e29e158ad40678c67c0baed4b5a79e77701d41e54a1f6925bce9291a925b33f9" },
	{ "boundary_119", BOUNDARY_PATTERN, 119,
	  "ca6da265e4aa46fc87e7895f1b9fe18af18bfba2cecfbd42bb6787fff54a4296" },
	{ "boundary_120", BOUNDARY_PATTERN, 120,
	  "1b1673cac38b50f86758e39d763c2f32d737abcbb3509cd2c818f7c897b999f9" },
	{ "boundary_128", BOUNDARY_PATTERN, 128,
	  "674b5952a9de1c0af9aa799b8e77dc73593bbbca595b8aa0ac263f3fc1670638" },
	{ "boundary_129", BOUNDARY_PATTERN, 129,
	  "52a8390a79674bb47596a1b6cf2520fc21181a46931e26d28db112591a13335a" },
};

static uint8_t *make_message(const char *pattern, size_t size)
{
	size_t plen = strlen(pattern);
	uint8_t *msg = malloc(size ? size : 1);

	assert_non_null(msg);
	for (size_t i = 0; i < size; i++)
		msg[i] = (uint8_t)pattern[i % plen];
	return msg;
}

static void to_hex(const uint8_t digest[SHA256_DIGEST_SIZE], char hex[2 * SHA256_DIGEST_SIZE + 1])
{
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
}

static void assert_digest(const uint8_t digest[SHA256_DIGEST_SIZE], const char *want_hex)
{
	char hex[2 * SHA256_DIGEST_SIZE + 1];

	to_hex(digest, hex);
	assert_string_equal(hex, want_hex);
}

static void test_vector(void **state)
{
	const struct vector_row *row = *state;
	static const size_t chunks[] = { 1, 7, 63, 64, 65, 4096 };
	uint8_t *msg = make_message(row->pattern, row->size);
	uint8_t digest[SHA256_DIGEST_SIZE];

	sha256_digest_generic(msg, row->size, digest);
	assert_digest(digest, row->sha256_hex);

	sha256_digest(msg, row->size, digest);
	assert_digest(digest, row->sha256_hex);

	for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		struct sha256_ctx ctx;

		sha256_init(&ctx);
		for (size_t off = 0; off < row->size; off += chunks[c]) {
			size_t n = row->size - off < chunks[c] ? row->size - off : chunks[c];

			sha256_update(&ctx, msg + off, n);
		}
		sha256_final(&ctx, digest);
		assert_digest(digest, row->sha256_hex);
	}
	free(msg);
}

/* SHA-NI rows: every length in [min, max] at every misalignment 0..15. */
struct agree_row {
	const char *name;
	size_t min_size, max_size, step;
};

static const struct agree_row agree_rows[] = {
	{ "shani_agrees_sizes_0_to_300", 0, 300, 1 },
	{ "shani_agrees_sizes_to_64k", 301, 65536, 997 },
	{ "shani_agrees_4_mib", 4u << 20, 4u << 20, 1 },
};

static void test_shani_agrees(void **state)
{
	const struct agree_row *row = *state;
	uint8_t *buf;

	if (!sha256_have_shani())
		skip();
	buf = malloc(row->max_size + 16);
	assert_non_null(buf);
	for (size_t i = 0; i < row->max_size + 16; i++)
		buf[i] = (uint8_t)(i * 131 + (i >> 8) * 7 + 1);

	for (size_t size = row->min_size; size <= row->max_size; size += row->step) {
		for (size_t align = 0; align < 16; align++) {
			uint8_t want[SHA256_DIGEST_SIZE], got[SHA256_DIGEST_SIZE];
			struct sha256_ctx ctx;

			sha256_digest_generic(buf + align, size, want);
			sha256_init_with(&ctx, sha256_block_shani);
			sha256_update(&ctx, buf + align, size);
			sha256_final(&ctx, got);
			if (memcmp(want, got, sizeof(want)) != 0)
				fail_msg("SHA-NI differs at size %zu, misalignment %zu", size, align);
		}
	}
	free(buf);
}

/* Many blocks in one call must equal one block per call. */
static void test_shani_multiblock(void **state)
{
	uint8_t blocks[5 * SHA256_BLOCK_SIZE];
	uint32_t one[8], many[8], generic[8];

	(void)state;
	if (!sha256_have_shani())
		skip();
	for (size_t i = 0; i < sizeof(blocks); i++)
		blocks[i] = (uint8_t)(0xa5 ^ i);
	for (int i = 0; i < 8; i++)
		one[i] = many[i] = generic[i] = sha256_round_k[i];	/* any start state */
	for (int b = 0; b < 5; b++)
		sha256_block_shani(one, blocks + b * SHA256_BLOCK_SIZE, 1);
	sha256_block_shani(many, blocks, 5);
	sha256_block_generic(generic, blocks, 5);
	assert_memory_equal(one, many, sizeof(one));
	assert_memory_equal(generic, many, sizeof(many));
}

/* The state of lane l (word-major) as a plain state[8]. */
static void lane_state(uint32_t state[8][SHA256_MAX_LANES], size_t l, uint32_t out[8])
{
	for (int w = 0; w < 8; w++)
		out[w] = state[w][l];
}

/* map_ahead's calls, as a bitmap of the 64-byte blocks of batch_buf they covered
 * (batch tests only: NULL otherwise). */
static const uint8_t *batch_buf;
static size_t batch_buf_size;
static uint8_t *batch_mapped;

/* map_ahead calls outside the messages, and blocks read before map_ahead saw them. */
static size_t map_errors;

static void record_map_ahead(const void *data, size_t size)
{
	size_t off = (size_t)((const uint8_t *)data - batch_buf);

	if (off + size > batch_buf_size) {	/* counted: this may run on a worker thread */
		__atomic_fetch_add(&map_errors, 1, __ATOMIC_RELAXED);
		return;
	}
	for (size_t b = off / 64; b < (off + size + 63) / 64; b++)
		__atomic_store_n(&batch_mapped[b], 1, __ATOMIC_RELAXED);
}

static bool mapped(const uint8_t *at)
{
	return __atomic_load_n(&batch_mapped[(size_t)(at - batch_buf) / 64], __ATOMIC_RELAXED);
}

/* The engine's contract, one lane at a time with the portable block function. */
static void lanes_generic(uint32_t state[8][SHA256_MAX_LANES],
			  const uint8_t *const lanes[SHA256_MAX_LANES], size_t nblocks)
{
	for (size_t l = 0; l < SHA256_MAX_LANES; l++) {
		uint32_t one[8];

		/* In a batch, map_ahead saw every block before a lane reads it
		 * (counted, not failed: this may run on a worker thread). */
		for (size_t b = 0; batch_mapped && b < nblocks; b++)
			if (!mapped(lanes[l] + b * SHA256_BLOCK_SIZE))
				__atomic_fetch_add(&map_errors, 1, __ATOMIC_RELAXED);
		lane_state(state, l, one);
		sha256_block_generic(one, lanes[l], nblocks);
		for (int w = 0; w < 8; w++)
			state[w][l] = one[w];
	}
}

static uint8_t *patterned(size_t size)
{
	uint8_t *buf = malloc(size);

	assert_non_null(buf);
	for (size_t i = 0; i < size; i++)
		buf[i] = (uint8_t)(i * 167 + (i >> 9) * 13 + 5);
	return buf;
}

/* A lane engine: each lane its own bytes, misalignment and start state. */
static void test_lanes_agree(int width, sha256_lanes_fn *fn, int available)
{
	static const size_t counts[] = { 0, 1, 2, 5, 17 };
	uint8_t *buf;

	if (!available)
		skip();
	buf = patterned(SHA256_MAX_LANES * 17 * SHA256_BLOCK_SIZE + 7 * SHA256_MAX_LANES);
	for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		uint32_t got[8][SHA256_MAX_LANES], want[8][SHA256_MAX_LANES];
		const uint8_t *lanes[SHA256_MAX_LANES];

		for (size_t l = 0; l < SHA256_MAX_LANES; l++) {
			lanes[l] = buf + l * 17 * SHA256_BLOCK_SIZE + l * 7;
			for (int w = 0; w < 8; w++)
				got[w][l] = want[w][l] = sha256_round_k[(4 * l + w) & 63];
		}
		fn(got, lanes, counts[c]);
		lanes_generic(want, lanes, counts[c]);
		for (int w = 0; w < 8; w++)
			for (int l = 0; l < SHA256_MAX_LANES; l++)
				/* A lane past the engine's width is not its to touch. */
				if (got[w][l] != (l < width ? want[w][l] : sha256_round_k[(4 * l + w) & 63]))
					fail_msg("%d lanes: lane %d differs at %zu blocks", width, l,
						 counts[c]);
	}
	free(buf);
}

static void test_x8_agrees(void **state)
{
	(void)state;
	test_lanes_agree(8, sha256_blocks_x8, sha256_lanes_width() >= 8);
}

static void test_x16_agrees(void **state)
{
	(void)state;
	test_lanes_agree(16, sha256_blocks_x16, sha256_lanes_width() >= 16);
}

static void test_shani_x2_agrees(void **state)
{
	(void)state;
	test_lanes_agree(2, sha256_blocks_shani_x2, sha256_have_shani());
}

/*
 * Message lengths for the batch: empty, around a block, around the
 * shortest message given a lane (64 blocks), around 1 MiB, and long
 * ones; each at its own misalignment.
 */
static const size_t batch_sizes[] = {
	0, 1, 55, 64, 65, 4095, 4096, 4097, 4159, 8192 + 63, 65536 + 13,
	(1u << 20) - 64, (1u << 20) + 1, (3u << 20) + 100, 777777, 2000000,
	123457, 1u << 20, 300001, 4096 * 70 + 3,
};
#define NR_BATCH (sizeof(batch_sizes) / sizeof(batch_sizes[0]))

struct batch_row {
	const char *name;
	int engine;		/* 0: none, 1: portable lanes, 2: x8, 3: x16, 4: init_fast, 5: SHA-NI x2 */
	size_t lanes;		/* per worker */
	size_t first, nr;	/* messages: batch_sizes[first..first + nr) */
	size_t workers;		/* threads calling sha256_batch_work at once */
};

static const struct batch_row batch_rows[] = {
	{ "batch_one_at_a_time", 0, 1, 0, NR_BATCH, 1 },
	{ "batch_lanes_one_message", 1, 8, 13, 1, 1 },
	{ "batch_lanes_twenty_in_eight", 1, 8, 0, NR_BATCH, 1 },
	{ "batch_lanes_twenty_in_sixteen", 1, 16, 0, NR_BATCH, 1 },
	{ "batch_lanes_twenty_in_three_two_workers", 1, 3, 0, NR_BATCH, 2 },
	{ "batch_x8_one_message", 2, 8, 13, 1, 1 },
	{ "batch_x8_eight_long_messages", 2, 8, 10, 8, 1 },
	{ "batch_x8_twenty_three_workers", 2, 8, 0, NR_BATCH, 3 },
	{ "batch_x8_five_lanes", 2, 5, 0, NR_BATCH, 2 },
	{ "batch_x16_one_message", 3, 16, 13, 1, 1 },
	{ "batch_x16_twenty_one_worker", 3, 16, 0, NR_BATCH, 1 },
	{ "batch_x16_twelve_lanes_two_workers", 3, 12, 0, NR_BATCH, 2 },
	{ "batch_shani_x2_one_message", 5, 2, 13, 1, 1 },
	{ "batch_shani_x2_twenty_two_workers", 5, 2, 0, NR_BATCH, 2 },
	{ "batch_fast_twenty_one_worker", 4, 0, 0, NR_BATCH, 1 },
	{ "batch_fast_twenty_two_workers", 4, 0, 0, NR_BATCH, 2 },
	{ "batch_fast_twenty_three_workers", 4, 0, 0, NR_BATCH, 3 },
	{ "batch_fast_eight_two_workers", 4, 0, 10, 8, 2 },	/* 4 each: SHA-NI x2 here */
};

static void *batch_thread(void *batch)
{
	sha256_batch_work(batch);
	return NULL;
}

static void test_batch(void **state)
{
	const struct batch_row *row = *state;
	struct sha256_msg msgs[NR_BATCH];
	uint8_t out[NR_BATCH][SHA256_DIGEST_SIZE], want[SHA256_DIGEST_SIZE];
	const uint8_t *data[NR_BATCH];
	pthread_t threads[3];
	struct sha256_batch batch;
	size_t off = 0;

	if ((row->engine == 2 && sha256_lanes_width() < 8) ||
	    (row->engine == 3 && sha256_lanes_width() < 16) ||
	    (row->engine == 5 && !sha256_have_shani()))
		skip();
	for (size_t i = 0; i < row->nr; i++)
		off += batch_sizes[row->first + i] + 16;
	batch_buf_size = off;
	batch_buf = patterned(off);
	batch_mapped = calloc(off / 64 + 1, 1);
	map_errors = 0;
	assert_non_null(batch_mapped);
	off = 0;
	for (size_t i = 0; i < row->nr; i++) {
		data[i] = batch_buf + off + i % 16;
		msgs[i] = (struct sha256_msg){ data[i], batch_sizes[row->first + i], out[i] };
		off += batch_sizes[row->first + i] + 16;
	}
	if (row->engine == 4)
		sha256_batch_init_fast(&batch, msgs, row->nr, row->workers);
	else
		sha256_batch_init(&batch, msgs, row->nr, row->lanes,
				  row->engine == 5 ? sha256_blocks_shani_x2 :
				  row->engine == 3 ? sha256_blocks_x16 :
				  row->engine == 2 ? sha256_blocks_x8 :
				  row->engine == 1 ? lanes_generic : NULL);
	batch.map_ahead = record_map_ahead;
	/* Longest first: the order messages are started in. */
	for (size_t i = 1; i < row->nr; i++)
		assert_true(batch.msgs[i - 1].size >= batch.msgs[i].size);
	for (size_t t = 1; t < row->workers; t++)
		assert_int_equal(pthread_create(&threads[t - 1], NULL, batch_thread, &batch), 0);
	sha256_batch_work(&batch);
	for (size_t t = 1; t < row->workers; t++)
		pthread_join(threads[t - 1], NULL);
	assert_int_equal(map_errors, 0);

	for (size_t i = 0; i < row->nr; i++) {
		size_t size = batch_sizes[row->first + i];

		sha256_digest_generic(data[i], size, want);
		if (memcmp(out[i], want, sizeof(want)) != 0)
			fail_msg("message %zu (%zu bytes) hashed wrong", i, size);
		/* Every byte of a message given a lane or hashed alone was mapped ahead. */
		if (size < 64 * SHA256_BLOCK_SIZE && row->engine != 0)
			continue;
		for (size_t b = 0; b < size; b += 64) {
			size_t at = (size_t)(data[i] + b - batch_buf);

			if (!mapped(batch_buf + at))
				fail_msg("message %zu: byte %zu was not mapped ahead", i, b);
		}
	}
	free(batch_mapped);
	free((void *)batch_buf);
	batch_mapped = NULL;
}

#define NR_VECTORS (sizeof(vector_rows) / sizeof(vector_rows[0]))
#define NR_AGREE (sizeof(agree_rows) / sizeof(agree_rows[0]))

int main(void)
{
	struct CMUnitTest tests[NR_VECTORS + NR_AGREE + 4 + sizeof(batch_rows) / sizeof(batch_rows[0])];
	size_t n = 0;

	for (size_t i = 0; i < NR_VECTORS; i++)
		tests[n++] = (struct CMUnitTest){
			.name = vector_rows[i].name,
			.test_func = test_vector,
			.initial_state = (void *)&vector_rows[i],
		};
	for (size_t i = 0; i < NR_AGREE; i++)
		tests[n++] = (struct CMUnitTest){
			.name = agree_rows[i].name,
			.test_func = test_shani_agrees,
			.initial_state = (void *)&agree_rows[i],
		};
	tests[n++] = (struct CMUnitTest){ .name = "shani_multiblock", .test_func = test_shani_multiblock };
	tests[n++] = (struct CMUnitTest){ .name = "x8_agrees", .test_func = test_x8_agrees };
	tests[n++] = (struct CMUnitTest){ .name = "x16_agrees", .test_func = test_x16_agrees };
	tests[n++] = (struct CMUnitTest){ .name = "shani_x2_agrees", .test_func = test_shani_x2_agrees };
	for (size_t i = 0; i < sizeof(batch_rows) / sizeof(batch_rows[0]); i++)
		tests[n++] = (struct CMUnitTest){
			.name = batch_rows[i].name,
			.test_func = test_batch,
			.initial_state = (void *)&batch_rows[i],
		};

	return _cmocka_run_group_tests("sha256", tests, n, NULL, NULL);
}
