// SPDX-License-Identifier: GPL-2.0-only
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "plan.h"
#include "sha256.h"

void plan_init(struct kx_plan *plan, const struct mem_ranges *allowed, const char *region_name,
	       const char *no_room_hint)
{
	memset(plan, 0, sizeof(*plan));
	plan->free = *allowed;
	mem_ranges_normalize(&plan->free);
	plan->region_name = region_name;
	plan->no_room_hint = no_room_hint;
}

void plan_free(struct kx_plan *plan)
{
	for (size_t i = 0; i < plan->nr_owned; i++)
		free(plan->owned[i]);
	plan->nr_owned = 0;
}

int plan_own(struct kx_plan *plan, void *buf, struct kx_error *err)
{
	if (!buf)
		return kx_fail(err, KX_ENOROOM, "out of memory while building the plan");
	if (plan->nr_owned == KX_MAX_OWNED) {
		free(buf);
		return kx_fail(err, KX_EPLAN, "internal: too many built buffers in one plan");
	}
	plan->owned[plan->nr_owned++] = buf;
	return 0;
}

static int record(struct kx_plan *plan, const void *buf, size_t bufsz, uint64_t mem,
		  uint64_t memsz, const char *purpose, const char *source, struct kx_error *err)
{
	struct kx_segment *s;

	if (plan->nr == KX_MAX_SEGMENTS)
		return kx_fail(err, KX_EPLAN, "the plan needs more than %d segments, the kernel's "
			       "limit; drop an input", KX_MAX_SEGMENTS);
	s = &plan->seg[plan->nr++];
	memset(s, 0, sizeof(*s));
	s->buf = buf;
	s->bufsz = bufsz;
	s->mem = mem;
	s->memsz = memsz;
	snprintf(s->purpose, sizeof(s->purpose), "%s", purpose);
	snprintf(s->source, sizeof(s->source), "%s", source);
	if (mem_ranges_subtract(&plan->free, mem, mem + memsz))
		return kx_fail(err, KX_ELIMIT, "the free space left after the %s needs more than "
			       "%d ranges, kexec's limit", purpose, MEM_RANGES_MAX);
	return 0;
}

static const char *human(uint64_t bytes, char *buf, size_t size)
{
	if (bytes >= (1ull << 20))
		snprintf(buf, size, "%" PRIu64 " MiB", (uint64_t)((bytes + (1ull << 20) - 1) >> 20));
	else
		snprintf(buf, size, "%" PRIu64 " KiB", (uint64_t)((bytes + 1023) >> 10));
	return buf;
}

int plan_place(struct kx_plan *plan, const void *buf, size_t bufsz, uint64_t memsz,
	       const struct placement_request *req, const char *purpose, const char *source,
	       uint64_t *mem, struct kx_error *err)
{
	struct placement_request r = *req;
	struct mem_ranges window = plan->free;
	char need[32], have[32];

	r.size = kx_page_up(memsz);
	if (r.align < KX_PAGE_SIZE)
		r.align = KX_PAGE_SIZE;
	if (mem_ranges_find_space(&plan->free, &r, mem) == 0)
		return record(plan, buf, bufsz, *mem, r.size, purpose, source, err);

	/* Say which constraint failed and by how much. */
	mem_ranges_clip(&window, r.min_addr, r.max_end);
	if (window.nr) {
		/* Name the span that was really searched, not the request's bounds. */
		r.min_addr = window.r[0].start;
		r.max_end = window.r[window.nr - 1].end;
	}
	return kx_fail(err, KX_ENOROOM,
		       "no room for the %s (%s, %s aligned) in %s between 0x%" PRIx64
		       " and 0x%" PRIx64 ": the largest free block there is %s; %s",
		       purpose, human(r.size, need, sizeof(need)),
		       human(r.align, have, sizeof(have)), plan->region_name,
		       r.min_addr, r.max_end,
		       human(mem_ranges_largest(&window), (char[32]){ 0 }, 32),
		       plan->no_room_hint);
}

int plan_place_fixed(struct kx_plan *plan, const void *buf, size_t bufsz, uint64_t mem,
		     uint64_t memsz, const char *purpose, const char *source,
		     struct kx_error *err)
{
	uint64_t end = kx_page_up(mem + memsz);

	if (mem & (KX_PAGE_SIZE - 1))
		return kx_fail(err, KX_EPLAN, "the %s must start at 0x%" PRIx64 ", which is not "
			       "page aligned", purpose, mem);
	/* [mem, end) must be a real range: an end past 2^64 wraps to below mem. */
	if (memsz == 0 || memsz > UINT64_MAX - mem || end <= mem)
		return kx_fail(err, KX_ENOROOM, "the %s must go at 0x%" PRIx64 " with 0x%" PRIx64
			       " bytes, which ends past the top of the address space", purpose,
			       mem, memsz);
	if (!mem_ranges_contain(&plan->free, mem, end))
		return kx_fail(err, KX_ENOROOM, "the %s must go at [0x%" PRIx64 ", 0x%" PRIx64
			       ") but that is not free memory in %s", purpose, mem, end,
			       plan->region_name);
	return record(plan, buf, bufsz, mem, end - mem, purpose, source, err);
}

