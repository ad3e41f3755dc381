/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * multikernel-status.c: the bounded wait for purgatory's status record,
 * with an ordinary file standing in for /dev/mem (both are mapped the
 * same way).  A record written while kexec waits ends the wait at once;
 * a record without its magic is not believed; silence lasts exactly the
 * stall time; progress (bytes_done raised) restarts it, up to the cap.
 * The error line when the wait ends without a jump, one row per case.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "multikernel-status.h"
#include "unit-helpers.h"

#define RECORD_AT 0x1018	/* not page aligned: the mapping must add the offset */

static char *new_mem(const struct purgatory_status *st)
{
	char *root = unit_sysroot_new(), *path = malloc(strlen(root) + 8);
	char zero[0x3000] = { 0 };
	int fd;

	sprintf(path, "%s/mem", root);
	free(root);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, zero, sizeof(zero)), sizeof(zero));
	if (st)
		assert_int_equal(pwrite(fd, st, sizeof(*st), RECORD_AT), sizeof(*st));
	close(fd);
	return path;
}

static void remove_mem(char *path)
{
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
	free(path);
}

static void jumped_ends_the_wait(void **state)
{
	struct purgatory_status st = { .magic = PURGATORY_STATUS_MAGIC,
				       .stage = PURGATORY_STAGE_JUMPED, .apic_id = 2 };
	char *mem = new_mem(&st);
	struct purgatory_status got;
	struct kx_error err = { 0 };
	double elapsed = -1;

	(void)state;
	assert_int_equal(mk_status_wait(mem, RECORD_AT, mk_status_now(), 2000, 300000, &got, &elapsed,
					&err), 0);
	assert_int_equal(got.stage, PURGATORY_STAGE_JUMPED);
	assert_int_equal(got.apic_id, 2);
	assert_true(elapsed >= 0 && elapsed < 1.0);
	remove_mem(mem);
}

static void mismatch_names_the_digest(void **state)
{
	struct purgatory_status st = { .magic = PURGATORY_STATUS_MAGIC,
				       .stage = PURGATORY_STAGE_MISMATCH, .bad_digest = 3,
				       .bad_addr = 0x20001000 };
	char *mem = new_mem(&st);
	struct purgatory_status got;
	struct kx_error err = { 0 };
	double elapsed;

	(void)state;
	assert_int_equal(mk_status_wait(mem, RECORD_AT, mk_status_now(), 2000, 300000, &got, &elapsed,
					&err), 0);
	assert_int_equal(got.stage, PURGATORY_STAGE_MISMATCH);
	assert_int_equal(got.bad_digest, 3);
	assert_int_equal(got.bad_addr, 0x20001000);
	remove_mem(mem);
}

/* Stray bytes that look like "jumped" but lack the magic: silence, for the whole wait. */
static void no_magic_is_silence(void **state)
{
	struct purgatory_status st = { .magic = 0, .stage = PURGATORY_STAGE_JUMPED };
	char *mem = new_mem(&st);
	struct purgatory_status got;
	struct kx_error err = { 0 };
	double elapsed;

	(void)state;
	assert_int_equal(mk_status_wait(mem, RECORD_AT, mk_status_now(), 150, 300000, &got, &elapsed,
					&err), 0);
	assert_int_equal(got.stage, PURGATORY_STAGE_NONE);
	assert_true(elapsed >= 0.150 && elapsed < 1.0);
	remove_mem(mem);
}

/* Purgatory arrives but never jumps: the wait ends at the timeout with the last stage seen. */
static void arrived_then_silent(void **state)
{
	struct purgatory_status st = { .magic = PURGATORY_STATUS_MAGIC,
				       .stage = PURGATORY_STAGE_ARRIVED };
	char *mem = new_mem(&st);
	struct purgatory_status got;
	struct kx_error err = { 0 };
	double elapsed;

	(void)state;
	assert_int_equal(mk_status_wait(mem, RECORD_AT, mk_status_now(), 100, 300000, &got, &elapsed,
					&err), 0);
	assert_int_equal(got.stage, PURGATORY_STAGE_ARRIVED);
	assert_true(elapsed >= 0.100);
	remove_mem(mem);
}

