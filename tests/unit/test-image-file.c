/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * image-file.c: gzip, xz and zstd kernels are expanded; corrupt data and inputs
 * past kexec's limits are refused with the reason (an xz header may ask
 * for a 4 GiB dictionary in a few bytes).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "image-file.h"
#include "unit-helpers.h"

#define PAYLOAD_SIZE 20000

static uint8_t payload[PAYLOAD_SIZE];

static void fill_payload(void)
{
	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i % 251 ^ i / 997);
}

/* payload as an .xz file (preset 0: a 256 KiB dictionary); returns its size. */
static size_t make_xz(uint8_t *out, size_t cap)
{
	size_t pos = 0;

	assert_int_equal(lzma_easy_buffer_encode(0, LZMA_CHECK_CRC32, NULL, payload, sizeof(payload),
						 out, &pos, cap), LZMA_OK);
	return pos;
}

static uint64_t read_varint(const uint8_t *p, size_t *off)
{
	uint64_t v = 0;

	for (unsigned int shift = 0;; shift += 7) {
		uint8_t b = p[(*off)++];

		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
}

/*
 * Rewrite the LZMA2 dictionary-size property in the first block header
 * (xz file format 3.1.5: 40 means 4 GiB - 1) and its CRC32.
 */
static void set_xz_dictionary(uint8_t *xz, uint8_t dict_prop)
{
	uint8_t *bh = xz + 12;			/* after the stream header */
	size_t hdr_size = ((size_t)bh[0] + 1) * 4, off = 2;
	uint8_t flags = bh[1];
	uint32_t crc;

	assert_int_equal(flags & 0x03, 0);	/* one filter */
	if (flags & 0x40)
		read_varint(bh, &off);		/* compressed size */
	if (flags & 0x80)
		read_varint(bh, &off);		/* uncompressed size */
	assert_int_equal(read_varint(bh, &off), LZMA_FILTER_LZMA2);
	assert_int_equal(read_varint(bh, &off), 1);
	bh[off] = dict_prop;
	crc = lzma_crc32(bh, hdr_size - 4, 0);
	unit_put32(bh, hdr_size - 4, crc);
}

static char *write_input(const char *name, const void *data, size_t size, char *path, size_t cap)
{
	char *root = unit_sysroot_new();

	unit_sysroot_write_bytes(root, name, data, size);
	snprintf(path, cap, "%s/%s", root, name);
	return root;
}

static void test_xz_expands(void **state)
{
	static uint8_t xz[PAYLOAD_SIZE + 4096];
	struct image_file f;
	struct kx_error err = { 0 };
	char path[4200], *root;
	size_t size;

	(void)state;
	fill_payload();
	size = make_xz(xz, sizeof(xz));
	root = write_input("vmlinuz.xz", xz, size, path, sizeof(path));
	if (image_file_open(path, true, &f, &err))
		fail_msg("image_file_open: %s", err.msg);
	assert_string_equal(f.compression, "xz");
	assert_int_equal(f.size, sizeof(payload));
	assert_memory_equal(f.data, payload, sizeof(payload));
	image_file_close(&f);
	/* Without decompression (an initrd) the bytes stay as they are. */
	assert_int_equal(image_file_open(path, false, &f, &err), 0);
	assert_null(f.compression);
	assert_int_equal(f.size, size);
	image_file_close(&f);
	unit_sysroot_remove(root);
}

/* A header asking for a 4 GiB dictionary is refused before anything that big is allocated. */
static void test_xz_dictionary_over_limit(void **state)
{
	static uint8_t xz[PAYLOAD_SIZE + 4096];
	struct image_file f;
	struct kx_error err = { 0 };
	char path[4200], *root;
	size_t size;

	(void)state;
	fill_payload();
	size = make_xz(xz, sizeof(xz));
	set_xz_dictionary(xz, 40);
	root = write_input("huge-dict.xz", xz, size, path, sizeof(path));
	assert_int_equal(image_file_open(path, true, &f, &err), -1);
	assert_int_equal(err.status, KX_ELIMIT);
	/* 4 GiB and the decoder's few KiB, rounded up: liblzma's own count. */
	unit_assert_contains(err.msg, "huge-dict.xz: decompressing it needs 409");
	unit_assert_contains(err.msg, " MiB (its xz dictionary), more than kexec's limit of 128 MiB");
	unit_sysroot_remove(root);
}

/* 64 MiB (xz -9's dictionary) is still within the limit. */
static void test_xz_dictionary_64m_ok(void **state)
{
	static uint8_t xz[PAYLOAD_SIZE + 4096];
	struct image_file f;
	struct kx_error err = { 0 };
	char path[4200], *root;
	size_t size;

	(void)state;
	fill_payload();
	size = make_xz(xz, sizeof(xz));
	set_xz_dictionary(xz, 26);	/* 2^(26/2 + 12) = 64 MiB */
	root = write_input("dict-64m.xz", xz, size, path, sizeof(path));
	if (image_file_open(path, true, &f, &err))
		fail_msg("image_file_open: %s", err.msg);
	assert_memory_equal(f.data, payload, sizeof(payload));
	image_file_close(&f);
	unit_sysroot_remove(root);
}

static void test_xz_truncated(void **state)
{
	static uint8_t xz[PAYLOAD_SIZE + 4096];
	struct image_file f;
	struct kx_error err = { 0 };
	char path[4200], *root;
	size_t size;

	(void)state;
	fill_payload();
	size = make_xz(xz, sizeof(xz));
	root = write_input("cut.xz", xz, size / 2, path, sizeof(path));
	assert_int_equal(image_file_open(path, true, &f, &err), -1);
	assert_int_equal(err.status, KX_ETRUNCATED);
	unit_assert_contains(err.msg, "cut.xz: xz data is truncated or corrupt");
	unit_sysroot_remove(root);
}

static void test_gzip_expands(void **state)
{
	static uint8_t gz[PAYLOAD_SIZE + 4096];
	z_stream zs = { 0 };
	struct image_file f;
	struct kx_error err = { 0 };
	char path[4200], *root;

	(void)state;
	fill_payload();
	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = payload;
	zs.avail_in = sizeof(payload);
	zs.next_out = gz;
	zs.avail_out = sizeof(gz);
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	deflateEnd(&zs);
	root = write_input("vmlinuz.gz", gz, zs.total_out, path, sizeof(path));
	if (image_file_open(path, true, &f, &err))
		fail_msg("image_file_open: %s", err.msg);
	assert_string_equal(f.compression, "gzip");
	assert_int_equal(f.size, sizeof(payload));
	assert_memory_equal(f.data, payload, sizeof(payload));
	image_file_close(&f);
	unit_sysroot_remove(root);
}

/* A zstd kernel (kexec-tools 2.0.31+ takes them): expanded like the others. */
static void test_zstd_expands(void **state)
{
	static uint8_t zs[PAYLOAD_SIZE + 4096];
	struct image_file f;
	struct kx_error err = { 0 };
	char path[4200], *root;
	size_t size;

	(void)state;
	fill_payload();
	size = ZSTD_compress(zs, sizeof(zs), payload, sizeof(payload), 19);
	assert_false(ZSTD_isError(size));
	root = write_input("vmlinuz.zst", zs, size, path, sizeof(path));
	if (image_file_open(path, true, &f, &err))
		fail_msg("image_file_open: %s", err.msg);
	assert_string_equal(f.compression, "zstd");
	assert_int_equal(f.size, sizeof(payload));
	assert_memory_equal(f.data, payload, sizeof(payload));
	image_file_close(&f);
	unit_sysroot_remove(root);
}

/* Cut short or damaged: refused as truncated, nothing half-expanded is used. */
static void test_zstd_truncated_or_corrupt(void **state)
{
	static uint8_t zs[PAYLOAD_SIZE + 4096];
	ZSTD_CCtx *cctx;
	struct image_file f;
	struct kx_error err = { 0 };
	char path[4200], *root;
	size_t size;

	(void)state;
	fill_payload();
	/* With a content checksum, as the zstd tool writes by default: damage is caught. */
	cctx = ZSTD_createCCtx();
	assert_non_null(cctx);
	assert_false(ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1)));
	size = ZSTD_compress2(cctx, zs, sizeof(zs), payload, sizeof(payload));
	ZSTD_freeCCtx(cctx);
	assert_false(ZSTD_isError(size));
	root = write_input("cut.zst", zs, size / 2, path, sizeof(path));
	assert_int_equal(image_file_open(path, true, &f, &err), -1);
	assert_int_equal(err.status, KX_ETRUNCATED);
	unit_assert_contains(err.msg, "cut.zst: zstd data is truncated or corrupt");
	unit_sysroot_remove(root);
	zs[size / 2] ^= 0xff;
	zs[size / 2 + 1] ^= 0xff;
	root = write_input("bad.zst", zs, size, path, sizeof(path));
	assert_int_equal(image_file_open(path, true, &f, &err), -1);
	assert_int_equal(err.status, KX_ETRUNCATED);
	unit_assert_contains(err.msg, "bad.zst: zstd data is truncated or corrupt");
	unit_sysroot_remove(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xz_expands),
		cmocka_unit_test(test_xz_dictionary_over_limit),
		cmocka_unit_test(test_xz_dictionary_64m_ok),
		cmocka_unit_test(test_xz_truncated),
		cmocka_unit_test(test_gzip_expands),
		cmocka_unit_test(test_zstd_expands),
		cmocka_unit_test(test_zstd_truncated_or_corrupt),
	};

	return cmocka_run_group_tests_name("image-file", tests, NULL, NULL);
}
