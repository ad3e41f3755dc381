/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Portable SHA-256 (FIPS 180-4).
 *
 * Built twice: into the loader with the host flags, and into purgatory
 * with freestanding flags (no SSE, no libc).  So: no writable globals, no
 * pointers in initialised data, and only __builtin_memcpy/__builtin_memset,
 * which purgatory backs with its own memcpy/memset when gcc emits a call.
 */
#include "sha256.h"

/* FIPS 180-4 section 4.2.2: first 32 bits of the fractional parts of the
 * cube roots of the first 64 primes. */
const uint32_t sha256_round_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t ror32(uint32_t x, unsigned int n)
{
	return (x >> n) | (x << (32 - n));
}

static inline uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

void sha256_block_generic(uint32_t state[8], const uint8_t *blocks, size_t nblocks)
{
	uint32_t w[64];

	for (; nblocks; nblocks--, blocks += SHA256_BLOCK_SIZE) {
		uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
		uint32_t e = state[4], f = state[5], g = state[6], h = state[7];

		for (int t = 0; t < 16; t++)
			w[t] = load_be32(blocks + 4 * t);
		for (int t = 16; t < 64; t++) {
			uint32_t s0 = ror32(w[t - 15], 7) ^ ror32(w[t - 15], 18) ^ (w[t - 15] >> 3);
			uint32_t s1 = ror32(w[t - 2], 17) ^ ror32(w[t - 2], 19) ^ (w[t - 2] >> 10);

			w[t] = w[t - 16] + s0 + w[t - 7] + s1;
		}
		for (int t = 0; t < 64; t++) {
			uint32_t S1 = ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25);
			uint32_t ch = (e & f) ^ (~e & g);
			uint32_t t1 = h + S1 + ch + sha256_round_k[t] + w[t];
			uint32_t S0 = ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22);
			uint32_t maj = (a & b) ^ (a & c) ^ (b & c);

			h = g;
			g = f;
			f = e;
			e = d + t1;
			d = c;
			c = b;
			b = a;
			a = t1 + S0 + maj;
		}
		state[0] += a;
		state[1] += b;
		state[2] += c;
		state[3] += d;
		state[4] += e;
		state[5] += f;
		state[6] += g;
		state[7] += h;
	}
}

void sha256_init_with(struct sha256_ctx *ctx, sha256_block_fn *block)
{
	/* FIPS 180-4 section 5.3.3: square roots of the first 8 primes. */
	ctx->state[0] = 0x6a09e667;
	ctx->state[1] = 0xbb67ae85;
	ctx->state[2] = 0x3c6ef372;
	ctx->state[3] = 0xa54ff53a;
	ctx->state[4] = 0x510e527f;
	ctx->state[5] = 0x9b05688c;
	ctx->state[6] = 0x1f83d9ab;
	ctx->state[7] = 0x5be0cd19;
	ctx->total_size = 0;
	ctx->block = block;
}

void sha256_init(struct sha256_ctx *ctx)
{
	sha256_init_with(ctx, sha256_block_generic);
}

void sha256_update(struct sha256_ctx *ctx, const void *data, size_t size)
{
	const uint8_t *p = data;
	size_t used = ctx->total_size % SHA256_BLOCK_SIZE;

	ctx->total_size += size;
	if (used) {
		size_t take = SHA256_BLOCK_SIZE - used;

		if (take > size)
			take = size;
		__builtin_memcpy(ctx->buf + used, p, take);
		p += take;
		size -= take;
		if (used + take < SHA256_BLOCK_SIZE)
			return;
		ctx->block(ctx->state, ctx->buf, 1);
	}
	if (size >= SHA256_BLOCK_SIZE) {
		size_t nblocks = size / SHA256_BLOCK_SIZE;

		ctx->block(ctx->state, p, nblocks);
		p += nblocks * SHA256_BLOCK_SIZE;
		size -= nblocks * SHA256_BLOCK_SIZE;
	}
	if (size)
		__builtin_memcpy(ctx->buf, p, size);
}

void sha256_final(struct sha256_ctx *ctx, uint8_t out[SHA256_DIGEST_SIZE])
{
	uint64_t bit_size = ctx->total_size * 8;
	size_t used = ctx->total_size % SHA256_BLOCK_SIZE;

	/* FIPS 180-4 section 5.1.1: 0x80, zeros, then the 64-bit bit length,
	 * spilling into a second block when fewer than 9 bytes are left. */
	ctx->buf[used++] = 0x80;
	if (used > SHA256_BLOCK_SIZE - 8) {
		__builtin_memset(ctx->buf + used, 0, SHA256_BLOCK_SIZE - used);
		ctx->block(ctx->state, ctx->buf, 1);
		used = 0;
	}
	__builtin_memset(ctx->buf + used, 0, SHA256_BLOCK_SIZE - 8 - used);
	store_be32(ctx->buf + 56, (uint32_t)(bit_size >> 32));
	store_be32(ctx->buf + 60, (uint32_t)bit_size);
	ctx->block(ctx->state, ctx->buf, 1);

	for (int i = 0; i < 8; i++)
		store_be32(out + 4 * i, ctx->state[i]);
	__builtin_memset(ctx, 0, sizeof(*ctx));
}

void sha256_digest_generic(const void *data, size_t size, uint8_t out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, data, size);
	sha256_final(&ctx, out);
}
