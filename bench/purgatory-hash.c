/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * purgatory-hash: purgatory's own digest check, timed on the host.
 *
 * Linked with the very objects of the purgatory blob (build/purgatory/obj:
 * digest.o, sha256.o, sha256-shani.o, string.o, built with purgatory's
 * freestanding flags), so the portable path runs as the -mgeneral-regs-only
 * code purgatory runs.  Only sse.c is replaced: user mode has SSE on.
 *
 * The check covers MiB bytes (default 256) split into 64 MiB digests as the
 * loader writes them for an initrd (KX_DIGEST_CHUNK); rounds alternate the
 * two paths, and the medians are reported in GB/s (10^9 bytes per second)
 * of the thread's CPU time (one core, as purgatory has) and of wall time;
 * on a loaded machine only the CPU-time figure means anything.
 *
 * Usage: purgatory-hash [-m MiB] [-n ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "purgatory.h"

#define CHUNK (64ull << 20)

void sse_enable(struct sse_saved *saved)
{
	(void)saved;
}

void sse_restore(const struct sse_saved *saved)
{
	(void)saved;
}

/* purgatory.c writes progress into the status record; there is none here. */
void purgatory_report_progress(const struct purgatory_params *params, uint64_t done)
{
	(void)params;
	(void)done;
}

static double now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One timed check (CPU and wall seconds); exits if the path disagrees with the digests. */
static void time_check(struct purgatory_params *p, sha256_block_fn *block, const char *name,
		       double *cpu, double *wall)
{
	double c0 = now(CLOCK_THREAD_CPUTIME_ID), w0 = now(CLOCK_MONOTONIC);
	int bad = digest_find_mismatch_with(p, block);

	*cpu = now(CLOCK_THREAD_CPUTIME_ID) - c0;
	*wall = now(CLOCK_MONOTONIC) - w0;
	if (bad >= 0) {
		fprintf(stderr, "purgatory-hash: the %s path disagrees on digest %d\n", name, bad);
		exit(1);
	}
}

static void report(const char *name, double *cpu, double *wall, int rounds, size_t size)
{
	double c = median(cpu, rounds), w = median(wall, rounds);

	printf("    %-34s %7.3f s %7.3f GB/s per core   (wall %.3f s, %.3f GB/s)\n",
	       name, c, size / c / 1e9, w, size / w / 1e9);
}

int main(int argc, char **argv)
{
	static struct purgatory_params p;
	unsigned long mib = 256;
	int rounds = 5, opt, shani = sha256_have_shani();
	double c_gen[64], w_gen[64], c_ni[64], w_ni[64];
	uint8_t *buf;
	size_t size;

	while ((opt = getopt(argc, argv, "m:n:")) != -1) {
		if (opt == 'm')
			mib = strtoul(optarg, NULL, 0);
		else if (opt == 'n')
			rounds = atoi(optarg);
		else
			return 2;
	}
	size = (size_t)mib << 20;
	if (!mib || mib > 1024 || rounds < 1 || rounds > 64 ||
	    (size + CHUNK - 1) / CHUNK > PURGATORY_MAX_DIGESTS) {
		fprintf(stderr, "purgatory-hash: want 1-1024 MiB and 1-64 rounds\n");
		return 2;
	}
	buf = malloc(size);
	if (!buf)
		return 1;
	/* Random-looking bytes, written once so every page is resident. */
	for (size_t i = 0; i < size / 8; i++)
		((uint64_t *)buf)[i] = (i + 1) * 0x9e3779b97f4a7c15ull;

	for (size_t off = 0; off < size; off += CHUNK) {
		struct purgatory_digest *d = &p.digests[p.nr_digests++];

		d->addr = (uint64_t)(uintptr_t)(buf + off);
		d->size = size - off < CHUNK ? size - off : CHUNK;
		/* The loader's digests: SHA-NI when present, as in plan.c. */
		{
			struct sha256_ctx ctx;

			sha256_init_with(&ctx, shani ? sha256_block_shani : sha256_block_generic);
			sha256_update(&ctx, buf + off, d->size);
			sha256_final(&ctx, d->sha256);
		}
	}

	for (int r = 0; r < rounds; r++) {
		time_check(&p, sha256_block_generic, "portable", &c_gen[r], &w_gen[r]);
		if (shani)
			time_check(&p, sha256_block_shani, "sha-ni", &c_ni[r], &w_ni[r]);
	}
	printf("purgatory-hash: %lu MiB in %u digests, %d alternating rounds, medians of CPU time\n",
	       mib, p.nr_digests, rounds);
	report("portable C (-mgeneral-regs-only)", c_gen, w_gen, rounds, size);
	if (shani)
		report("sha-ni", c_ni, w_ni, rounds, size);
	else
		printf("    sha-ni                             (this CPU has no SHA extensions)\n");
	return 0;
}
