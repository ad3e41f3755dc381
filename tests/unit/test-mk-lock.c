/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mk-lock.c through the instance records, on a kernel without file
 * locking (an flock that says ENOSYS): two holders exclude each other
 * (also two processes hammering one counter, from a stale lock), a dead,
 * previous-boot or reused-pid owner's lock is taken over and a live
 * owner's never, the wait ends with a line naming the owner, and every
 * way out of mk_registry_open/close leaves no lock file behind.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "mk-instance.h"
#include "mk-lock.h"
#include "unit-helpers.h"

#define BOOT "6f0c1e2d-0000-4000-8000-000000000001"
#define OTHER_BOOT "ffffffff-0000-4000-8000-000000000001"
#define SHA "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static int flock_says_enosys(int fd, int op)
{
	(void)fd, (void)op;
	errno = ENOSYS;
	return -1;
}

static int flock_says_enolck(int fd, int op)
{
	(void)fd, (void)op;
	errno = ENOLCK;
	return -1;
}

static const struct mk_lock_ops no_flock = { flock_says_enosys, 5000, 10 };
static const struct mk_lock_ops no_flock_short = { flock_says_enosys, 300, 10 };

static int setup(void **state)
{
	*state = unit_sysroot_new();
	return 0;
}

static int teardown(void **state)
{
	unit_sysroot_remove(*state);
	return 0;
}

static bool lock_file_exists(const char *root)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/run/kexec-mk/" MK_LOCK_FILE, root);
	return access(path, F_OK) == 0;
}

static void own_pidns(char *out, size_t size)
{
	ssize_t n = readlink("/proc/self/ns/pid", out, size - 1);

	out[n > 0 ? n : 0] = '\0';
}

/* A lock file as kexec writes it; start 0: without a start line (unknown). */
static void write_lock_started(const char *root, long pid, const char *boot, const char *pidns,
			       unsigned long long start)
{
	char text[256];
	int len;

	len = snprintf(text, sizeof(text), "pid %ld\nboot_id %s\npidns %s\n", pid, boot, pidns);
	if (start)
		snprintf(text + len, sizeof(text) - (size_t)len, "start %llu\n", start);
	unit_sysroot_write(root, "run/kexec-mk/" MK_LOCK_FILE, text);
}

static void write_lock(const char *root, long pid, const char *boot, const char *pidns)
{
	write_lock_started(root, pid, boot, pidns, 0);
}

/* Field 22 of /proc/PID/stat, read here independently of mk-lock.c. */
static unsigned long long proc_start(long pid)
{
	char path[64], text[1024], *p;
	unsigned long long start = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	f = fopen(path, "r");
	assert_non_null(f);
	text[fread(text, 1, sizeof(text) - 1, f)] = '\0';
	fclose(f);
	p = strrchr(text, ')');
	assert_non_null(p);
	/* After the name: state, then fields 4-21, then starttime. */
	assert_int_equal(sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u "
			 "%*d %*d %*d %*d %*d %*d %llu", &start), 1);
	assert_true(start > 0);
	return start;
}

static long long ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A pid that provably does not exist: a child that has exited and was reaped. */
static pid_t dead_pid(void)
{
	pid_t child = fork();
	int status;

	assert_true(child >= 0);
	if (child == 0)
		_exit(0);
	assert_int_equal(waitpid(child, &status, 0), child);
	return child;
}

static struct mk_instance *running_on_cpu1(void)
{
	struct mk_instance *in = calloc(1, sizeof(*in));

	in->cpu = 1;
	in->state = MK_STARTING;
	snprintf(in->boot_id, sizeof(in->boot_id), "%s", BOOT);
	in->started = 1764547200;
	snprintf(in->image, sizeof(in->image), "/boot/bzImage");
	snprintf(in->sha256, sizeof(in->sha256), "%s", SHA);
	in->status_addr = 0x2ffff000;
	in->nr_ranges = 1;
	in->ranges[0] = (struct mk_named_range){ "main", 0x20000000, 0x30000000 };
	return in;
}

/*
 * Two kexec processes without flock: the second waits while the first
 * holds the lock file, then sees the record the first wrote - so it never
 * places a kernel on the first one's CPU or memory.  Readers wait too.
 */
