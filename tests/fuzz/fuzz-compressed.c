// SPDX-License-Identifier: GPL-2.0-only
/*
 * Compressed kernels: any bytes as a kernel file.  gzip, xz and zstd
 * expand within kexec's limits (1 GiB out, 128 MiB of xz decoder, zstd's
 * 2^27-byte window) or fail with a reason; anything else is passed through
 * untouched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz-common.h"
#include "image-file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fd = -1;
static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t gz[2] = { 0x1f, 0x8b }, xz[6] = { 0xfd, '7', 'z', 'X', 'Z', 0 };
	static const uint8_t zst[4] = { 0x28, 0xb5, 0x2f, 0xfd };
	struct image_file f;
	struct kx_error err = { .status = KX_OK };
	bool is_gz = size >= 2 && memcmp(data, gz, 2) == 0;
	bool is_xz = size >= 6 && memcmp(data, xz, 6) == 0;
	bool is_zst = size >= 4 && memcmp(data, zst, 4) == 0;
	const char *want = is_gz ? "gzip" : is_xz ? "xz" : is_zst ? "zstd" : NULL;

	if (fd < 0) {
		fd = memfd_create("fuzz-kernel", 0);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	if (image_file_open(path, true, &f, &err)) {
		fuzz_check_failure(&err);
		FUZZ_ASSERT(want, "an uncompressed file was refused: %s", err.msg);
		return 0;
	}
	FUZZ_ASSERT(f.size <= (1ull << 30), "decompressed to %zu bytes", f.size);
	if (want) {
		FUZZ_ASSERT(f.compression && strcmp(f.compression, want) == 0,
			    "compression %s", f.compression ? f.compression : "none");
	} else {
		FUZZ_ASSERT(!f.compression && f.size == size &&
			    (size == 0 || memcmp(f.data, data, size) == 0),
			    "an uncompressed file was changed");
	}
	image_file_close(&f);
	return 0;
}