/* The record changes while kexec waits (another process plays purgatory). */
static void written_during_the_wait(void **state)
{
	char *mem = new_mem(NULL);
	struct purgatory_status got;
	struct kx_error err = { 0 };
	double elapsed, t0 = mk_status_now();
	int status;
	pid_t child = fork();

	(void)state;
	assert_true(child >= 0);
	if (child == 0) {
		struct purgatory_status st = { .magic = PURGATORY_STATUS_MAGIC,
					       .stage = PURGATORY_STAGE_JUMPED };
		int fd = open(mem, O_WRONLY);

		usleep(200 * 1000);
		_exit(fd >= 0 && pwrite(fd, &st, sizeof(st), RECORD_AT) == sizeof(st) ? 0 : 1);
	}
	assert_int_equal(mk_status_wait(mem, RECORD_AT, t0, 5000, 300000, &got, &elapsed, &err), 0);
	assert_int_equal(got.stage, PURGATORY_STAGE_JUMPED);
	assert_true(elapsed >= 0.2 && elapsed < 4.0);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	remove_mem(mem);
}

/*
 * Another process plays a purgatory hashing slowly: it arrives, then
 * raises bytes_done every 150 ms for 1.2 s, then stops without jumping.
 * With a 400 ms stall limit the wait outlives the stall limit several
 * times over while the count moves, and gives up 400 ms after it stops.
 */
static pid_t slow_hasher(const char *mem, int steps, int jump)
{
	pid_t child = fork();

	assert_true(child >= 0);
	if (child == 0) {
		struct purgatory_status st = { .magic = PURGATORY_STATUS_MAGIC,
					       .stage = PURGATORY_STAGE_ARRIVED,
					       .bytes_total = (uint64_t)steps << 20 };
		int fd = open(mem, O_WRONLY), ok = fd >= 0;

		for (int i = 0; ok && i <= steps; i++) {
			st.bytes_done = (uint64_t)i << 20;
			ok = pwrite(fd, &st, sizeof(st), RECORD_AT) == sizeof(st);
			usleep(150 * 1000);
		}
		if (ok && jump) {
			st.stage = PURGATORY_STAGE_JUMPED;
			ok = pwrite(fd, &st, sizeof(st), RECORD_AT) == sizeof(st);
		}
		_exit(ok ? 0 : 1);
	}
	return child;
}