static void second_holder_waits(void **state)
{
	const char *root = *state;
	struct mk_registry reg;
	struct kx_error err = { 0 };
	int go[2], status;
	pid_t child;
	char c, text[256], want[64];

	assert_int_equal(pipe(go), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		struct mk_instance *a = running_on_cpu1();

		if (mk_registry_open_with(root, BOOT, true, &no_flock, &reg, &err))
			_exit(2);
		if (write(go[1], "x", 1) != 1)
			_exit(3);
		usleep(400 * 1000);	/* long enough for the parent to be waiting */
		a->state = MK_RUNNING;
		if (mk_registry_put(&reg, a, &err))
			_exit(4);
		mk_registry_close(&reg);
		_exit(0);
	}
	close(go[1]);
	assert_int_equal(read(go[0], &c, 1), 1);	/* the child holds the lock now */
	unit_sysroot_read(root, "run/kexec-mk/" MK_LOCK_FILE, text, sizeof(text));
	snprintf(want, sizeof(want), "pid %ld\nboot_id " BOOT "\n", (long)child);
	unit_assert_contains(text, want);
	snprintf(want, sizeof(want), "\nstart %llu\n", proc_start(child));
	unit_assert_contains(text, want);
	/* Had it not waited, it would not see what the child writes after its sleep. */
	assert_int_equal(mk_registry_open_with(root, BOOT, false, &no_flock, &reg, &err), 0);
	assert_int_equal(reg.nr, 1);
	assert_int_equal(reg.inst[0].state, MK_RUNNING);
	assert_non_null(mk_registry_cpu_holder(&reg, 1));
	assert_true(lock_file_exists(root));	/* the reader's own */
	mk_registry_close(&reg);
	assert_false(lock_file_exists(root));
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(go[0]);
}

/*
 * Two processes, each adding 1 to a counter 40 times under the lock
 * (read, pause, write), starting from a dead owner's lock that both try
 * to take over at once: no increment is lost, so they never held it
 * together.  Without the lock, or with two takeovers of one stale file,
 * the pause lets them overwrite each other's count.
 */
