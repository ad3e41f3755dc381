/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's acceptance rules for a segment list (sanity_check_segment_list
 * in kernel/kexec_core.c), one small named check each, plus the rules the
 * kernel does not check but a correct load needs (segments inside the region
 * they belong to, the entry inside a segment).  The kernel only says EINVAL;
 * these say which rule failed for which segment.
 */
#ifndef KEXEC_PLAN_CHECK_H
#define KEXEC_PLAN_CHECK_H

#include "plan.h"

/* x86-64 KEXEC_DESTINATION_MEMORY_LIMIT: MAXMEM with 4-level paging (46 physical bits). */
#define KX_DESTINATION_LIMIT (1ull << 46)

struct plan_rules {
	const struct mem_ranges *allowed;	/* every byte of every segment must lie here */
	const char *allowed_name;		/* "usable RAM", "the multikernel reservation" */
	uint64_t max_end;			/* no segment may end above this */
	uint64_t totalram_bytes;		/* host RAM for the half-of-memory rule; 0 = skip */
};

int plan_check(const struct kx_plan *plan, const struct plan_rules *rules, struct kx_error *err);

#endif /* KEXEC_PLAN_CHECK_H */
