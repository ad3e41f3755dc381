// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "multikernel-status.h"

/* Often enough to time a start to the millisecond, rarely enough to cost nothing. */
#define POLL_NS 2000000L
#define PAGE 4096ull

double mk_status_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * A mapping, not read(2): /dev/mem's read refuses addresses above the
 * host's last RAM page (high_memory), and a memmap= reservation at the
 * top of RAM lies exactly there.  O_SYNC makes the mapping uncached, so
 * every poll reads memory (x86 keeps it coherent with purgatory's stores).
 */
static const volatile struct purgatory_status *map_record(int fd, uint64_t addr, void **page)
{
	*page = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, (off_t)(addr & ~(PAGE - 1)));
	if (*page == MAP_FAILED)
		return NULL;
	return (const volatile struct purgatory_status *)((char *)*page + (addr & (PAGE - 1)));
}

int mk_status_wait(const char *dev_mem, uint64_t addr, double t0, unsigned int stall_ms,
		   unsigned int cap_ms, struct purgatory_status *out, double *elapsed,
		   struct kx_error *err)
{
	const volatile struct purgatory_status *rec;
	double last_sign = 0;	/* seconds since t0 */
	int fd = open(dev_mem, O_RDONLY | O_CLOEXEC | O_SYNC);
	void *page;

	memset(out, 0, sizeof(*out));
	if (fd < 0)
		return kx_fail(err, KX_ENOLIFE, "cannot open %s to read purgatory's status: %s",
			       dev_mem, strerror(errno));
	if ((addr & (PAGE - 1)) + sizeof(*out) > PAGE || !(rec = map_record(fd, addr, &page))) {
		int e = errno;

		close(fd);
		return kx_fail(err, KX_ENOLIFE, "cannot map purgatory's status at 0x%llx through "
			       "%s: %s", (unsigned long long)addr, dev_mem, strerror(e));
	}
	close(fd);
	for (;;) {
		struct purgatory_status st = {
			.magic = rec->magic, .stage = rec->stage, .bad_digest = rec->bad_digest,
			.apic_id = rec->apic_id, .bad_addr = rec->bad_addr,
			.bytes_total = rec->bytes_total, .bytes_done = rec->bytes_done,
		};

		*elapsed = mk_status_now() - t0;
		/* A record without the magic is bytes purgatory never wrote. */
		if (st.magic == PURGATORY_STATUS_MAGIC) {
			if (st.stage != out->stage || st.bytes_done != out->bytes_done)
				last_sign = *elapsed;
			*out = st;
		}
		if (out->stage == PURGATORY_STAGE_JUMPED || out->stage == PURGATORY_STAGE_MISMATCH ||
		    (*elapsed - last_sign) * 1000 >= stall_ms || *elapsed * 1000 >= cap_ms)
			break;
		nanosleep(&(struct timespec){ 0, POLL_NS }, NULL);
	}
	munmap(page, PAGE);
	return 0;
}

/* What the last record said, for mk_status_silence's line. */
static void last_seen(const struct purgatory_status *st, bool capped, char *buf, size_t size)
{
	double done = st->bytes_done / 1048576.0, total = st->bytes_total / 1048576.0;

	if (st->stage == PURGATORY_STAGE_DIGESTS_OK)
		snprintf(buf, size, "purgatory checked the digests but did not jump");
	else if (st->stage != PURGATORY_STAGE_ARRIVED)
		snprintf(buf, size, "purgatory never arrived");
	else if (!st->bytes_total)
		snprintf(buf, size, "purgatory arrived, then stopped");
	else if (capped)
		snprintf(buf, size, "purgatory arrived and was still hashing: %.1f of %.1f MiB "
			 "verified", done, total);
	else
		snprintf(buf, size, "purgatory arrived and verified %.1f of %.1f MiB, then stopped",
			 done, total);
}

void mk_status_silence(const struct purgatory_status *st, double elapsed, unsigned int stall_ms,
		       unsigned int cap_ms, const struct mk_instance *in, char *out, size_t size)
{
	/*
	 * The cap ends only a wait that kept seeing progress.  A purgatory
	 * never seen gave none: its wait ended for silence, even when
	 * --start-wait reaches the cap and both limits fall together.
	 */
	bool arrived = st->stage == PURGATORY_STAGE_ARRIVED ||
		       st->stage == PURGATORY_STAGE_DIGESTS_OK;
	bool capped = arrived && elapsed * 1000 >= cap_ms;
	char seen[160], kicked[MK_CPU_WORDS_MAX];

	last_seen(st, capped, seen, sizeof(seen));
	mk_instance_kicked_words(in, kicked, sizeof(kicked));
	snprintf(out, size, "%s %s %s %.3g s (%s); its CPU%s and memory stay recorded as taken; "
		 "once you know it is dead: 'kexec --multikernel --forget=%d'",
		 capped ? "no jump to the kernel on" : "no sign of life from", kicked,
		 capped ? "within" : "for", (capped ? cap_ms : stall_ms) / 1000.0, seen,
		 in->nr_cpus > 1 ? "s" : "", in->cpu);
}
