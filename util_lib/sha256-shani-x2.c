/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Two independent messages at once on SHA-NI, their rounds interleaved:
 * each message's SHA256RNDS2 waits on its own previous one, so a second
 * message fills those waits.  The batch's lane engine for a CPU with
 * SHA-NI but without AVX-512 (or too few messages for its lanes).
 * Loader only.  Measured on the Xeon of README's figures (bench/sha256-speed,
 * CPU time): 1.61-1.65 GB/s per core against 1.32-1.40 for one message.
 */
#include "sha256-shani.h"

SHANI_TARGET
void sha256_blocks_shani_x2(uint32_t state[8][SHA256_MAX_LANES],
			    const uint8_t *const lanes[SHA256_MAX_LANES], size_t nblocks)
{
	uint32_t s0[8], s1[8];
	__m128i abef0, cdgh0, abef1, cdgh1;

	for (int w = 0; w < 8; w++) {
		s0[w] = state[w][0];
		s1[w] = state[w][1];
	}
	shani_load_state(s0, &abef0, &cdgh0);
	shani_load_state(s1, &abef1, &cdgh1);
	for (size_t off = 0; off < nblocks * SHA256_BLOCK_SIZE; off += SHA256_BLOCK_SIZE) {
		__m128i abef0_in = abef0, cdgh0_in = cdgh0, abef1_in = abef1, cdgh1_in = cdgh1;
		__m128i x0[4], x1[4];

#pragma GCC unroll 16
		for (int g = 0; g < 16; g++) {
			shani_rounds4(&abef0, &cdgh0, x0, lanes[0] + off, g);
			shani_rounds4(&abef1, &cdgh1, x1, lanes[1] + off, g);
		}
		abef0 = _mm_add_epi32(abef0, abef0_in);
		cdgh0 = _mm_add_epi32(cdgh0, cdgh0_in);
		abef1 = _mm_add_epi32(abef1, abef1_in);
		cdgh1 = _mm_add_epi32(cdgh1, cdgh1_in);
	}
	shani_store_state(s0, abef0, cdgh0);
	shani_store_state(s1, abef1, cdgh1);
	for (int w = 0; w < 8; w++) {
		state[w][0] = s0[w];
		state[w][1] = s1[w];
	}
}
