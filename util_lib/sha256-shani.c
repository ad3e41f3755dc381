/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SHA-256 block function on the x86 SHA extensions, for the loader and
 * for purgatory.
 *
 * Purgatory builds this file with -mgeneral-regs-only: the target
 * attribute turns SSE on for the block function alone, so the CPUID check
 * below stays free of XMM registers and runs before purgatory has enabled
 * SSE (purgatory/sse.c).  The caller checks sha256_have_shani() first.
 * The rounds themselves are sha256-shani.h's.
 */
#include <cpuid.h>

#include "sha256-shani.h"

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

SHANI_TARGET
void sha256_block_shani(uint32_t state[8], const uint8_t *blocks, size_t nblocks)
{
	__m128i abef, cdgh;

	shani_load_state(state, &abef, &cdgh);
	for (; nblocks; nblocks--, blocks += SHA256_BLOCK_SIZE) {
		__m128i abef_in = abef, cdgh_in = cdgh;
		__m128i x[4];

#pragma GCC unroll 16
		for (int g = 0; g < 16; g++)
			shani_rounds4(&abef, &cdgh, x, blocks, g);
		abef = _mm_add_epi32(abef, abef_in);
		cdgh = _mm_add_epi32(cdgh, cdgh_in);
	}
	shani_store_state(state, abef, cdgh);
}
