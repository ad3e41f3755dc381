// SPDX-License-Identifier: GPL-2.0-only
/*
 * sha256-speed: the loader's SHA-256 paths on this CPU, in GB/s per core.
 *
 * Usage: build/bench/sha256-speed [MiB]   (default 256, the load benchmark's initrd)
 *
 * A benchmark, not a test: it prints numbers.  Rates are bytes over the
 * CPU time of the threads that hashed (CLOCK_PROCESS_CPUTIME_ID), which a
 * busy machine disturbs far less than wall time; wall time is printed
 * beside them for the threaded rows.  The buffer is anonymous memory
 * touched once before timing, so no row pays for page faults.
 *
 * Rows: the portable block function, SHA-NI on one message and on two
 * interleaved, the AVX-512 engines on eight and sixteen messages, and the
 * batch the loader runs:
 * the buffer cut into equal chunks as kexec/plan.c cuts a big initrd (as
 * many as purgatory checks) on 1 and 2 workers.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plan.h"
#include "sha256.h"

#define CHUNKS	KX_MAX_CHECKED_DIGESTS

static double seconds(clockid_t clock)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void row(const char *name, size_t bytes, double cpu, double wall)
{
	printf("  %-34s %8.3f GB/s per core", name, (double)bytes / cpu / 1e9);
	if (wall > 0)
		printf("   wall %7.1f ms, CPU %7.1f ms", wall * 1e3, cpu * 1e3);
	printf("\n");
}

static void *worker(void *batch)
{
	sha256_batch_work(batch);
	return NULL;
}

static void batch_row(const char *name, const uint8_t *buf, size_t size, size_t workers)
{
	struct sha256_msg msgs[CHUNKS];
	uint8_t out[CHUNKS][SHA256_DIGEST_SIZE];
	struct sha256_batch batch;
	pthread_t threads[1];
	size_t chunk = size / CHUNKS;
	double cpu, wall;

	for (size_t i = 0; i < CHUNKS; i++)
		msgs[i] = (struct sha256_msg){ buf + i * chunk, chunk, out[i] };
	cpu = seconds(CLOCK_PROCESS_CPUTIME_ID);
	wall = seconds(CLOCK_MONOTONIC);
	sha256_batch_init_fast(&batch, msgs, CHUNKS, workers);
	if (workers > 1 && pthread_create(&threads[0], NULL, worker, &batch) != 0)
		workers = 1;
	sha256_batch_work(&batch);
	if (workers > 1)
		pthread_join(threads[0], NULL);
	row(name, chunk * CHUNKS, seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu,
	    seconds(CLOCK_MONOTONIC) - wall);
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 256;
	size_t size = mib << 20;
	uint8_t *buf = malloc(size);
	uint32_t state[8][SHA256_MAX_LANES] = { { 0 } };
	uint8_t digest[SHA256_DIGEST_SIZE];
	double t;

	if (!buf || mib < 1) {
		fprintf(stderr, "sha256-speed: cannot allocate %zu MiB\n", mib);
		return 1;
	}
	for (size_t i = 0; i < size; i++)
		buf[i] = (uint8_t)(i * 2654435761u >> 13);
	printf("sha256-speed: %zu MiB; SHA-NI %s, AVX-512 lanes: %d\n", mib,
	       sha256_have_shani() ? "yes" : "no", sha256_lanes_width());

	t = seconds(CLOCK_PROCESS_CPUTIME_ID);
	sha256_digest_generic(buf, size / 8, digest);
	row("portable, one message (1/8 of it)", size / 8, seconds(CLOCK_PROCESS_CPUTIME_ID) - t, 0);
	if (sha256_have_shani()) {
		t = seconds(CLOCK_PROCESS_CPUTIME_ID);
		sha256_digest(buf, size, digest);
		row("SHA-NI, one message", size, seconds(CLOCK_PROCESS_CPUTIME_ID) - t, 0);
	}
	if (sha256_have_shani()) {
		const uint8_t *two[SHA256_MAX_LANES] = { buf, buf + size / 2 };

		t = seconds(CLOCK_PROCESS_CPUTIME_ID);
		sha256_blocks_shani_x2(state, two, size / 2 / SHA256_BLOCK_SIZE);
		row("SHA-NI, two messages interleaved", size, seconds(CLOCK_PROCESS_CPUTIME_ID) - t, 0);
	}
	for (int width = 8; width <= sha256_lanes_width(); width *= 2) {
		const uint8_t *lanes[SHA256_MAX_LANES];
		char name[64];

		for (int l = 0; l < width; l++)
			lanes[l] = buf + (size_t)l * (size / (size_t)width);
		t = seconds(CLOCK_PROCESS_CPUTIME_ID);
		(width == 8 ? sha256_blocks_x8 : sha256_blocks_x16)(state, lanes,
								      size / (size_t)width / SHA256_BLOCK_SIZE);
		snprintf(name, sizeof(name), "AVX-512 %d lanes, %d messages", width, width);
		row(name, size, seconds(CLOCK_PROCESS_CPUTIME_ID) - t, 0);
	}
	batch_row("loader's batch, 1 worker", buf, size, 1);
	batch_row("loader's batch, 2 workers", buf, size, 2);
	free(buf);
	return 0;
}
