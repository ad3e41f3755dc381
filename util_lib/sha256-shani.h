/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The SHA-NI building blocks shared by sha256-shani.c (one message, also
 * built into purgatory) and sha256-shani-x2.c (two messages interleaved,
 * loader only).  Everything here is static inline with the target
 * attribute, so purgatory's -mgeneral-regs-only build gets XMM code only
 * inside its SHA-NI block function.
 *
 * SHA256RNDS2 keeps the eight working variables as two vectors, ABEF and
 * CDGH (high lane first), and does two rounds per instruction taking
 * W+K for those rounds from the low 64 bits of its third operand.
 * SHA256MSG1/MSG2 compute the message schedule four words at a time.
 */
#ifndef UTIL_SHA256_SHANI_H
#define UTIL_SHA256_SHANI_H

#include <immintrin.h>

#include "sha256.h"

#define SHANI_TARGET __attribute__((target("sha,sse4.1,ssse3")))

/* Four schedule words W[4g..4g+3] from the previous sixteen, held as
 * x[g-4], x[g-3], x[g-2], x[g-1]: W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16]. */
static inline SHANI_TARGET __m128i schedule4(__m128i x4, __m128i x3, __m128i x2, __m128i x1)
{
	__m128i w = _mm_sha256msg1_epu32(x4, x3);		/* W[t-16] + s0(W[t-15]) */

	w = _mm_add_epi32(w, _mm_alignr_epi8(x1, x2, 4));	/* + W[t-7] */
	return _mm_sha256msg2_epu32(w, x1);			/* + s1(W[t-2]) */
}

/* a..h in memory order into ABEF and CDGH. */
static inline SHANI_TARGET void shani_load_state(const uint32_t state[8], __m128i *abef,
						 __m128i *cdgh)
{
	__m128i dcba = _mm_loadu_si128((const __m128i *)&state[0]);
	__m128i hgfe = _mm_loadu_si128((const __m128i *)&state[4]);
	__m128i cdab = _mm_shuffle_epi32(dcba, 0xb1);
	__m128i efgh = _mm_shuffle_epi32(hgfe, 0x1b);

	*abef = _mm_alignr_epi8(cdab, efgh, 8);
	*cdgh = _mm_blend_epi16(efgh, cdab, 0xf0);
}

/* Back to a..d, e..h in memory order. */
static inline SHANI_TARGET void shani_store_state(uint32_t state[8], __m128i abef, __m128i cdgh)
{
	__m128i feba = _mm_shuffle_epi32(abef, 0x1b);
	__m128i dchg = _mm_shuffle_epi32(cdgh, 0xb1);

	_mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(feba, dchg, 0xf0));
	_mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(dchg, feba, 8));
}

/* Rounds 4g..4g+3 of block; x[] carries the schedule from one group to the next. */
static inline SHANI_TARGET void shani_rounds4(__m128i *abef, __m128i *cdgh, __m128i x[4],
					      const uint8_t *block, int g)
{
	/* Byte-swap each 32-bit word: the message is big-endian. */
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
	__m128i wk;

	if (g < 4)
		x[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 16 * g)), bswap);
	else
		x[g & 3] = schedule4(x[g & 3], x[(g + 1) & 3], x[(g + 2) & 3], x[(g + 3) & 3]);
	wk = _mm_add_epi32(x[g & 3], _mm_loadu_si128((const __m128i *)&sha256_round_k[4 * g]));
	*cdgh = _mm_sha256rnds2_epu32(*cdgh, *abef, wk);
	*abef = _mm_sha256rnds2_epu32(*abef, *cdgh, _mm_shuffle_epi32(wk, 0x0e));
}

#endif /* UTIL_SHA256_SHANI_H */
