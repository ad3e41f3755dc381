/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Sixteen independent SHA-256 messages at once on zmm registers: the
 * rounds of sha256-lanes.h with AVX-512F and BW (see sha256-x8.c for why
 * and for the CPU check).  Loader only.
 */
#include <immintrin.h>

#include "sha256.h"

#define LANES_TARGET	__attribute__((target("avx512f,avx512bw")))
#define vec		__m512i
#define VADD		_mm512_add_epi32
#define VROR		_mm512_ror_epi32
#define VSRL		_mm512_srli_epi32
#define VTERN		_mm512_ternarylogic_epi32
#define VSET1		_mm512_set1_epi32
#define VLOAD(p)	_mm512_loadu_si512((const void *)(p))
#define VSTORE(p, v)	_mm512_storeu_si512((void *)(p), (v))
#define VUNPACKLO32	_mm512_unpacklo_epi32
#define VUNPACKHI32	_mm512_unpackhi_epi32
#define VUNPACKLO64	_mm512_unpacklo_epi64
#define VUNPACKHI64	_mm512_unpackhi_epi64

#include "sha256-lanes.h"

/*
 * Words 0-15 of each lane's block at off, byte-swapped (the message is
 * big-endian), as columns.  After interleave_rows(), column 4k + j is
 * quarter k of r[j], r[4 + j], r[8 + j], r[12 + j]: two rounds of quarter
 * shuffles gather them.
 */
static inline LANES_TARGET void load_words(__m512i w[16],
					   const uint8_t *const lanes[SHA256_MAX_LANES], size_t off)
{
	const __m512i bswap = _mm512_set4_epi32(0x0c0d0e0f, 0x08090a0b, 0x04050607, 0x00010203);
	__m512i r[16];

	for (int l = 0; l < 16; l++)
		r[l] = _mm512_shuffle_epi8(VLOAD(lanes[l] + off), bswap);
	interleave_rows(r, 16);
	for (int j = 0; j < 4; j++) {
		/* Quarters 0,1 (0x44) and 2,3 (0xee) of each pair; then 0,2 (0x88) and 1,3 (0xdd). */
		__m512i p01 = _mm512_shuffle_i32x4(r[j], r[4 + j], 0x44);
		__m512i p23 = _mm512_shuffle_i32x4(r[j], r[4 + j], 0xee);
		__m512i q01 = _mm512_shuffle_i32x4(r[8 + j], r[12 + j], 0x44);
		__m512i q23 = _mm512_shuffle_i32x4(r[8 + j], r[12 + j], 0xee);

		w[j] = _mm512_shuffle_i32x4(p01, q01, 0x88);
		w[4 + j] = _mm512_shuffle_i32x4(p01, q01, 0xdd);
		w[8 + j] = _mm512_shuffle_i32x4(p23, q23, 0x88);
		w[12 + j] = _mm512_shuffle_i32x4(p23, q23, 0xdd);
	}
}

LANES_TARGET
void sha256_blocks_x16(uint32_t state[8][SHA256_MAX_LANES],
		       const uint8_t *const lanes[SHA256_MAX_LANES], size_t nblocks)
{
	compress_lanes(state, lanes, nblocks);
}