static void reap(pid_t child)
{
	int status;

	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void progress_extends_the_wait(void **state)
{
	char *mem = new_mem(NULL);
	struct purgatory_status got;
	struct kx_error err = { 0 };
	double elapsed, t0 = mk_status_now();
	pid_t child = slow_hasher(mem, 12, 1);

	(void)state;
	assert_int_equal(mk_status_wait(mem, RECORD_AT, t0, 1000, 300000, &got, &elapsed, &err), 0);
	assert_int_equal(got.stage, PURGATORY_STAGE_JUMPED);
	assert_true(elapsed >= 1.2 && elapsed < 5.0);
	reap(child);
	remove_mem(mem);
}

static void stalled_progress_gives_up(void **state)
{
	char *mem = new_mem(NULL);
	struct purgatory_status got;
	struct kx_error err = { 0 };
	double elapsed, t0 = mk_status_now();
	pid_t child = slow_hasher(mem, 4, 0);

	(void)state;
	assert_int_equal(mk_status_wait(mem, RECORD_AT, t0, 1000, 300000, &got, &elapsed, &err), 0);
	assert_int_equal(got.stage, PURGATORY_STAGE_ARRIVED);
	assert_int_equal(got.bytes_done, 4ull << 20);
	assert_int_equal(got.bytes_total, 4ull << 20);
	/* The last raise is at about 0.6 s, and the 400 ms of silence follow it. */
	assert_true(elapsed >= 0.6 + 0.4 && elapsed < 4.0);
	reap(child);
	remove_mem(mem);
}

/* Steady progress still ends at the cap. */
static void progress_ends_at_the_cap(void **state)
{
	char *mem = new_mem(NULL);
	struct purgatory_status got;
	struct kx_error err = { 0 };
	double elapsed, t0 = mk_status_now();
	pid_t child = slow_hasher(mem, 12, 1);

	(void)state;
	assert_int_equal(mk_status_wait(mem, RECORD_AT, t0, 400, 500, &got, &elapsed, &err), 0);
	assert_int_equal(got.stage, PURGATORY_STAGE_ARRIVED);
	assert_true(got.bytes_done < 8ull << 20);
	/*
	 * The hasher jumps after about 1.95 s: a wait past the cap would see
	 * JUMPED and 12 MiB.  The upper bound only has to stay below that; it
	 * was 1.2 s and failed once at load average 8.
	 */
	assert_true(elapsed >= 0.5 && elapsed < 1.8);
	reap(child);
	remove_mem(mem);
}

static void unreadable_is_an_error(void **state)
{
	struct purgatory_status got;
	struct kx_error err = { 0 };
	double elapsed;

	(void)state;
	assert_int_equal(mk_status_wait("/nonexistent/mem", 0x1000, mk_status_now(), 100, 300000, &got,
					&elapsed, &err), -1);
	assert_int_equal(err.status, KX_ENOLIFE);
	unit_assert_contains(err.msg, "cannot open /nonexistent/mem");
}

#define MIB (1ull << 20)

struct silence_row {
	const char *name;
	struct purgatory_status st;	/* the last record the wait saw */
	double elapsed;
	unsigned int stall_ms, cap_ms;
	int cpu;
	const char *want;		/* the line up to the advice that always follows */
	const char *cpus;		/* an instance of several: all its CPUs (cpu the first) */
};

/* --start-wait=5 (stall 5 s) unless a row says otherwise; the cap is 300 s or --start-wait. */
static const struct silence_row silence_rows[] = {
	{ "silence_never_arrived", { 0 }, 5.002, 5000, 300000, 1,
	  "no sign of life from CPU 1 for 5 s (purgatory never arrived)", NULL },
	{ "silence_arrived_then_stopped",
	  { .magic = PURGATORY_STATUS_MAGIC, .stage = PURGATORY_STAGE_ARRIVED }, 1.503, 1500,
	  300000, 2, "no sign of life from CPU 2 for 1.5 s (purgatory arrived, then stopped)", NULL },
	{ "silence_verified_part_then_stopped",
	  { .magic = PURGATORY_STATUS_MAGIC, .stage = PURGATORY_STAGE_ARRIVED,
	    .bytes_total = 13002342, .bytes_done = 3 * MIB }, 9.0, 5000, 300000, 1,
	  "no sign of life from CPU 1 for 5 s (purgatory arrived and verified 3.0 of 12.4 MiB, "
	  "then stopped)", NULL },
	{ "silence_checked_but_no_jump",
	  { .magic = PURGATORY_STATUS_MAGIC, .stage = PURGATORY_STAGE_DIGESTS_OK,
	    .bytes_total = 13002342, .bytes_done = 13002342 }, 5.4, 5000, 300000, 3,
	  "no sign of life from CPU 3 for 5 s (purgatory checked the digests but did not jump)", NULL },
	{ "silence_cap_while_hashing",
	  { .magic = PURGATORY_STATUS_MAGIC, .stage = PURGATORY_STAGE_ARRIVED,
	    .bytes_total = 2048 * MIB, .bytes_done = 1536 * MIB }, 300.002, 5000, 300000, 1,
	  "no jump to the kernel on CPU 1 within 300 s (purgatory arrived and was still hashing: "
	  "1536.0 of 2048.0 MiB verified)", NULL },
	/* Stopped 1 ms before the cap: the silence ended the wait, not the cap. */
	{ "silence_stopped_just_before_cap",
	  { .magic = PURGATORY_STATUS_MAGIC, .stage = PURGATORY_STAGE_ARRIVED,
	    .bytes_total = 2048 * MIB, .bytes_done = 1536 * MIB }, 299.999, 5000, 300000, 1,
	  "no sign of life from CPU 1 for 5 s (purgatory arrived and verified 1536.0 of 2048.0 "
	  "MiB, then stopped)", NULL },
	/* --start-wait=600: the cap is the longer wait. */
	{ "silence_cap_is_start_wait",
	  { .magic = PURGATORY_STATUS_MAGIC, .stage = PURGATORY_STAGE_ARRIVED,
	    .bytes_total = 4096 * MIB, .bytes_done = 3072 * MIB }, 600.0, 600000, 600000, 2,
	  "no jump to the kernel on CPU 2 within 600 s (purgatory arrived and was still hashing: "
	  "3072.0 of 4096.0 MiB verified)", NULL },
	{ "silence_cap_after_the_check",
	  { .magic = PURGATORY_STATUS_MAGIC, .stage = PURGATORY_STAGE_DIGESTS_OK,
	    .bytes_total = 4096 * MIB, .bytes_done = 4096 * MIB }, 400.0, 400000, 400000, 1,
	  "no jump to the kernel on CPU 1 within 400 s (purgatory checked the digests but did "
	  "not jump)", NULL },
	/* Both limits fall together, but a purgatory never seen made no progress: silence. */
	{ "silence_never_arrived_at_the_cap", { 0 }, 400.0, 400000, 400000, 1,
	  "no sign of life from CPU 1 for 400 s (purgatory never arrived)", NULL },
	/* An instance of several: the kick's CPU, and every CPU it holds (not the first alone). */
	{ "silence_several_cpus", { 0 }, 5.002, 5000, 300000, 1,
	  "no sign of life from CPU 1 (the first of CPUs 1-2,5) for 5 s (purgatory never "
	  "arrived); its CPUs", "1-2,5" },
	{ "silence_several_cpus_cap",
	  { .magic = PURGATORY_STATUS_MAGIC, .stage = PURGATORY_STAGE_DIGESTS_OK,
	    .bytes_total = 4096 * MIB, .bytes_done = 4096 * MIB }, 400.0, 400000, 400000, 2,
	  "no jump to the kernel on CPU 2 (the first of CPUs 2-3) within 400 s (purgatory checked "
	  "the digests but did not jump); its CPUs", "2-3" },
};

static void test_silence(void **state)
{
	const struct silence_row *row = *state;
	char got[512], want[512];
	struct mk_instance in = { .cpu = row->cpu };
	struct cpu_set set;

	if (row->cpus) {
		assert_int_equal(cpu_set_parse(row->cpus, &set), 0);
		in.nr_cpus = cpu_set_members(&set, in.cpus, CPU_LIST_MAX);
	}
	/* One CPU: "its CPU and memory"; several: the row's want already says "its CPUs". */
	snprintf(want, sizeof(want), "%s%s and memory stay recorded as taken; once you "
		 "know it is dead: 'kexec --multikernel --forget=%d'", row->want,
		 row->cpus ? "" : "; its CPU", row->cpu);
	mk_status_silence(&row->st, row->elapsed, row->stall_ms, row->cap_ms, &in, got,
			  sizeof(got));
	assert_string_equal(got, want);
}

int main(void)
{
	struct CMUnitTest tests[N(silence_rows) + 9];
	size_t n = 0;

	tests[n++] = (struct CMUnitTest)cmocka_unit_test(jumped_ends_the_wait);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(mismatch_names_the_digest);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(no_magic_is_silence);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(arrived_then_silent);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(written_during_the_wait);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(progress_extends_the_wait);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(stalled_progress_gives_up);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(progress_ends_at_the_cap);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(unreadable_is_an_error);
	ROWS(silence_rows, test_silence);
	return _cmocka_run_group_tests("mk-status", tests, n, NULL, NULL);
}
