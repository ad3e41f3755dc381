/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Many independent messages hashed by one or more workers.  Loader only.
 *
 * A worker takes messages from a shared cursor, longest first.  With a
 * lane engine (sha256-x8.c, sha256-x16.c) it keeps up to lanes_per_worker
 * messages in flight, runs all lanes for as many blocks as the shortest
 * one still has, then finishes that message's tail (the partial block and
 * the padding) with the single-message code and refills the lane.
 * Before it starts a message it calls map_ahead on all of it.
 * Without AVX-512, or when a worker would have too few messages to fill
 * its lanes, the engine is two messages interleaved on SHA-NI; without
 * SHA-NI either, one message at a time in portable C.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

/*
 * An engine costs the same per step however many of its lanes are busy.
 * Measured per core on a Xeon with SHA-NI and AVX-512 (bench/sha256-speed):
 * one message on SHA-NI ~1.4 GB/s, two interleaved (sha256-shani-x2.c)
 * ~1.6 GB/s, eight lanes of ymm ~2.0 GB/s, sixteen of zmm ~2.9 GB/s.  So
 * the zmm engine pays from 12 busy lanes on (12/16 of 2.9), the ymm one
 * from 7 (7/8 of 2.0); fewer, two at a time on SHA-NI.
 */
#define X16_MIN_LANES		12
#define X8_MIN_LANES		7
/* A message this short (in blocks) is not worth a lane. */
#define LANE_MIN_BLOCKS		64

static int longest_first(const void *x, const void *y)
{
	const struct sha256_msg *a = x, *b = y;

	return a->size < b->size ? 1 : a->size > b->size ? -1 : 0;
}

void sha256_batch_init(struct sha256_batch *b, struct sha256_msg *msgs, size_t nr,
		       size_t lanes_per_worker, sha256_lanes_fn *lanes_fn)
{
	qsort(msgs, nr, sizeof(*msgs), longest_first);
	b->map_ahead = NULL;
	b->msgs = msgs;
	b->nr = nr;
	b->next = 0;
	b->lanes_per_worker = lanes_per_worker < SHA256_MAX_LANES ? lanes_per_worker :
			      SHA256_MAX_LANES;
	b->lanes_fn = b->lanes_per_worker ? lanes_fn : NULL;
}

void sha256_batch_init_fast(struct sha256_batch *b, struct sha256_msg *msgs, size_t nr,
			    size_t workers)
{
	size_t per_worker = workers ? (nr + workers - 1) / workers : nr;
	int width = sha256_lanes_width();

	if (width >= 16 && per_worker >= X16_MIN_LANES)
		sha256_batch_init(b, msgs, nr, per_worker < 16 ? per_worker : 16, sha256_blocks_x16);
	else if (width >= 8 && (per_worker >= X8_MIN_LANES || !sha256_have_shani()))
		sha256_batch_init(b, msgs, nr, per_worker < 8 ? per_worker : 8, sha256_blocks_x8);
	else if (sha256_have_shani() && per_worker >= 2)
		sha256_batch_init(b, msgs, nr, 2, sha256_blocks_shani_x2);
	else
		sha256_batch_init(b, msgs, nr, 0, NULL);
}

static const struct sha256_msg *take(struct sha256_batch *b)
{
	size_t i = __atomic_fetch_add(&b->next, 1, __ATOMIC_RELAXED);

	return i < b->nr ? &b->msgs[i] : NULL;
}

struct lane {
	const struct sha256_msg *msg;	/* NULL: idle */
	const uint8_t *at;		/* next block */
	size_t blocks;			/* whole blocks left */
};

/* The lane's whole blocks are done: the rest of the message and the padding. */
static void finish(const struct lane *ln, uint32_t state[8][SHA256_MAX_LANES], size_t l)
{
	const struct sha256_msg *m = ln->msg;
	size_t tail = m->size % SHA256_BLOCK_SIZE;
	struct sha256_ctx ctx;

	sha256_init_fast(&ctx);
	for (int w = 0; w < 8; w++)
		ctx.state[w] = state[w][l];
	ctx.total_size = m->size - tail;
	sha256_update(&ctx, ln->at, tail);
	sha256_final(&ctx, m->out);
}

/* Fill an idle lane with the next message worth one; false when none is left. */
static bool fill(struct sha256_batch *b, struct lane *ln, uint32_t state[8][SHA256_MAX_LANES],
		 size_t l)
{
	const struct sha256_msg *m;
	struct sha256_ctx iv;

	while ((m = take(b))) {
		if (m->size / SHA256_BLOCK_SIZE < LANE_MIN_BLOCKS) {
			sha256_digest(m->data, m->size, m->out);
			continue;
		}
		if (b->map_ahead)
			b->map_ahead(m->data, m->size);
		*ln = (struct lane){ m, m->data, m->size / SHA256_BLOCK_SIZE };
		sha256_init_with(&iv, NULL);
		for (int w = 0; w < 8; w++)
			state[w][l] = iv.state[w];
		return true;
	}
	return false;
}

static void work_lanes(struct sha256_batch *b)
{
	uint32_t state[8][SHA256_MAX_LANES] = { { 0 } };	/* idle lanes hash from zeros */
	struct lane lane[SHA256_MAX_LANES] = { 0 };
	const uint8_t *at[SHA256_MAX_LANES];
	bool drained = false;

	for (;;) {
		size_t steps = SIZE_MAX;
		const uint8_t *busy = NULL;

		for (size_t l = 0; l < b->lanes_per_worker; l++) {
			if (!lane[l].msg && !drained)
				drained = !fill(b, &lane[l], state, l);
			if (lane[l].msg) {
				busy = lane[l].at;
				if (lane[l].blocks < steps)
					steps = lane[l].blocks;
			}
		}
		if (!busy)
			return;
		/* An idle lane rereads a busy lane's blocks; its state is never used. */
		for (size_t l = 0; l < SHA256_MAX_LANES; l++)
			at[l] = lane[l].msg ? lane[l].at : busy;
		b->lanes_fn(state, at, steps);
		for (size_t l = 0; l < b->lanes_per_worker; l++) {
			if (!lane[l].msg)
				continue;
			lane[l].at += steps * SHA256_BLOCK_SIZE;
			lane[l].blocks -= steps;
			if (!lane[l].blocks) {
				finish(&lane[l], state, l);
				lane[l].msg = NULL;
			}
		}
	}
}

void sha256_batch_work(struct sha256_batch *b)
{
	const struct sha256_msg *m;

	if (b->lanes_fn) {
		work_lanes(b);
		return;
	}
	while ((m = take(b))) {
		if (b->map_ahead)
			b->map_ahead(m->data, m->size);
		sha256_digest(m->data, m->size, m->out);
	}
}
