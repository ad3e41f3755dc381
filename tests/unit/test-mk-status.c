/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * multikernel-status.c: the bounded wait for purgatory's status record,
 * with an ordinary file standing in for /dev/mem (both are mapped the
 * same way).  A record written while kexec waits ends the wait at once;
 * a record without its magic is not believed; silence lasts exactly the
 * stall time; progress (bytes_done raised) restarts it, up to the cap.
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
	assert_true(elapsed >= 0.5 && elapsed < 1.2);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(jumped_ends_the_wait),
		cmocka_unit_test(mismatch_names_the_digest),
		cmocka_unit_test(no_magic_is_silence),
		cmocka_unit_test(arrived_then_silent),
		cmocka_unit_test(written_during_the_wait),
		cmocka_unit_test(progress_extends_the_wait),
		cmocka_unit_test(stalled_progress_gives_up),
		cmocka_unit_test(progress_ends_at_the_cap),
		cmocka_unit_test(unreadable_is_an_error),
	};

	return cmocka_run_group_tests_name("mk-status", tests, NULL, NULL);
}
