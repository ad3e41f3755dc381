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

/*
 * Sixteen rows of sixteen 32-bit words (row = lane) into sixteen columns
 * (column = word index): within each 128-bit quarter, rows interleave by
 * word and then by 64 bits, which leaves u[4g + j] holding word 4k + j of
 * rows 4g..4g+3 in quarter k; two rounds of quarter shuffles then gather
 * quarter k of u[j], u[4 + j], u[8 + j], u[12 + j] into column 4k + j.
 */
static inline LANES_TARGET void transpose16(__m512i r[16])
{
	__m512i t[16], u[16];

	for (int i = 0; i < 16; i += 2) {
		t[i] = _mm512_unpacklo_epi32(r[i], r[i + 1]);
		t[i + 1] = _mm512_unpackhi_epi32(r[i], r[i + 1]);
	}
	for (int i = 0; i < 16; i += 4) {
		u[i] = _mm512_unpacklo_epi64(t[i], t[i + 2]);
		u[i + 1] = _mm512_unpackhi_epi64(t[i], t[i + 2]);
		u[i + 2] = _mm512_unpacklo_epi64(t[i + 1], t[i + 3]);
		u[i + 3] = _mm512_unpackhi_epi64(t[i + 1], t[i + 3]);
	}
	for (int j = 0; j < 4; j++) {
		/* Quarters 0,1 (0x44) and 2,3 (0xee) of each pair; then 0,2 (0x88) and 1,3 (0xdd). */
		__m512i p01 = _mm512_shuffle_i32x4(u[j], u[4 + j], 0x44);
		__m512i p23 = _mm512_shuffle_i32x4(u[j], u[4 + j], 0xee);
		__m512i q01 = _mm512_shuffle_i32x4(u[8 + j], u[12 + j], 0x44);
		__m512i q23 = _mm512_shuffle_i32x4(u[8 + j], u[12 + j], 0xee);

		r[j] = _mm512_shuffle_i32x4(p01, q01, 0x88);
		r[4 + j] = _mm512_shuffle_i32x4(p01, q01, 0xdd);
		r[8 + j] = _mm512_shuffle_i32x4(p23, q23, 0x88);
		r[12 + j] = _mm512_shuffle_i32x4(p23, q23, 0xdd);
	}
}

/* Words 0-15 of each lane's block at off, byte-swapped (the message is big-endian). */
static inline LANES_TARGET void load_words(__m512i w[16], const uint8_t *const lanes[16],
					   size_t off)
{
	const __m512i bswap = _mm512_set4_epi32(0x0c0d0e0f, 0x08090a0b, 0x04050607, 0x00010203);

	for (int l = 0; l < 16; l++)
		w[l] = _mm512_shuffle_epi8(VLOAD(lanes[l] + off), bswap);
	transpose16(w);
}

#include "sha256-lanes.h"

LANES_TARGET
void sha256_blocks_x16(uint32_t state[8][SHA256_MAX_LANES],
		       const uint8_t *const lanes[SHA256_MAX_LANES], size_t nblocks)
{
	compress_lanes(state, lanes, nblocks);
}
