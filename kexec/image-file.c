// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "image-file.h"

#define DECOMPRESSED_MAX (1ull << 30)

/*
 * What the xz decoder may allocate, which is mostly the dictionary the file
 * header asks for: xz -9 (the largest preset) needs 65 MiB to decode.
 * Without a limit a few KiB of header can demand 4 GiB.
 */
#define XZ_MEMLIMIT (128ull << 20)

/* Room for need bytes of output, within DECOMPRESSED_MAX; err says which bound failed. */
static int grow(const struct image_file *f, uint8_t **buf, size_t *cap, size_t need,
		struct kx_error *err)
{
	size_t n = *cap ? *cap : (1 << 24);
	uint8_t *p;

	while (n < need)
		n *= 2;
	if (n > DECOMPRESSED_MAX)
		return kx_fail(err, KX_ELIMIT, "%s: decompresses to more than %llu MiB, kexec's "
			       "limit for a kernel image", f->path, DECOMPRESSED_MAX >> 20);
	p = realloc(*buf, n);
	if (!p)
		return kx_fail(err, KX_EFILE, "%s: out of memory decompressing it (%zu MiB)",
			       f->path, n >> 20);
	*buf = p;
	*cap = n;
	return 0;
}

static int gunzip(struct image_file *f, struct kx_error *err)
{
	z_stream zs = { 0 };
	uint8_t *out = NULL;
	size_t cap = 0;
	int rc;

	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return kx_fail(err, KX_EFILE, "%s: cannot start gzip decompression", f->path);
	zs.next_in = (Bytef *)f->data;
	zs.avail_in = (uInt)f->size;
	do {
		if (zs.total_out == cap && grow(f, &out, &cap, cap + 1, err)) {
			inflateEnd(&zs);
			free(out);
			return -1;
		}
		zs.next_out = out + zs.total_out;
		zs.avail_out = (uInt)(cap - zs.total_out);
		rc = inflate(&zs, Z_NO_FLUSH);
	} while (rc == Z_OK);
	inflateEnd(&zs);
	if (rc != Z_STREAM_END) {
		free(out);
		return kx_fail(err, KX_ETRUNCATED, "%s: gzip data is truncated or corrupt", f->path);
	}
	f->owned = out;
	f->data = out;
	f->size = zs.total_out;
	f->compression = "gzip";
	return 0;
}

static int unxz(struct image_file *f, struct kx_error *err)
{
	lzma_stream ls = LZMA_STREAM_INIT;
	uint8_t *out = NULL;
	size_t cap = 0;
	lzma_ret rc;

	if (lzma_stream_decoder(&ls, XZ_MEMLIMIT, 0) != LZMA_OK)
		return kx_fail(err, KX_EFILE, "%s: cannot start xz decompression", f->path);
	ls.next_in = f->data;
	ls.avail_in = f->size;
	do {
		if (ls.total_out == cap && grow(f, &out, &cap, cap + 1, err)) {
			lzma_end(&ls);
			free(out);
			return -1;
		}
		ls.next_out = out + ls.total_out;
		ls.avail_out = cap - ls.total_out;
		rc = lzma_code(&ls, LZMA_FINISH);
	} while (rc == LZMA_OK || (rc == LZMA_BUF_ERROR && ls.avail_out == 0));
	if (rc == LZMA_MEMLIMIT_ERROR) {
		uint64_t need = lzma_memusage(&ls);

		lzma_end(&ls);
		free(out);
		return kx_fail(err, KX_ELIMIT, "%s: decompressing it needs %llu MiB (its xz dictionary), "
			       "more than kexec's limit of %llu MiB; compress it with xz -9 or less",
			       f->path, (unsigned long long)((need + (1 << 20) - 1) >> 20),
			       XZ_MEMLIMIT >> 20);
	}
	lzma_end(&ls);
	if (rc != LZMA_STREAM_END) {
		free(out);
		return kx_fail(err, KX_ETRUNCATED, "%s: xz data is truncated or corrupt", f->path);
	}
	f->owned = out;
	f->data = out;
	f->size = ls.total_out;
	f->compression = "xz";
	return 0;
}

/*
 * zstd (kexec-tools 2.0.31+ takes it too).  The decoder's window is capped at
 * zstd's default limit (2^27 bytes): a frame asking for more is refused
 * rather than allowed to claim that much memory.
 */
static int unzstd(struct image_file *f, struct kx_error *err)
{
	ZSTD_DCtx *dc = ZSTD_createDCtx();
	ZSTD_inBuffer in = { f->data, f->size, 0 };
	uint8_t *out = NULL;
	size_t cap = 0, len = 0, rc = 1;

	if (!dc)
		return kx_fail(err, KX_EFILE, "%s: cannot start zstd decompression", f->path);
	for (;;) {
		ZSTD_outBuffer ob;

		if (len == cap && grow(f, &out, &cap, cap + 1, err)) {
			ZSTD_freeDCtx(dc);
			free(out);
			return -1;
		}
		ob = (ZSTD_outBuffer){ out + len, cap - len, 0 };
		rc = ZSTD_decompressStream(dc, &ob, &in);
		len += ob.pos;
		/* Done, broken, or out of input with room left (truncated: rc still > 0). */
		if (ZSTD_isError(rc) || (rc == 0 && in.pos == in.size) ||
		    (in.pos == in.size && ob.pos < ob.size))
			break;
	}
	ZSTD_freeDCtx(dc);
	if (ZSTD_isError(rc) || rc != 0) {
		free(out);
		return kx_fail(err, KX_ETRUNCATED, "%s: zstd data is truncated or corrupt%s%s", f->path,
			       ZSTD_isError(rc) ? ": " : "", ZSTD_isError(rc) ? ZSTD_getErrorName(rc) : "");
	}
	f->owned = out;
	f->data = out;
	f->size = len;
	f->compression = "zstd";
	return 0;
}

int image_file_open(const char *path, bool decompress, struct image_file *f,
		    struct kx_error *err)
{
	static const uint8_t gz_magic[2] = { 0x1f, 0x8b };
	static const uint8_t xz_magic[6] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };
	static const uint8_t zstd_magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };
	struct stat st;
	int fd, rc = 0;

	memset(f, 0, sizeof(*f));
	f->path = path;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return kx_fail(err, KX_EFILE, "cannot open %s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return kx_fail(err, KX_EFILE, "%s is not a regular file", path);
	}
	if (st.st_size > 0) {
		f->map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (f->map == MAP_FAILED) {
			int e = errno;

			close(fd);
			f->map = NULL;
			return kx_fail(err, KX_EFILE, "cannot map %s: %s", path, strerror(e));
		}
		f->map_size = (size_t)st.st_size;
	}
	close(fd);
	f->data = f->map;
	f->size = f->map_size;
	if (decompress) {
		if (f->size >= sizeof(gz_magic) && memcmp(f->data, gz_magic, sizeof(gz_magic)) == 0)
			rc = gunzip(f, err);
		else if (f->size >= sizeof(xz_magic) && memcmp(f->data, xz_magic, sizeof(xz_magic)) == 0)
			rc = unxz(f, err);
		else if (f->size >= sizeof(zstd_magic) &&
			 memcmp(f->data, zstd_magic, sizeof(zstd_magic)) == 0)
			rc = unzstd(f, err);
		if (rc) {
			image_file_close(f);
			return rc;
		}
	}
	return 0;
}

void image_file_close(struct image_file *f)
{
	if (f->map)
		munmap(f->map, f->map_size);
	free(f->owned);
	memset(f, 0, sizeof(*f));
}
