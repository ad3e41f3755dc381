// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>

#include "crash-memory.h"

#define ONE_MIB (1ull << 20)

static int map_full(struct kx_error *err)
{
	return kx_fail(err, KX_ELIMIT, "the crash kernel's memory map needs more than %d ranges, "
		       "kexec's limit; load with -s", MEM_RANGES_MAX);
}

int crash_load_region(const struct iomem_map *iomem, struct mem_range *out)
{
	if (iomem->crash.nr == 0)
		return -1;
	*out = iomem->crash.r[0];
	for (size_t i = 1; i < iomem->crash.nr; i++)
		if (iomem->crash.r[i].start > out->start)
			*out = iomem->crash.r[i];
	return 0;
}

int crash_dump_ranges(const struct iomem_map *iomem, struct mem_ranges *out,
		      struct kx_error *err)
{
	*out = iomem->top;
	mem_ranges_keep_type(out, MEM_RAM);
	if (mem_ranges_subtract(out, 0, ONE_MIB))
		return map_full(err);
	for (size_t i = 0; i < iomem->crash.nr; i++)
		if (mem_ranges_subtract(out, iomem->crash.r[i].start, iomem->crash.r[i].end))
			return map_full(err);
	mem_ranges_normalize(out);	/* in address order, as the header lists them */
	return 0;
}

static int add_type(struct mem_ranges *out, const struct mem_ranges *from, enum mem_type type,
		    uint64_t end_max, struct kx_error *err)
{
	for (size_t i = 0; i < from->nr; i++) {
		const struct mem_range *m = &from->r[i];
		uint64_t end = m->end < end_max ? m->end : end_max;

		if (m->type == type && m->start < end && mem_ranges_add(out, m->start, end, type))
			return map_full(err);
	}
	return 0;
}

int crash_capture_e820(const struct iomem_map *iomem, uint64_t hdr_start, uint64_t hdr_end,
		       struct mem_ranges *out, struct kx_error *err)
{
	struct mem_ranges crash = iomem->crash;

	memset(out, 0, sizeof(*out));
	if (add_type(out, &iomem->top, MEM_RAM, ONE_MIB, err) ||
	    add_type(out, &iomem->top, MEM_ACPI, UINT64_MAX, err) ||
	    add_type(out, &iomem->top, MEM_NVS, UINT64_MAX, err) ||
	    add_type(out, &iomem->top, MEM_RESERVED, UINT64_MAX, err))
		return -1;
	/* The header stays out of the capture kernel's RAM: elfcorehdr= points at it. */
	if (mem_ranges_subtract(&crash, hdr_start, hdr_end))
		return map_full(err);
	for (size_t i = 0; i < crash.nr; i++) {
		const struct mem_range *m = &crash.r[i];

		/* A piece smaller than a page is no use to anyone (the kernel skips it too). */
		if (m->end - m->start >= 4096 && mem_ranges_add(out, m->start, m->end, MEM_RAM))
			return map_full(err);
	}
	mem_ranges_normalize(out);
	return 0;
}
