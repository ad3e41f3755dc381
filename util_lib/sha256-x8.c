/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Eight independent SHA-256 messages at once, one per 32-bit lane of a
 * 256-bit vector, with AVX-512VL (for the rotate and the three-input
 * logic instruction on 256-bit vectors).  Loader only.
 *
 * Why: SHA-NI computes two rounds per SHA256RNDS2, and on the CPUs this
 * loader was measured on that instruction's throughput caps one message
 * at ~1.3 GB/s per core, interleaving a second message or not.  The
 * plain vector units have three ports to spare; FIPS 180-4's rounds on
 * eight lanes run at ~2 GB/s per core.  The loader hashes a big initrd as
 * many independent chunks (each one a digest purgatory checks), so there
 * are always several messages to fill the lanes with.
 *
 * The state is word-major: state[w][lane] is working variable w (a..h) of
 * that lane, so one 256-bit load gives one variable for all eight lanes.
 */
#include <cpuid.h>
#include <immintrin.h>

#include "sha256.h"

/* XCR0 bits the OS must have enabled: SSE, AVX, opmask, ZMM upper halves, ZMM16-31. */
#define XCR0_AVX512_STATE	0xe6u

int sha256_have_x8(void)
{
	unsigned int eax, ebx, ecx, edx, xcr0_lo, xcr0_hi;

	if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & bit_OSXSAVE))
		return 0;
	__asm__("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
	(void)xcr0_hi;
	if ((xcr0_lo & XCR0_AVX512_STATE) != XCR0_AVX512_STATE)
		return 0;
	if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx))
		return 0;
	return (ebx & bit_AVX512F) && (ebx & bit_AVX512VL);
}

#define X8_TARGET __attribute__((target("avx2,avx512f,avx512vl")))

#define ROR(x, n)	_mm256_ror_epi32((x), (n))
/* vpternlogd truth tables, indexed by (x << 2 | y << 1 | z). */
#define XOR3(x, y, z)	_mm256_ternarylogic_epi32((x), (y), (z), 0x96)
#define CH(x, y, z)	_mm256_ternarylogic_epi32((x), (y), (z), 0xca)	/* x ? y : z */
#define MAJ(x, y, z)	_mm256_ternarylogic_epi32((x), (y), (z), 0xe8)	/* at least two */
#define ADD(x, y)	_mm256_add_epi32((x), (y))

/*
 * Eight rows of eight 32-bit words (row = lane) into eight columns
 * (column = word index across the lanes): pairs of rows interleave by
 * word, then pairs of those by 64 bits, then the 128-bit halves swap.
 */
static inline X8_TARGET void transpose8(__m256i r[8])
{
	__m256i t[8], u[8];

	for (int i = 0; i < 8; i += 2) {
		t[i] = _mm256_unpacklo_epi32(r[i], r[i + 1]);
		t[i + 1] = _mm256_unpackhi_epi32(r[i], r[i + 1]);
	}
	for (int i = 0; i < 8; i += 4) {
		u[i] = _mm256_unpacklo_epi64(t[i], t[i + 2]);
		u[i + 1] = _mm256_unpackhi_epi64(t[i], t[i + 2]);
		u[i + 2] = _mm256_unpacklo_epi64(t[i + 1], t[i + 3]);
		u[i + 3] = _mm256_unpackhi_epi64(t[i + 1], t[i + 3]);
	}
	for (int i = 0; i < 4; i++) {
		r[i] = _mm256_permute2x128_si256(u[i], u[i + 4], 0x20);
		r[i + 4] = _mm256_permute2x128_si256(u[i], u[i + 4], 0x31);
	}
}

/* Words 8h..8h+7 of each lane's block, big-endian, as eight columns. */
static inline X8_TARGET void load_words(__m256i w[8], const uint8_t *const lanes[8], size_t off)
{
	/* Byte-swap each 32-bit word: the message is big-endian. */
	const __m256i bswap = _mm256_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL,
						0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);

	for (int l = 0; l < 8; l++)
		w[l] = _mm256_shuffle_epi8(_mm256_loadu_si256((const __m256i *)(lanes[l] + off)),
					   bswap);
	transpose8(w);
}

X8_TARGET
void sha256_blocks_x8(uint32_t state[8][8], const uint8_t *const lanes[8], size_t nblocks)
{
	for (size_t off = 0; off < nblocks * SHA256_BLOCK_SIZE; off += SHA256_BLOCK_SIZE) {
		__m256i w[16], v[8];

		load_words(&w[0], lanes, off);
		load_words(&w[8], lanes, off + 32);
		for (int i = 0; i < 8; i++)
			v[i] = _mm256_loadu_si256((const __m256i *)state[i]);

		/*
		 * Round t names a..h as v[(8 - t + i) & 7] for i = 0..7: instead of
		 * shifting eight registers per round, the names rotate, and only
		 * the new a and the new e are written.  Fully unrolled, the
		 * indexes are constants and the array lives in registers.
		 */
#pragma GCC unroll 64
		for (int t = 0; t < 64; t++) {
			__m256i *a = &v[(64 - t) & 7], *b = &v[(65 - t) & 7], *c = &v[(66 - t) & 7];
			__m256i *d = &v[(67 - t) & 7], *e = &v[(68 - t) & 7], *f = &v[(69 - t) & 7];
			__m256i *g = &v[(70 - t) & 7], *h = &v[(71 - t) & 7];
			__m256i wt, t1, t2;

			if (t < 16) {
				wt = w[t];
			} else {
				/* W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], in place of W[t-16]. */
				__m256i w15 = w[(t - 15) & 15], w2 = w[(t - 2) & 15];
				__m256i s0 = XOR3(ROR(w15, 7), ROR(w15, 18), _mm256_srli_epi32(w15, 3));
				__m256i s1 = XOR3(ROR(w2, 17), ROR(w2, 19), _mm256_srli_epi32(w2, 10));

				wt = ADD(ADD(w[t & 15], s0), ADD(w[(t - 7) & 15], s1));
				w[t & 15] = wt;
			}
			t1 = ADD(ADD(*h, XOR3(ROR(*e, 6), ROR(*e, 11), ROR(*e, 25))),
				 ADD(CH(*e, *f, *g), ADD(wt, _mm256_set1_epi32((int)sha256_round_k[t]))));
			t2 = ADD(XOR3(ROR(*a, 2), ROR(*a, 13), ROR(*a, 22)), MAJ(*a, *b, *c));
			*d = ADD(*d, t1);	/* the next round's e */
			*h = ADD(t1, t2);	/* the next round's a */
		}
		for (int i = 0; i < 8; i++)
			_mm256_storeu_si256((__m256i *)state[i],
					    ADD(_mm256_loadu_si256((const __m256i *)state[i]), v[i]));
	}
}