static void two_lockers_never_overlap(void **state)
{
	const char *root = *state;
	enum { ROUNDS = 40 };
	char ns[64], text[32];
	pid_t child[2];
	int go[2], status;

	own_pidns(ns, sizeof(ns));
	write_lock(root, (long)dead_pid(), BOOT, ns);
	unit_sysroot_write(root, "run/counter", "0\n");
	assert_int_equal(pipe(go), 0);
	for (int c = 0; c < 2; c++) {
		child[c] = fork();
		assert_true(child[c] >= 0);
		if (child[c] == 0) {
			char path[4096], buf[32];
			struct mk_registry reg;
			struct kx_error err = { 0 };
			FILE *f;
			long v;

			close(go[1]);
			if (read(go[0], buf, 1) != 0)	/* both start at the parent's close */
				_exit(5);
			snprintf(path, sizeof(path), "%s/run/counter", root);
			for (int i = 0; i < ROUNDS; i++) {
				if (mk_registry_open_with(root, BOOT, true, &no_flock, &reg, &err))
					_exit(2);
				f = fopen(path, "r");
				if (!f || fscanf(f, "%ld", &v) != 1)
					_exit(3);
				fclose(f);
				usleep(2000);
				f = fopen(path, "w");
				if (!f || fprintf(f, "%ld\n", v + 1) < 0 || fclose(f))
					_exit(4);
				mk_registry_close(&reg);
			}
			_exit(0);
		}
	}
	close(go[0]);
	close(go[1]);
	for (int c = 0; c < 2; c++) {
		assert_int_equal(waitpid(child[c], &status, 0), child[c]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	unit_sysroot_read(root, "run/counter", text, sizeof(text));
	assert_int_equal(strtol(text, NULL, 10), 2 * ROUNDS);
	assert_false(lock_file_exists(root));
}

/* Its owner's pid is gone (this boot, this PID namespace): taken over at once. */
static void dead_owner_taken_over(void **state)
{
	const char *root = *state;
	struct mk_registry reg;
	struct kx_error err = { 0 };
	char ns[64], text[256], want[64];

	own_pidns(ns, sizeof(ns));
	write_lock(root, (long)dead_pid(), BOOT, ns);
	/* A wait would end in the timeout's error, not here. */
	assert_int_equal(mk_registry_open_with(root, BOOT, true, &no_flock, &reg, &err), 0);
	unit_sysroot_read(root, "run/kexec-mk/" MK_LOCK_FILE, text, sizeof(text));
	snprintf(want, sizeof(want), "pid %ld\n", (long)getpid());
	unit_assert_contains(text, want);
	mk_registry_close(&reg);
	assert_false(lock_file_exists(root));
}

/*
 * Its pid names a live process, but one that started at another time than
 * the owner (the pid was reused after the owner died): taken over at once.
 */
static void reused_pid_taken_over(void **state)
{
	const char *root = *state;
	struct mk_registry reg;
	struct kx_error err = { 0 };
	char ns[64], text[256], want[64];

	own_pidns(ns, sizeof(ns));
	write_lock_started(root, (long)getppid(), BOOT, ns, proc_start((long)getppid()) + 1);
	/* The short wait would end in an error: only a takeover returns 0. */
	assert_int_equal(mk_registry_open_with(root, BOOT, true, &no_flock_short, &reg, &err), 0);
	unit_sysroot_read(root, "run/kexec-mk/" MK_LOCK_FILE, text, sizeof(text));
	snprintf(want, sizeof(want), "pid %ld\n", (long)getpid());
	unit_assert_contains(text, want);
	mk_registry_close(&reg);
	assert_false(lock_file_exists(root));
}

/* Written during another boot: gone, even though its pid now names a live process. */
static void previous_boot_taken_over(void **state)
{
	const char *root = *state;
	struct mk_registry reg;
	struct kx_error err = { 0 };
	char ns[64];

	own_pidns(ns, sizeof(ns));
	write_lock(root, (long)getppid(), OTHER_BOOT, ns);
	assert_int_equal(mk_registry_open_with(root, BOOT, true, &no_flock, &reg, &err), 0);
	mk_registry_close(&reg);
	assert_false(lock_file_exists(root));
}

/*
 * A live owner (or a pid we cannot judge: another PID namespace, no boot
 * id) is never taken over: after the wait, exit status 16 and a line
 * naming the owner and the file; the file is left as it was.
 */
struct live_row {
	const char *name;
	bool live;		/* the pid is our parent's (alive); else a reaped child's */
	bool start;		/* with the parent's true start time; else no start line */
	const char *boot;	/* the file's boot id */
	const char *our_boot;
	bool other_ns;
	const char *says;
};

static const struct live_row live_rows[] = {
	{ "live-owner-this-boot", true, false, BOOT, BOOT, false,
	  "(this boot, this PID namespace)" },
	{ "live-owner-same-start", true, true, BOOT, BOOT, false,
	  "(this boot, this PID namespace)" },
	{ "live-owner-no-boot-id", true, false, "", "", false,
	  "(boot unknown, this PID namespace)" },
	{ "dead-pid-other-namespace", false, false, BOOT, BOOT, true, "another PID namespace" },
};

static void live_owner_never_taken_over(void **state)
{
	const struct live_row *row = *state;
	char *root = unit_sysroot_new();
	struct mk_registry reg;
	struct kx_error err = { 0 };
	char ns[64], before[256], after[256], want[128];
	long pid = row->live ? (long)getppid() : (long)dead_pid();
	long long t0;

	own_pidns(ns, sizeof(ns));
	write_lock_started(root, pid, row->boot, row->other_ns ? "pid:[1]" : ns,
			   row->start ? proc_start(pid) : 0);
	unit_sysroot_read(root, "run/kexec-mk/" MK_LOCK_FILE, before, sizeof(before));
	t0 = ms_now();
	assert_int_equal(mk_registry_open_with(root, row->our_boot, true, &no_flock_short, &reg,
					       &err), -1);
	assert_true(ms_now() - t0 >= 300);
	assert_int_equal(err.status, KX_EHOST);
	if (row->start) {
		/* Proven to be the owner: named by its command too. */
		char comm[64], path[64];
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
		f = fopen(path, "r");
		assert_non_null(f);
		assert_non_null(fgets(comm, sizeof(comm), f));
		fclose(f);
		comm[strcspn(comm, "\n")] = '\0';
		snprintf(want, sizeof(want), "stayed locked for 0.3 s by process %ld '%s' (", pid,
			 comm);
	} else {
		snprintf(want, sizeof(want), "stayed locked for 0.3 s by process %ld (", pid);
	}
	unit_assert_contains(err.msg, want);
	unit_assert_contains(err.msg, row->says);
	unit_assert_contains(err.msg, "/run/kexec-mk/.lock; wait for that kexec to finish, or if "
			     "no kexec runs, remove the file");
	unit_sysroot_read(root, "run/kexec-mk/" MK_LOCK_FILE, after, sizeof(after));
	assert_string_equal(before, after);
	assert_int_equal(reg.dir_fd, -1);
	unit_sysroot_remove(root);
}

/* A lock file that names nobody cannot be judged: waited for, then named. */
static void unreadable_lock_is_waited_for(void **state)
{
	const char *root = *state;
	struct mk_registry reg;
	struct kx_error err = { 0 };

	unit_sysroot_write(root, "run/kexec-mk/" MK_LOCK_FILE, "garbage\n");
	assert_int_equal(mk_registry_open_with(root, BOOT, false, &no_flock_short, &reg, &err), -1);
	assert_int_equal(err.status, KX_EHOST);
	unit_assert_contains(err.msg, "stayed locked for 0.3 s: ");
	unit_assert_contains(err.msg, "/run/kexec-mk/.lock cannot be read; if no kexec runs, "
			     "remove it");
	assert_true(lock_file_exists(root));
}

/* A takeover left behind by a dead waiter is never removed by another: a refusal. */
static void stuck_takeover_is_refused(void **state)
{
	const char *root = *state;
	struct mk_registry reg;
	struct kx_error err = { 0 };
	char ns[64], text[256];
	pid_t gone = dead_pid();

	own_pidns(ns, sizeof(ns));
	write_lock(root, (long)gone, BOOT, ns);
	snprintf(text, sizeof(text), "pid %ld\nboot_id %s\npidns %s\n", (long)gone, BOOT, ns);
	unit_sysroot_write(root, "run/kexec-mk/" MK_LOCK_TAKEOVER, text);
	assert_int_equal(mk_registry_open_with(root, BOOT, true, &no_flock_short, &reg, &err), -1);
	unit_assert_contains(err.msg, "/run/kexec-mk/.lock.takeover; wait for that kexec");
	assert_true(lock_file_exists(root));
}

/* Reading the records fails after the lock was taken: the lock file goes too. */
static void released_on_error(void **state)
{
	const char *root = *state;
	struct mk_registry reg;
	struct kx_error err = { 0 };
	char dir[4096];

	unit_sysroot_write(root, "run/kexec-mk/README", "x");
	snprintf(dir, sizeof(dir), "%s/run/kexec-mk/cpu1", root);
	assert_int_equal(mkdir(dir, 0700), 0);	/* opens, but read says EISDIR */
	assert_int_equal(mk_registry_open_with(root, BOOT, true, &no_flock, &reg, &err), -1);
	unit_assert_contains(err.msg, "cannot read");
	assert_false(lock_file_exists(root));
	/* And a put that fails (read-only registry) leaves it only until close. */
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(mk_registry_open_with(root, BOOT, false, &no_flock, &reg, &err), 0);
	assert_int_equal(mk_registry_remove(&reg, "cpu1", &err), -1);
	assert_true(lock_file_exists(root));
	mk_registry_close(&reg);
	assert_false(lock_file_exists(root));
}

/* Kernels with file locking keep flock: no lock file; other flock errors stop. */
static void flock_kept_where_it_works(void **state)
{
	const char *root = *state;
	const struct mk_lock_ops enolck = { flock_says_enolck, 300, 10 };
	struct mk_registry reg;
	struct kx_error err = { 0 };

	assert_int_equal(mk_registry_open(root, BOOT, true, &reg, &err), 0);
	assert_false(lock_file_exists(root));
	mk_registry_close(&reg);
	assert_int_equal(mk_registry_open_with(root, BOOT, true, &enolck, &reg, &err), -1);
	assert_int_equal(err.status, KX_EHOST);
	unit_assert_contains(err.msg, "cannot lock ");
	assert_false(lock_file_exists(root));
}

int main(void)
{
	struct CMUnitTest tests[32];
	size_t n = 0;

#define ADD(fn) tests[n++] = (struct CMUnitTest)cmocka_unit_test_setup_teardown(fn, setup, teardown)
	ADD(second_holder_waits);
	ADD(two_lockers_never_overlap);
	ADD(dead_owner_taken_over);
	ADD(reused_pid_taken_over);
	ADD(previous_boot_taken_over);
	ROWS(live_rows, live_owner_never_taken_over);
	ADD(unreadable_lock_is_waited_for);
	ADD(stuck_takeover_is_refused);
	ADD(released_on_error);
	ADD(flock_kept_where_it_works);
	return _cmocka_run_group_tests("mk-lock", tests, n, NULL, NULL);
}
