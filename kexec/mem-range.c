// SPDX-License-Identifier: GPL-2.0-only
/*
 * Range arithmetic over struct mem_ranges.  Pure functions: no I/O,
 * no allocation, so the planner stays a pure computation.
 */
#include <stdlib.h>
#include <string.h>

#include "mem-range.h"

int mem_ranges_add(struct mem_ranges *mr, uint64_t start, uint64_t end, enum mem_type type)
{
	if (end <= start || mr->nr >= MEM_RANGES_MAX)
		return -1;
	mr->r[mr->nr++] = (struct mem_range){ .start = start, .end = end, .type = type };
	return 0;
}

static int cmp_start(const void *a, const void *b)
{
	const struct mem_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return (int)x->type - (int)y->type;
}

void mem_ranges_normalize(struct mem_ranges *mr)
{
	size_t out = 0;

	if (mr->nr == 0)
		return;
	qsort(mr->r, mr->nr, sizeof(mr->r[0]), cmp_start);
	for (size_t i = 1; i < mr->nr; i++) {
		struct mem_range *last = &mr->r[out];

		if (mr->r[i].type == last->type && mr->r[i].start <= last->end) {
			if (mr->r[i].end > last->end)
				last->end = mr->r[i].end;
			continue;
		}
		mr->r[++out] = mr->r[i];
	}
	mr->nr = out + 1;
}

static void remove_at(struct mem_ranges *mr, size_t i)
{
	memmove(&mr->r[i], &mr->r[i + 1], (mr->nr - i - 1) * sizeof(mr->r[0]));
	mr->nr--;
}

int mem_ranges_subtract(struct mem_ranges *mr, uint64_t start, uint64_t end)
{
	if (end <= start)
		return 0;
	for (size_t i = 0; i < mr->nr; i++) {
		struct mem_range *m = &mr->r[i];

		if (end <= m->start || start >= m->end)
			continue;
		if (start > m->start && end < m->end) {
			/* The hole splits the range in two. */
			if (mem_ranges_add(mr, end, m->end, m->type))
				return -1;
			mr->r[i].end = start;
			continue;
		}
		if (start <= m->start && end >= m->end) {
			remove_at(mr, i);
			i--;
			continue;
		}
		if (start <= m->start)
			m->start = end;
		else
			m->end = start;
	}
	return 0;
}

void mem_ranges_clip(struct mem_ranges *mr, uint64_t start, uint64_t end)
{
	for (size_t i = 0; i < mr->nr; i++) {
		struct mem_range *m = &mr->r[i];

		if (m->start < start)
			m->start = start;
		if (m->end > end)
			m->end = end;
		if (m->end <= m->start) {
			remove_at(mr, i);
			i--;
		}
	}
}

void mem_ranges_keep_type(struct mem_ranges *mr, enum mem_type type)
{
	for (size_t i = 0; i < mr->nr; i++) {
		if (mr->r[i].type != type) {
			remove_at(mr, i);
			i--;
		}
	}
}

void mem_ranges_drop_type(struct mem_ranges *mr, enum mem_type type)
{
	for (size_t i = 0; i < mr->nr; i++) {
		if (mr->r[i].type == type) {
			remove_at(mr, i);
			i--;
		}
	}
}

bool mem_ranges_contain(const struct mem_ranges *mr, uint64_t start, uint64_t end)
{
	/* An empty or wrapped span is no place for anything. */
	if (end <= start)
		return false;
	for (size_t i = 0; i < mr->nr; i++)
		if (start >= mr->r[i].start && end <= mr->r[i].end)
			return true;
	return false;
}

bool mem_ranges_overlap(const struct mem_ranges *mr, uint64_t start, uint64_t end)
{
	for (size_t i = 0; i < mr->nr; i++)
		if (start < mr->r[i].end && end > mr->r[i].start)
			return true;
	return false;
}

uint64_t mem_ranges_total(const struct mem_ranges *mr)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < mr->nr; i++)
		sum += mem_range_size(&mr->r[i]);
	return sum;
}

uint64_t mem_ranges_largest(const struct mem_ranges *mr)
{
	uint64_t best = 0;

	for (size_t i = 0; i < mr->nr; i++)
		if (mem_range_size(&mr->r[i]) > best)
			best = mem_range_size(&mr->r[i]);
	return best;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* Best address for req inside one range, or false. */
static bool fit_in_range(const struct mem_range *m, const struct placement_request *req,
			 uint64_t *addr)
{
	uint64_t lo = m->start > req->min_addr ? m->start : req->min_addr;
	uint64_t hi = m->end < req->max_end ? m->end : req->max_end;
	uint64_t a;

	if (hi <= lo || hi - lo < req->size)
		return false;
	if (req->top_down) {
		a = (hi - req->size) & ~(req->align - 1);
		if (a < lo)
			return false;
	} else {
		a = align_up(lo, req->align);
		if (a < lo || a > hi || hi - a < req->size)
			return false;
	}
	*addr = a;
	return true;
}

int mem_ranges_find_space(const struct mem_ranges *free_ranges,
			  const struct placement_request *req, uint64_t *addr)
{
	bool found = false;
	uint64_t best = 0;

	if (req->size == 0 || req->align == 0 || (req->align & (req->align - 1)))
		return -1;
	for (size_t i = 0; i < free_ranges->nr; i++) {
		uint64_t a;

		if (!fit_in_range(&free_ranges->r[i], req, &a))
			continue;
		if (!found || (req->top_down ? a > best : a < best)) {
			best = a;
			found = true;
		}
	}
	if (!found)
		return -1;
	*addr = best;
	return 0;
}

const char *mem_type_name(enum mem_type type)
{
	switch (type) {
	case MEM_RAM:		return "RAM";
	case MEM_RESERVED:	return "reserved";
	case MEM_ACPI:		return "ACPI";
	case MEM_NVS:		return "NVS";
	case MEM_UNUSABLE:	return "unusable";
	case MEM_PMEM:		return "PMEM";
	case MEM_PRAM:		return "PRAM";
	case MEM_SOFT_RESERVED:	return "soft-reserved";
	case MEM_OTHER:		return "other";
	}
	return "?";
}
