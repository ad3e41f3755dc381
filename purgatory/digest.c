/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Check each loaded segment against the sha256 the loader computed.
 * Addresses are physical; purgatory runs on an identity map.
 */
#include "purgatory.h"
#include "sha256.h"

int digest_find_mismatch(const struct purgatory_params *params)
{
	for (uint32_t i = 0; i < params->nr_digests; i++) {
		const struct purgatory_digest *d = &params->digests[i];
		uint8_t got[SHA256_DIGEST_SIZE];

		sha256_digest_generic((const void *)(uintptr_t)d->addr, d->size, got);
		if (memcmp(got, d->sha256, sizeof(got)) != 0)
			return (int)i;
	}
	return -1;
}
