/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Physical memory ranges: one type for every map the loader reads or builds
 * (/proc/iomem, /sys/firmware/memmap, memmap= reservations, free space,
 * the new kernel's e820).
 *
 * Convention: every range is half-open, [start, end).  Parsers convert the
 * kernel's inclusive "last" addresses exactly once, when they read them.
 * Capacity is fixed (no allocation); an add or subtract that would need
 * more ranges fails, and its caller must fail too: a map cut short could
 * call a crash area or host RAM free.
 */
#ifndef KEXEC_MEM_RANGE_H
#define KEXEC_MEM_RANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum mem_type {
	MEM_RAM = 1,		/* e820 type 1 */
	MEM_RESERVED = 2,	/* e820 type 2 */
	MEM_ACPI = 3,		/* e820 type 3, ACPI tables (reclaimable) */
	MEM_NVS = 4,		/* e820 type 4, ACPI non-volatile storage */
	MEM_UNUSABLE = 5,	/* e820 type 5 */
	MEM_PMEM = 7,		/* e820 type 7, persistent memory */
	MEM_PRAM = 12,		/* e820 type 12, legacy persistent memory (memmap=!) */
	MEM_SOFT_RESERVED = 0xefffffff,
	MEM_OTHER = 0x100,	/* anything else iomem lists: MMIO, ROMs, ... */
};

#define MEM_RANGES_MAX 512

struct mem_range {
	uint64_t start;
	uint64_t end;		/* exclusive */
	enum mem_type type;
};

struct mem_ranges {
	size_t nr;
	struct mem_range r[MEM_RANGES_MAX];
};

static inline uint64_t mem_range_size(const struct mem_range *m)
{
	return m->end - m->start;
}

/* Append one range.  Returns -1 if full or if end <= start. */
int mem_ranges_add(struct mem_ranges *mr, uint64_t start, uint64_t end, enum mem_type type);

/* Sort by start and merge touching or overlapping ranges of the same type. */
void mem_ranges_normalize(struct mem_ranges *mr);

/* Remove [start, end) from every range, splitting where needed. */
int mem_ranges_subtract(struct mem_ranges *mr, uint64_t start, uint64_t end);

/* Keep only the parts of each range that lie inside [start, end). */
void mem_ranges_clip(struct mem_ranges *mr, uint64_t start, uint64_t end);

/* Keep only the ranges of one type. */
void mem_ranges_keep_type(struct mem_ranges *mr, enum mem_type type);

/* Drop the ranges of one type. */
void mem_ranges_drop_type(struct mem_ranges *mr, enum mem_type type);

/* True if [start, end) lies wholly inside one range of mr; false when end <= start. */
bool mem_ranges_contain(const struct mem_ranges *mr, uint64_t start, uint64_t end);

/* True if [start, end) overlaps any range of mr. */
bool mem_ranges_overlap(const struct mem_ranges *mr, uint64_t start, uint64_t end);

/* Sum of all range sizes. */
uint64_t mem_ranges_total(const struct mem_ranges *mr);

/* Size of the largest range (0 when empty). */
uint64_t mem_ranges_largest(const struct mem_ranges *mr);

/*
 * A request for space, declared rather than passed positionally.
 * The placed block [addr, addr + size) satisfies: addr % align == 0,
 * addr >= min_addr, addr + size <= max_end.
 */
struct placement_request {
	uint64_t size;
	uint64_t align;		/* a power of two, at least 1 */
	uint64_t min_addr;
	uint64_t max_end;	/* exclusive upper bound for the end of the block */
	bool top_down;		/* highest fitting address instead of lowest */
};

/* Find space in the free ranges; returns 0 and sets *addr, or -1 if none. */
int mem_ranges_find_space(const struct mem_ranges *free_ranges,
			  const struct placement_request *req, uint64_t *addr);

const char *mem_type_name(enum mem_type type);

#endif /* KEXEC_MEM_RANGE_H */
