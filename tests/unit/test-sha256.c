/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SHA-256: the NIST vectors, the padding boundaries, and SHA-NI against
 * the portable block function.
 *
 * Each vector row is a pattern repeated to a length, checked three ways:
 * portable one-shot, streaming in awkward chunk sizes, and the loader's
 * dispatching sha256_digest().  Expected digests are the FIPS 180-2
 * appendix values and, for the boundary rows, Python's hashlib.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

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

#define NR_VECTORS (sizeof(vector_rows) / sizeof(vector_rows[0]))
#define NR_AGREE (sizeof(agree_rows) / sizeof(agree_rows[0]))

int main(void)
{
	struct CMUnitTest tests[NR_VECTORS + NR_AGREE + 1];
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

	return _cmocka_run_group_tests("sha256", tests, n, NULL, NULL);
}
