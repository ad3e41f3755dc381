/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * FIPS 180-4's compression on N independent messages at once, one per
 * 32-bit lane of a vector: the body shared by sha256-x8.c (ymm, N = 8)
 * and sha256-x16.c (zmm, N = 16), which define before including it:
 *
 *   LANES_TARGET	the function attribute that enables the instructions
 *   vec		the vector type
 *   VADD, VROR, VSRL, VTERN, VSET1, VLOAD, VSTORE	its operations
 *   VUNPACKLO32/HI32, VUNPACKLO64/HI64	its interleaves within 128 bits
 *
 * and after including it, load_words(w, lanes, off): w[t] = word t of
 * each lane's block at off, which interleave_rows() helps with.
 *
 * The state is word-major: state[w][lane] is working variable w (a..h)
 * of that lane, so one vector load gives one variable for every lane.
 */
#ifndef UTIL_SHA256_LANES_H
#define UTIL_SHA256_LANES_H

/* vpternlogd truth tables, indexed by (x << 2 | y << 1 | z). */
#define XOR3(x, y, z)	VTERN((x), (y), (z), 0x96)
#define CH(x, y, z)	VTERN((x), (y), (z), 0xca)	/* x ? y : z */
#define MAJ(x, y, z)	VTERN((x), (y), (z), 0xe8)	/* at least two of three */

/*
 * Rows r[0..n) (row = lane, n a multiple of 4), within each 128-bit
 * quarter: pairs of rows interleave by word, then pairs of those by 64
 * bits.  Afterwards r[4g + j] holds, in its quarter k, word 4k + j of
 * rows 4g..4g+3: what is left of the transpose is moving quarters.
 */
static inline LANES_TARGET void interleave_rows(vec r[], int n)
{
	for (int g = 0; g < n; g += 4) {
		vec t0 = VUNPACKLO32(r[g], r[g + 1]), t1 = VUNPACKHI32(r[g], r[g + 1]);
		vec t2 = VUNPACKLO32(r[g + 2], r[g + 3]), t3 = VUNPACKHI32(r[g + 2], r[g + 3]);

		r[g] = VUNPACKLO64(t0, t2);
		r[g + 1] = VUNPACKHI64(t0, t2);
		r[g + 2] = VUNPACKLO64(t1, t3);
		r[g + 3] = VUNPACKHI64(t1, t3);
	}
}

static inline LANES_TARGET void load_words(vec w[16],
					   const uint8_t *const lanes[SHA256_MAX_LANES], size_t off);

static inline LANES_TARGET void compress_lanes(uint32_t state[8][SHA256_MAX_LANES],
					       const uint8_t *const lanes[SHA256_MAX_LANES],
					       size_t nblocks)
{
	for (size_t off = 0; off < nblocks * SHA256_BLOCK_SIZE; off += SHA256_BLOCK_SIZE) {
		vec w[16], v[8];

		load_words(w, lanes, off);
		for (int i = 0; i < 8; i++)
			v[i] = VLOAD(state[i]);

		/*
		 * Round t names a..h as v[(8 - t + i) & 7] for i = 0..7: instead of
		 * shifting eight registers per round, the names rotate, and only
		 * the new a and the new e are written.  Fully unrolled, the
		 * indexes are constants and the array lives in registers.
		 */
#pragma GCC unroll 64
		for (int t = 0; t < 64; t++) {
			vec *a = &v[(64 - t) & 7], *b = &v[(65 - t) & 7], *c = &v[(66 - t) & 7];
			vec *d = &v[(67 - t) & 7], *e = &v[(68 - t) & 7], *f = &v[(69 - t) & 7];
			vec *g = &v[(70 - t) & 7], *h = &v[(71 - t) & 7];
			vec wt, t1, t2;

			if (t < 16) {
				wt = w[t];
			} else {
				/* W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], in place of W[t-16]. */
				vec w15 = w[(t - 15) & 15], w2 = w[(t - 2) & 15];
				vec s0 = XOR3(VROR(w15, 7), VROR(w15, 18), VSRL(w15, 3));
				vec s1 = XOR3(VROR(w2, 17), VROR(w2, 19), VSRL(w2, 10));

				wt = VADD(VADD(w[t & 15], s0), VADD(w[(t - 7) & 15], s1));
				w[t & 15] = wt;
			}
			t1 = VADD(VADD(*h, XOR3(VROR(*e, 6), VROR(*e, 11), VROR(*e, 25))),
				  VADD(CH(*e, *f, *g), VADD(wt, VSET1((int)sha256_round_k[t]))));
			t2 = VADD(XOR3(VROR(*a, 2), VROR(*a, 13), VROR(*a, 22)), MAJ(*a, *b, *c));
			*d = VADD(*d, t1);	/* the next round's e */
			*h = VADD(t1, t2);	/* the next round's a */
		}
		for (int i = 0; i < 8; i++)
			VSTORE(state[i], VADD(VLOAD(state[i]), v[i]));
	}
}

#endif /* UTIL_SHA256_LANES_H */
