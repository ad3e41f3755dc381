/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Eight or sixteen independent SHA-256 messages at once, one per 32-bit
 * lane of a 256-bit (ymm) or 512-bit (zmm) vector, with AVX-512: its
 * rotate and three-input logic instructions make a round 17 vector
 * operations.  Loader only.  The rounds are sha256-lanes.h; this file
 * gathers each lane's block into words and checks the CPU.
 *
 * Why: SHA-NI computes two rounds per SHA256RNDS2, and on the CPUs this
 * loader was measured on that instruction's throughput caps one message
 * at ~1.2-1.3 GB/s per core, interleaving a second message or not.  The
 * plain vector units are idle meanwhile: eight lanes of ymm run at
 * ~1.9 GB/s per core (three ports take 256-bit operations), sixteen lanes
 * of zmm at ~2.9 GB/s (two ports, twice the width).  The loader hashes a
 * big initrd as many independent chunks (each one a digest purgatory
 * checks), so there are messages to fill the lanes with.
 */
#include <cpuid.h>
#include <immintrin.h>

#include "sha256.h"

/* XCR0 bits the OS must have enabled: SSE, AVX, opmask, ZMM upper halves, ZMM16-31. */
#define XCR0_AVX512_STATE	0xe6u

int sha256_lanes_width(void)
{
	unsigned int eax, ebx, ecx, edx, xcr0_lo, xcr0_hi;

	if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & bit_OSXSAVE))
		return 0;
	__asm__("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
	(void)xcr0_hi;
	if ((xcr0_lo & XCR0_AVX512_STATE) != XCR0_AVX512_STATE)
		return 0;
	if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) ||
	    !(ebx & bit_AVX512F) || !(ebx & bit_AVX512VL))
		return 0;
	return (ebx & bit_AVX512BW) ? 16 : 8;	/* zmm byte shuffles need BW */
}

/* ---- eight lanes of ymm ---- */

#define LANES_TARGET	__attribute__((target("avx2,avx512f,avx512vl")))
#define vec		__m256i
#define VADD		_mm256_add_epi32
#define VROR		_mm256_ror_epi32
#define VSRL		_mm256_srli_epi32
#define VTERN		_mm256_ternarylogic_epi32
#define VSET1		_mm256_set1_epi32
#define VLOAD(p)	_mm256_loadu_si256((const __m256i *)(p))
#define VSTORE(p, v)	_mm256_storeu_si256((__m256i *)(p), (v))
#define VUNPACKLO32	_mm256_unpacklo_epi32
#define VUNPACKHI32	_mm256_unpackhi_epi32
#define VUNPACKLO64	_mm256_unpacklo_epi64
#define VUNPACKHI64	_mm256_unpackhi_epi64

#include "sha256-lanes.h"

/*
 * Words 0-15 of each lane's block at off, byte-swapped (the message is
 * big-endian), as columns: for each half of the block, eight rows (one
 * per lane) are interleaved and then the 128-bit halves are swapped.
 */
static inline LANES_TARGET void load_words(__m256i w[16],
					   const uint8_t *const lanes[SHA256_MAX_LANES], size_t off)
{
	const __m256i bswap = _mm256_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL,
						0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);

	for (int half = 0; half < 2; half++) {
		__m256i r[8];

		for (int l = 0; l < 8; l++)
			r[l] = _mm256_shuffle_epi8(VLOAD(lanes[l] + off + 32 * half), bswap);
		interleave_rows(r, 8);
		for (int j = 0; j < 4; j++) {
			w[8 * half + j] = _mm256_permute2x128_si256(r[j], r[4 + j], 0x20);
			w[8 * half + 4 + j] = _mm256_permute2x128_si256(r[j], r[4 + j], 0x31);
		}
	}
}

LANES_TARGET
void sha256_blocks_x8(uint32_t state[8][SHA256_MAX_LANES],
		      const uint8_t *const lanes[SHA256_MAX_LANES], size_t nblocks)
{
	compress_lanes(state, lanes, nblocks);
}
