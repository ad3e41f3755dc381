/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SHA-256 block function on the x86 SHA extensions, for the loader and
 * for purgatory.
 *
 * Purgatory builds this file with -mgeneral-regs-only: the target
 * attribute turns SSE on for the block function alone, so the CPUID check
 * below stays free of XMM registers and runs before purgatory has enabled
 * SSE (purgatory/sse.c).  The caller checks sha256_have_shani() first.
 *
 * SHA256RNDS2 keeps the eight working variables as two vectors, ABEF and
 * CDGH (high lane first), and does two rounds per instruction taking
 * W+K for those rounds from the low 64 bits of its third operand.
 * SHA256MSG1/MSG2 compute the message schedule four words at a time.
 */
#include <cpuid.h>
#include <immintrin.h>

#include "sha256.h"

int sha256_have_shani(void)
{
	unsigned int eax, ebx, ecx, edx;

	if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx))
		return 0;
	if (!(ecx & bit_SSSE3) || !(ecx & bit_SSE4_1))
		return 0;
	if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx))
		return 0;
	return !!(ebx & bit_SHA);	/* leaf 7 EBX bit 29 */
}

#define SHANI_TARGET __attribute__((target("sha,sse4.1,ssse3")))

/* Four schedule words W[4g..4g+3] from the previous sixteen, held as
 * x[g-4], x[g-3], x[g-2], x[g-1]: W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16]. */
static inline SHANI_TARGET __m128i schedule4(__m128i x4, __m128i x3, __m128i x2, __m128i x1)
{
	__m128i w = _mm_sha256msg1_epu32(x4, x3);		/* W[t-16] + s0(W[t-15]) */

	w = _mm_add_epi32(w, _mm_alignr_epi8(x1, x2, 4));	/* + W[t-7] */
	return _mm_sha256msg2_epu32(w, x1);			/* + s1(W[t-2]) */
}

SHANI_TARGET
void sha256_block_shani(uint32_t state[8], const uint8_t *blocks, size_t nblocks)
{
	/* Byte-swap each 32-bit word: the message is big-endian. */
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
	__m128i dcba = _mm_loadu_si128((const __m128i *)&state[0]);
	__m128i hgfe = _mm_loadu_si128((const __m128i *)&state[4]);
	__m128i cdab = _mm_shuffle_epi32(dcba, 0xb1);
	__m128i efgh = _mm_shuffle_epi32(hgfe, 0x1b);
	__m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
	__m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xf0);

	for (; nblocks; nblocks--, blocks += SHA256_BLOCK_SIZE) {
		__m128i abef_in = abef, cdgh_in = cdgh;
		__m128i x[4];

#pragma GCC unroll 16
		for (int g = 0; g < 16; g++) {
			__m128i wk;

			if (g < 4)
				x[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 16 * g)),
							bswap);
			else
				x[g & 3] = schedule4(x[g & 3], x[(g + 1) & 3], x[(g + 2) & 3],
						     x[(g + 3) & 3]);
			wk = _mm_add_epi32(x[g & 3],
					   _mm_loadu_si128((const __m128i *)&sha256_round_k[4 * g]));
			cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
			abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0e));
		}
		abef = _mm_add_epi32(abef, abef_in);
		cdgh = _mm_add_epi32(cdgh, cdgh_in);
	}

	/* Back to a..d, e..h in memory order. */
	__m128i feba = _mm_shuffle_epi32(abef, 0x1b);
	__m128i dchg = _mm_shuffle_epi32(cdgh, 0xb1);

	_mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(feba, dchg, 0xf0));
	_mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(dchg, feba, 8));
}
