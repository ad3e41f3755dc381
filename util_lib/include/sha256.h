/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SHA-256 (FIPS 180-4), one implementation for the loader and purgatory.
 *
 * util_lib/sha256.c is portable C that purgatory compiles with its own
 * freestanding flags: it needs no libc, has no writable globals and no
 * pointers in initialised data.  The block function is chosen by the
 * caller through the context, so the loader can plug in SHA-NI
 * (util_lib/sha256-shani.c) without a second copy of the padding logic.
 *
 * sha256-shani.c is built into purgatory too, which turns SSE on for it
 * (purgatory/sse.c); the functions marked "loader only" live in a file
 * purgatory never builds.
 */
#ifndef UTIL_SHA256_H
#define UTIL_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_BLOCK_SIZE	64
#define SHA256_DIGEST_SIZE	32

/* Compress nblocks consecutive 64-byte blocks into state (no alignment needed). */
typedef void sha256_block_fn(uint32_t state[8], const uint8_t *blocks, size_t nblocks);

struct sha256_ctx {
	uint32_t state[8];
	uint64_t total_size;		/* bytes fed so far */
	uint8_t buf[SHA256_BLOCK_SIZE];	/* partial block: total_size % 64 bytes */
	sha256_block_fn *block;
};

/* The 64 round constants of FIPS 180-4 section 4.2.2, shared with SHA-NI. */
extern const uint32_t sha256_round_k[64];

/* Portable: sha256.c, also built into purgatory. */
sha256_block_fn sha256_block_generic;
void sha256_init_with(struct sha256_ctx *ctx, sha256_block_fn *block);
void sha256_init(struct sha256_ctx *ctx);	/* portable block function */
void sha256_update(struct sha256_ctx *ctx, const void *data, size_t size);
void sha256_final(struct sha256_ctx *ctx, uint8_t out[SHA256_DIGEST_SIZE]);
void sha256_digest_generic(const void *data, size_t size, uint8_t out[SHA256_DIGEST_SIZE]);

/* SHA-NI: sha256-shani.c, also built into purgatory. */
sha256_block_fn sha256_block_shani;	/* call only if sha256_have_shani(), SSE on */
int sha256_have_shani(void);		/* CPU has SHA, SSE4.1 and SSSE3 */

/* Loader only: sha256-digest.c. */
void sha256_init_fast(struct sha256_ctx *ctx);	/* SHA-NI when present */
void sha256_digest(const void *data, size_t size, uint8_t out[SHA256_DIGEST_SIZE]);

/*
 * Loader only: sha256-x8.c and sha256-x16.c, 8 or 16 messages at once on
 * AVX-512.  state[w][lane] is working variable w of that lane; every lane
 * advances nblocks blocks of 64 bytes from lanes[lane] (x8: lanes 0-7).
 */
#define SHA256_MAX_LANES	16
typedef void sha256_lanes_fn(uint32_t state[8][SHA256_MAX_LANES],
			     const uint8_t *const lanes[SHA256_MAX_LANES], size_t nblocks);
sha256_lanes_fn sha256_blocks_x8;	/* call only if sha256_lanes_width() >= 8 */
sha256_lanes_fn sha256_blocks_x16;	/* call only if sha256_lanes_width() >= 16 */
int sha256_lanes_width(void);		/* 16, 8 or 0: what this CPU and OS run */
/* Loader only: sha256-shani-x2.c, lanes 0 and 1 on SHA-NI (sha256_have_shani()). */
sha256_lanes_fn sha256_blocks_shani_x2;

/* Loader only: sha256-batch.c, independent messages shared by workers. */
struct sha256_msg {
	const void *data;
	size_t size;
	uint8_t *out;			/* SHA256_DIGEST_SIZE bytes */
};

struct sha256_batch {
	const struct sha256_msg *msgs;	/* longest first */
	size_t nr;
	size_t next;			/* shared: the next message to start */
	size_t lanes_per_worker;	/* messages one worker hashes at once (<= the engine's) */
	sha256_lanes_fn *lanes_fn;	/* NULL: one message at a time */
	/*
	 * Optional, set after init: called with each message (but those too
	 * short for a lane) just before the worker starts it, to map a file's
	 * pages in with one call rather than a page fault per 64 KiB.
	 */
	void (*map_ahead)(const void *data, size_t size);
};

/* Sorts msgs longest first.  For a test: any lanes function, 1..its width lanes. */
void sha256_batch_init(struct sha256_batch *b, struct sha256_msg *msgs, size_t nr,
		       size_t lanes_per_worker, sha256_lanes_fn *lanes_fn);
/* The fastest way this CPU has for nr messages shared by workers threads. */
void sha256_batch_init_fast(struct sha256_batch *b, struct sha256_msg *msgs, size_t nr,
			    size_t workers);
/* Hash messages until none is left to start; any number of threads at once. */
void sha256_batch_work(struct sha256_batch *b);

#endif /* UTIL_SHA256_H */