/* Digests the segments not hashed yet take in chunks of chunk bytes (one at least each). */
static size_t digests_needed(const struct kx_plan *plan, uint64_t chunk)
{
	size_t n = 0;

	for (size_t i = 0; i < plan->nr; i++) {
		const struct kx_segment *s = &plan->seg[i];

		if (!s->nr_digests && !s->unchecked)
			n += s->bufsz ? (s->bufsz + chunk - 1) / chunk : 1;
	}
	return n;
}

/*
 * The smallest chunk, in pages and at least KX_DIGEST_CHUNK_MIN, with which
 * every segment not hashed yet fits in the digests purgatory still checks.
 * So a big initrd becomes as many equal chunks as purgatory allows: each
 * chunk is hashed on its own (by a thread, or a vector lane of one), and
 * the hashing takes as long as its longest chunk.
 */
static uint64_t chunk_size(const struct kx_plan *plan)
{
	size_t budget = plan->nr_digests < KX_MAX_CHECKED_DIGESTS ?
			KX_MAX_CHECKED_DIGESTS - plan->nr_digests : 0;
	uint64_t lo = KX_DIGEST_CHUNK_MIN / KX_PAGE_SIZE, hi = lo;

	for (size_t i = 0; i < plan->nr; i++)
		if (kx_page_up(plan->seg[i].bufsz) / KX_PAGE_SIZE > hi)
			hi = kx_page_up(plan->seg[i].bufsz) / KX_PAGE_SIZE;
	if (digests_needed(plan, lo * KX_PAGE_SIZE) <= budget)
		return lo * KX_PAGE_SIZE;
	/* One digest per segment is the fewest; the caller refuses more than purgatory checks. */
	if (digests_needed(plan, hi * KX_PAGE_SIZE) > budget)
		return hi * KX_PAGE_SIZE;
	/* Fewer digests with every bigger chunk: lo does not fit, hi does. */
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (digests_needed(plan, mid * KX_PAGE_SIZE) <= budget)
			hi = mid;
		else
			lo = mid;
	}
	return hi * KX_PAGE_SIZE;
}

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22	/* Linux 5.14; older kernels say EINVAL, harmlessly */
#endif

/*
 * A mapped initrd's pages are in the page cache but not in our page
 * tables: one call maps a whole chunk of them, where reading them would
 * fault once per 64 KiB (and, under strace, a call per MiB costs more
 * than it saves).  Each hashing thread maps the chunks it takes, so the
 * work stays even between threads.  Best effort: a page it misses
 * faults in as it is read.
 */
static void map_ahead(const void *data, size_t size)
{
	uintptr_t start = (uintptr_t)data & ~(uintptr_t)(KX_PAGE_SIZE - 1);
	uintptr_t end = kx_page_up((uintptr_t)data + size);

	if (size)
		madvise((void *)start, end - start, MADV_POPULATE_READ);
}

static void *hash_worker(void *batch)
{
	sha256_batch_work(batch);
	return NULL;
}

/* The same digests whatever the thread count; threads only share the work. */
static void hash_all(struct kx_digest *digests, const uint8_t **bufs, size_t nr)
{
	struct sha256_msg msgs[KX_MAX_CHECKED_DIGESTS + KX_MAX_SEGMENTS];
	struct sha256_batch batch;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t workers = cpus > 1 ? (size_t)(cpus < KX_HASH_THREADS ? cpus : KX_HASH_THREADS) : 1;
	pthread_t threads[KX_HASH_THREADS - 1];
	size_t started = 0;

	if (workers > nr)
		workers = nr;
	for (size_t i = 0; i < nr; i++)
		msgs[i] = (struct sha256_msg){ bufs[i], digests[i].size, digests[i].sha256 };
	sha256_batch_init_fast(&batch, msgs, nr, workers);
	batch.map_ahead = map_ahead;
	while (started + 1 < workers &&
	       pthread_create(&threads[started], NULL, hash_worker, &batch) == 0)
		started++;
	sha256_batch_work(&batch);
	for (size_t t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
}

void plan_hash_segments(struct kx_plan *plan)
{
	const uint8_t *bufs[KX_MAX_CHECKED_DIGESTS + KX_MAX_SEGMENTS];
	uint64_t chunk = chunk_size(plan);
	size_t first = plan->nr_digests;

	for (size_t i = 0; i < plan->nr; i++) {
		struct kx_segment *s = &plan->seg[i];
		uint64_t off = 0;

		if (s->nr_digests || s->unchecked)
			continue;
		s->digest = plan->nr_digests;
		do {
			struct kx_digest *d = &plan->digests[plan->nr_digests];
			uint64_t left = s->bufsz - off;

			d->addr = s->mem + off;
			d->size = left < chunk ? left : chunk;
			/* A bss-only segment has no buffer (NULL): no arithmetic on it. */
			bufs[plan->nr_digests] = s->bufsz ? (const uint8_t *)s->buf + off : s->buf;
			plan->nr_digests++;
			s->nr_digests++;
			off += d->size;
		} while (off < s->bufsz);
	}
	if (plan->nr_digests > first)
		hash_all(&plan->digests[first], &bufs[first], plan->nr_digests - first);
}

static int cmp_mem(const void *a, const void *b)
{
	const struct kx_segment *x = a, *y = b;

	return x->mem < y->mem ? -1 : x->mem > y->mem;
}

void plan_sort(struct kx_plan *plan)
{
	qsort(plan->seg, plan->nr, sizeof(plan->seg[0]), cmp_mem);
}
