/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The loader's SHA-256 entry points: SHA-NI when the CPU has it, the
 * portable block function otherwise.  Loader only (uses cpuid).
 */
#include "sha256.h"

void sha256_init_fast(struct sha256_ctx *ctx)
{
	/* cpuid is cheap next to hashing a segment; no cached global needed. */
	sha256_init_with(ctx, sha256_have_shani() ? sha256_block_shani : sha256_block_generic);
}

void sha256_digest(const void *data, size_t size, uint8_t out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx ctx;

	sha256_init_fast(&ctx);
	sha256_update(&ctx, data, size);
	sha256_final(&ctx, out);
}
