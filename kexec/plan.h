/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A load plan: the exact segment table and entry point that kexec_load(2)
 * will receive.  Planning is pure - it reads only its inputs (image bytes,
 * host facts, the request), never does I/O, never exits - so --dry-run
 * prints the very plan a real load executes.
 */
#ifndef KEXEC_PLAN_H
#define KEXEC_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem-range.h"
#include "status.h"

#define KX_MAX_SEGMENTS	16	/* KEXEC_SEGMENT_MAX */
#define KX_PAGE_SIZE	4096ull
#define KX_MAX_OWNED	8

struct purgatory_params;

struct kx_segment {
	const void *buf;
	size_t bufsz;
	uint64_t mem;		/* physical, page aligned */
	uint64_t memsz;		/* page multiple */
	char purpose[24];	/* "kernel", "initrd", "boot_params", "purgatory", ... */
	char source[80];	/* where the bytes come from: "bzImage+0x4400", "built" */
	size_t digest;		/* its first entry in plan->digests */
	size_t nr_digests;	/* 0 until hashed; more than 1 for a big segment */
	bool unchecked;		/* never hashed: the kernel may rewrite it (crash hotplug) */
};

/*
 * sha256 of one piece of a segment.  A big segment (an initrd) is hashed
 * in chunks, on several threads; purgatory checks every chunk.
 */
struct kx_digest {
	uint64_t addr;		/* physical */
	uint64_t size;
	uint8_t sha256[32];
};

#define KX_MAX_CHECKED_DIGESTS	32	/* PURGATORY_MAX_DIGESTS */
#define KX_DIGEST_CHUNK_MIN	(1ull << 20)	/* smaller is not worth a lane */
#define KX_HASH_THREADS		4	/* at most, the caller's included */

struct kx_plan {
	uint64_t entry;		/* kexec_load entry: physical address of purgatory_start */
	unsigned long flags;	/* kexec_load flags (arch bits included) */
	size_t nr;
	struct kx_segment seg[KX_MAX_SEGMENTS];
	struct mem_ranges free;	/* where segments may still go */
	const char *region_name; /* what "free" was made of, for messages */
	const char *no_room_hint; /* what to do when a segment does not fit */
	uint64_t jump_addr;	/* where purgatory jumps (for the table) */
	uint64_t jump_rsi;	/* RSI at that jump */
	/*
	 * The parameter block inside the purgatory segment's own bytes, so the
	 * table shows what purgatory will really read (NULL: no purgatory).
	 */
	const struct purgatory_params *purgatory;
	size_t nr_digests;
	struct kx_digest digests[KX_MAX_CHECKED_DIGESTS + KX_MAX_SEGMENTS];
	void *owned[KX_MAX_OWNED];
	size_t nr_owned;
};

static inline uint64_t kx_page_up(uint64_t v)
{
	return (v + KX_PAGE_SIZE - 1) & ~(KX_PAGE_SIZE - 1);
}

/* Start an empty plan whose segments may go anywhere in allowed (copied). */
void plan_init(struct kx_plan *plan, const struct mem_ranges *allowed, const char *region_name,
	       const char *no_room_hint);
void plan_free(struct kx_plan *plan);

/* Take ownership of a heap buffer so plan_free releases it. */
int plan_own(struct kx_plan *plan, void *buf, struct kx_error *err);

/*
 * Place a segment of memsz bytes (rounded up to pages) where req allows,
 * inside the plan's free space; req->size is ignored.  On success *mem is
 * the chosen address and the segment is recorded.
 */
int plan_place(struct kx_plan *plan, const void *buf, size_t bufsz, uint64_t memsz,
	       const struct placement_request *req, const char *purpose, const char *source,
	       uint64_t *mem, struct kx_error *err);

/* Record a segment at a fixed address; it must lie in free space. */
int plan_place_fixed(struct kx_plan *plan, const void *buf, size_t bufsz, uint64_t mem,
		     uint64_t memsz, const char *purpose, const char *source,
		     struct kx_error *err);

/*
 * sha256 of every segment's buffer that is not hashed yet, in equal chunks
 * (pages, at least KX_DIGEST_CHUNK_MIN) as small as keep all digests so far
 * within the KX_MAX_CHECKED_DIGESTS purgatory checks.
 */
void plan_hash_segments(struct kx_plan *plan);

/* Sort segments by address (the order the table prints and the kernel gets). */
void plan_sort(struct kx_plan *plan);

#endif /* KEXEC_PLAN_H */
