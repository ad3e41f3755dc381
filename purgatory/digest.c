/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Check each loaded segment against the sha256 the loader computed.
 * Addresses are physical; purgatory runs on an identity map.
 *
 * With the SHA extensions (CPUID) the check runs on the loader's own
 * SHA-NI block function (util_lib/sha256-shani.c), about eight times the
 * portable C; the check sits between `kexec -e` (or a multikernel kick)
 * and the new kernel's first instruction.  Without them, or under QEMU's
 * TCG, the portable block function does the same work.
 */
#include "purgatory.h"
#include "sha256.h"

/*
 * In steps of PURGATORY_PROGRESS_STEP, each followed by a progress report:
 * the loader waiting on the host gives up on a purgatory whose count stops
 * moving, not on one that is still hashing a big initrd.  The steps split
 * only the update calls, so the digest is the same.
 */
int digest_find_mismatch_with(const struct purgatory_params *params, sha256_block_fn *block)
{
	uint64_t done = 0;

	for (uint32_t i = 0; i < params->nr_digests; i++) {
		const struct purgatory_digest *d = &params->digests[i];
		const uint8_t *p = (const uint8_t *)(uintptr_t)d->addr;
		struct sha256_ctx ctx;
		uint8_t got[SHA256_DIGEST_SIZE];

		sha256_init_with(&ctx, block);
		for (uint64_t off = 0; off < d->size; off += PURGATORY_PROGRESS_STEP) {
			uint64_t n = d->size - off;

			if (n > PURGATORY_PROGRESS_STEP)
				n = PURGATORY_PROGRESS_STEP;
			sha256_update(&ctx, p + off, n);
			done += n;
			purgatory_report_progress(params, done);
		}
		sha256_final(&ctx, got);
		if (memcmp(got, d->sha256, sizeof(got)) != 0)
			return (int)i;
	}
	return -1;
}

int digest_use_shani(void)
{
	return sha256_have_shani();
}

int digest_find_mismatch(const struct purgatory_params *params)
{
	struct sse_saved saved;
	int bad;

	if (!digest_use_shani())
		return digest_find_mismatch_with(params, sha256_block_generic);
	sse_enable(&saved);
	bad = digest_find_mismatch_with(params, sha256_block_shani);
	sse_restore(&saved);
	return bad;
}
