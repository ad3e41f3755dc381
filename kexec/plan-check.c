// SPDX-License-Identifier: GPL-2.0-only
#include <inttypes.h>

#include "plan-check.h"

#define SEG_FMT "segment %zu (%s) [0x%" PRIx64 ", 0x%" PRIx64 ")"
#define SEG_ARGS(i, s) (i), (s)->purpose, (s)->mem, (s)->mem + (s)->memsz

static int check_count(const struct kx_plan *p, const struct plan_rules *r, struct kx_error *err)
{
	(void)r;
	if (p->nr == 0)
		return kx_fail(err, KX_EPLAN, "plan rule 'at least one segment' failed");
	if (p->nr > KX_MAX_SEGMENTS)
		return kx_fail(err, KX_EPLAN, "plan rule 'at most %d segments' failed: %zu segments",
			       KX_MAX_SEGMENTS, p->nr);
	return 0;
}

/* Kernel: EADDRNOTAVAIL unless mem and mem + memsz are page aligned and do not wrap. */
static int check_alignment(const struct kx_plan *p, const struct plan_rules *r,
			   struct kx_error *err)
{
	(void)r;
	for (size_t i = 0; i < p->nr; i++) {
		const struct kx_segment *s = &p->seg[i];

		if ((s->mem | s->memsz) & (KX_PAGE_SIZE - 1) || s->mem + s->memsz < s->mem)
			return kx_fail(err, KX_EPLAN, "plan rule 'page-aligned destination' failed "
				       "for " SEG_FMT, SEG_ARGS(i, s));
	}
	return 0;
}

/* Kernel: EADDRNOTAVAIL if mem + memsz reaches KEXEC_DESTINATION_MEMORY_LIMIT. */
static int check_limit(const struct kx_plan *p, const struct plan_rules *r, struct kx_error *err)
{
	uint64_t limit = r->max_end && r->max_end < KX_DESTINATION_LIMIT ?
			 r->max_end : KX_DESTINATION_LIMIT - 1;

	for (size_t i = 0; i < p->nr; i++) {
		const struct kx_segment *s = &p->seg[i];

		if (s->mem + s->memsz > limit)
			return kx_fail(err, KX_EPLAN, "plan rule 'below 0x%" PRIx64 "' failed for "
				       SEG_FMT, limit, SEG_ARGS(i, s));
	}
	return 0;
}

/* Kernel: EINVAL if two destinations overlap. */
static int check_overlap(const struct kx_plan *p, const struct plan_rules *r,
			 struct kx_error *err)
{
	(void)r;
	for (size_t i = 0; i < p->nr; i++) {
		for (size_t j = 0; j < i; j++) {
			const struct kx_segment *a = &p->seg[i], *b = &p->seg[j];

			if (a->mem < b->mem + b->memsz && b->mem < a->mem + a->memsz)
				return kx_fail(err, KX_EPLAN, "plan rule 'no overlap' failed: "
					       SEG_FMT " overlaps " SEG_FMT,
					       SEG_ARGS(i, a), SEG_ARGS(j, b));
		}
	}
	return 0;
}

/* Kernel: EINVAL if bufsz > memsz. */
static int check_bufsz(const struct kx_plan *p, const struct plan_rules *r, struct kx_error *err)
{
	(void)r;
	for (size_t i = 0; i < p->nr; i++) {
		const struct kx_segment *s = &p->seg[i];

		if (s->bufsz > s->memsz)
			return kx_fail(err, KX_EPLAN, "plan rule 'bufsz <= memsz' failed for " SEG_FMT
				       ": bufsz 0x%zx", SEG_ARGS(i, s), s->bufsz);
	}
	return 0;
}

/* Kernel: EINVAL if one segment, or all together, need more than half of RAM. */
static int check_half_ram(const struct kx_plan *p, const struct plan_rules *r,
			  struct kx_error *err)
{
	uint64_t half = r->totalram_bytes / 2, total = 0;

	if (!r->totalram_bytes)
		return 0;
	for (size_t i = 0; i < p->nr; i++) {
		const struct kx_segment *s = &p->seg[i];

		if (s->memsz > half)
			return kx_fail(err, KX_EPLAN, "plan rule 'at most half of RAM' failed for "
				       SEG_FMT ": the host has 0x%" PRIx64 " bytes of RAM",
				       SEG_ARGS(i, s), r->totalram_bytes);
		total += s->memsz;
	}
	if (total > half)
		return kx_fail(err, KX_EPLAN, "plan rule 'at most half of RAM' failed: the segments "
			       "total 0x%" PRIx64 " bytes, the host has 0x%" PRIx64,
			       total, r->totalram_bytes);
	return 0;
}

/* Ours: every byte lies in the region this load may use (RAM, reservation, crash area). */
static int check_region(const struct kx_plan *p, const struct plan_rules *r,
			struct kx_error *err)
{
	for (size_t i = 0; i < p->nr; i++) {
		const struct kx_segment *s = &p->seg[i];

		if (!mem_ranges_contain(r->allowed, s->mem, s->mem + s->memsz))
			return kx_fail(err, KX_EPLAN, "plan rule 'inside %s' failed for " SEG_FMT,
				       r->allowed_name, SEG_ARGS(i, s));
	}
	return 0;
}

/* Ours: the entry point is inside a loaded segment. */
static int check_entry(const struct kx_plan *p, const struct plan_rules *r, struct kx_error *err)
{
	(void)r;
	for (size_t i = 0; i < p->nr; i++)
		if (p->entry >= p->seg[i].mem && p->entry < p->seg[i].mem + p->seg[i].bufsz)
			return 0;
	return kx_fail(err, KX_EPLAN, "plan rule 'entry inside a segment' failed: entry 0x%" PRIx64,
		       p->entry);
}

int plan_check(const struct kx_plan *plan, const struct plan_rules *rules, struct kx_error *err)
{
	static int (*const checks[])(const struct kx_plan *, const struct plan_rules *,
				     struct kx_error *) = {
		check_count, check_alignment, check_limit, check_overlap,
		check_bufsz, check_half_ram, check_region, check_entry,
	};

	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		if (checks[i](plan, rules, err))
			return -1;
	return 0;
}
