// SPDX-License-Identifier: GPL-2.0-only
#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "purgatory-blob.h"
#include "purgatory-params.h"
#include "x86-purgatory.h"

static_assert(KX_MAX_CHECKED_DIGESTS == PURGATORY_MAX_DIGESTS, "one digest limit");

/* Refuse a blob built from another version of purgatory-params.h. */
static int blob_params(struct purgatory_params *out, struct kx_error *err)
{
	if (purgatory_blob_size < sizeof(*out))
		return kx_fail(err, KX_EPLAN, "internal: the embedded purgatory is too small");
	memcpy(out, purgatory_blob, sizeof(*out));
	if (out->magic != PURGATORY_PARAMS_MAGIC || out->version != PURGATORY_PARAMS_VERSION ||
	    out->size != sizeof(*out) || out->entry_offset >= purgatory_blob_size ||
	    out->mem_size < purgatory_blob_size)
		return kx_fail(err, KX_EPLAN, "internal: the embedded purgatory's parameter block "
			       "does not match this loader; rebuild both");
	return 0;
}

int x86_add_purgatory(struct kx_plan *plan, const struct load_env *env,
		      const struct purgatory_setup *ps, struct kx_error *err)
{
	struct purgatory_params params;
	struct placement_request req = {
		.align = KX_PAGE_SIZE,
		.min_addr = 0,
		.max_end = env->max_end,
		.top_down = true,
	};
	uint8_t *copy;
	uint64_t mem;

	if (blob_params(&params, err))
		return -1;
	plan_hash_segments(plan);
	if (plan->nr_digests > PURGATORY_MAX_DIGESTS)
		return kx_fail(err, KX_EPLAN, "internal: more digests than purgatory can check");
	params.jump_addr = ps->jump_addr;
	params.rsi = ps->rsi;
	params.serial_port = ps->serial_port;
	params.flags = (ps->verify_digests ? PURGATORY_VERIFY_DIGESTS : 0) |
		       (ps->own_page_tables ? PURGATORY_OWN_PAGE_TABLES : 0);
	params.nr_digests = (uint32_t)plan->nr_digests;
	params.status_addr = ps->status_addr;
	params.madt_addr = ps->madt_addr;
	for (size_t i = 0; i < plan->nr_digests; i++) {
		params.digests[i].addr = plan->digests[i].addr;
		params.digests[i].size = plan->digests[i].size;
		memcpy(params.digests[i].sha256, plan->digests[i].sha256,
		       sizeof(params.digests[i].sha256));
	}

	copy = malloc(purgatory_blob_size);
	if (plan_own(plan, copy, err))
		return -1;
	memcpy(copy, purgatory_blob, purgatory_blob_size);
	memcpy(copy, &params, sizeof(params));

	if (plan_place(plan, copy, purgatory_blob_size, params.mem_size, &req, "purgatory",
		       "built-in", &mem, err))
		return -1;
	plan->entry = mem + params.entry_offset;
	plan->jump_addr = ps->jump_addr;
	plan->jump_rsi = ps->rsi;
	plan->purgatory = (const struct purgatory_params *)copy;
	plan_hash_segments(plan);	/* the purgatory row of the table */
	return 0;
}
