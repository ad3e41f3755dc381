// SPDX-License-Identifier: GPL-2.0-only
/*
 * The instance records' lock: flock(2), or a lock file where the kernel has
 * no file locking (rules in mk-lock.h, kexec(8) FILES).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mk-lock.h"

const struct mk_lock_ops mk_lock_system = {
	.flock = flock,
	.wait_ms = MK_LOCK_WAIT_MS,
	.poll_ms = 50,
};

/* What a lock file says about its owner. */
struct lock_owner {
	long pid;
	unsigned long long start;	/* /proc/PID/stat's starttime; 0 unknown */
	char boot_id[40];
	char pidns[40];
};

/*
 * The start time of process pid (clock ticks after boot, field 22 of
 * /proc/PID/stat), which stays the same for its whole life and tells it
 * from a later process given the same pid; 0 if it cannot be read.
 */
static unsigned long long start_time(long pid)
{
	char path[64], text[1024], *p, *end;
	unsigned long long start;
	ssize_t n;
	int fd, field;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	text[n] = '\0';
	/* The name (field 2) is in parentheses and may hold both; the rest cannot. */
	p = strrchr(text, ')');
	for (field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (!p)
		return 0;
	errno = 0;
	start = strtoull(p + 1, &end, 10);
	return errno || end == p + 1 || (*end != ' ' && *end != '\n') ? 0 : start;
}

/*
 * Our identity.  The start time only where /proc shows our own PID
 * namespace (/proc/self is our pid): then /proc/PID names the process
 * kill(PID) would, for us and for a waiter of the same namespace.
 */
static void own_identity(const char *boot_id, struct lock_owner *me)
{
	char self[32];
	ssize_t n;

	me->pid = (long)getpid();
	snprintf(me->boot_id, sizeof(me->boot_id), "%s", boot_id);
	n = readlink("/proc/self/ns/pid", me->pidns, sizeof(me->pidns) - 1);
	me->pidns[n > 0 ? n : 0] = '\0';
	n = readlink("/proc/self", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	me->start = n > 0 && strtol(self, NULL, 10) == me->pid ? start_time(me->pid) : 0;
}

/*
 * Create name in dir_fd whole, holding me: written under a private name,
 * then linked, so nobody ever reads a half-written owner.  0 when ours;
 * 1 when it exists already; -1 with errno on any other failure.
 */
static int create_whole(int dir_fd, const char *name, const struct lock_owner *me)
{
	char tmp[64], text[160];
	int fd, ok, len, e;

	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", name, me->pid);
	len = snprintf(text, sizeof(text), "pid %ld\nboot_id %s\npidns %s\n", me->pid,
		       me->boot_id, me->pidns);
	if (me->start)
		len += snprintf(text + len, sizeof(text) - (size_t)len, "start %llu\n", me->start);
	unlinkat(dir_fd, tmp, 0);	/* our own leftover from a failed attempt */
	fd = openat(dir_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -1;
	ok = write(fd, text, (size_t)len) == len;
	e = errno;
	if (close(fd) && ok)
		ok = 0, e = errno;
	if (ok && linkat(dir_fd, tmp, dir_fd, name, 0) == 0) {
		unlinkat(dir_fd, tmp, 0);
		return 0;
	}
	if (ok)
		e = errno;
	unlinkat(dir_fd, tmp, 0);
	errno = e;
	return ok && e == EEXIST ? 1 : -1;
}

/* The owner named in name; -1 (errno ENOENT if it is gone) if it cannot be read or parsed. */
static int read_owner(int dir_fd, const char *name, struct lock_owner *who, struct stat *st)
{
	char text[160], *line, *save = NULL;
	ssize_t n;
	int fd;

	fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	n = fstat(fd, st) ? -1 : read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n < 0)
		return -1;
	text[n] = '\0';
	who->pid = 0;
	who->start = 0;
	who->boot_id[0] = who->pidns[0] = '\0';
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "pid ", 4) == 0)
			who->pid = strtol(line + 4, NULL, 10);
		else if (strncmp(line, "boot_id ", 8) == 0)
			snprintf(who->boot_id, sizeof(who->boot_id), "%s", line + 8);
		else if (strncmp(line, "pidns ", 6) == 0)
			snprintf(who->pidns, sizeof(who->pidns), "%s", line + 6);
		else if (strncmp(line, "start ", 6) == 0)
			who->start = strtoull(line + 6, NULL, 10);
	}
	if (who->pid <= 0) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/*
 * Provably gone: it wrote during another boot of this host, or its pid,
 * in our PID namespace, no longer exists, or now names a process that
 * started at another time (the pid was reused).  A live pid whose start
 * time is unknown (a file without it, a /proc of another namespace) may
 * still be the owner: that is a refusal after the wait, never a second
 * holder.
 */
static bool owner_gone(const struct lock_owner *who, const struct lock_owner *me)
{
	unsigned long long now;

	if (who->boot_id[0] && me->boot_id[0] && strcmp(who->boot_id, me->boot_id) != 0)
		return true;
	if (strcmp(who->pidns, me->pidns) != 0)
		return false;
	if (kill((pid_t)who->pid, 0) && errno == ESRCH)
		return true;
	if (!who->start || !me->start)
		return false;
	now = start_time(who->pid);
	return now && now != who->start;
}

/*
 * Remove a stale lock file, but only the very file judged stale: under
 * MK_LOCK_TAKEOVER, and only if MK_LOCK_FILE still has the same inode and
 * owner.  0 when removed or already gone, 1 when it changed, -1 on error.
 */
static int take_over(int dir_fd, const struct lock_owner *stale, const struct stat *seen,
		     const struct lock_owner *me)
{
	struct lock_owner now;
	struct stat st;
	int ret;

	ret = create_whole(dir_fd, MK_LOCK_TAKEOVER, me);
	if (ret)
		return ret;
	if (read_owner(dir_fd, MK_LOCK_FILE, &now, &st))
		ret = errno == ENOENT ? 0 : 1;
	else if (st.st_ino != seen->st_ino || st.st_dev != seen->st_dev ||
		 now.pid != stale->pid || now.start != stale->start ||
		 strcmp(now.boot_id, stale->boot_id) != 0)
		ret = 1;
	else if (unlinkat(dir_fd, MK_LOCK_FILE, 0) && errno != ENOENT)
		ret = -1;
	unlinkat(dir_fd, MK_LOCK_TAKEOVER, 0);
	return ret;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* " 'kexec'" when /proc shows the owner (our namespace, same start time), else "". */
static void owner_command(const struct lock_owner *who, const struct lock_owner *me,
			  char *out, size_t size)
{
	char path[64], comm[32];
	ssize_t n = -1;
	int fd;

	out[0] = '\0';
	if (!who->start || !me->start || strcmp(who->pidns, me->pidns) != 0 ||
	    start_time(who->pid) != who->start)
		return;
	snprintf(path, sizeof(path), "/proc/%ld/comm", who->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, comm, sizeof(comm) - 1);
		close(fd);
	}
	if (n <= 0)
		return;
	comm[n] = '\0';
	comm[strcspn(comm, "\n")] = '\0';
	for (char *c = comm; *c; c++)
		if (*c < ' ' || *c > '~')
			*c = '?';
	snprintf(out, size, " '%s'", comm);
}

static int timed_out(const char *dir, const char *name, bool known, const struct lock_owner *who,
		     const struct lock_owner *me, unsigned int wait_ms, struct kx_error *err)
{
	char command[40];

	if (!known)
		return kx_fail(err, KX_EHOST, "the instance records stayed locked for %.1f s: "
			       "%s/%s cannot be read; if no kexec runs, remove it", wait_ms / 1000.0,
			       dir, name);
	owner_command(who, me, command, sizeof(command));
	return kx_fail(err, KX_EHOST, "the instance records stayed locked for %.1f s by "
		       "process %ld%s (%s, %s): %s/%s; wait for that kexec to finish, or if "
		       "no kexec runs, remove the file", wait_ms / 1000.0, who->pid, command,
		       who->boot_id[0] && strcmp(who->boot_id, me->boot_id) == 0 ?
		       "this boot" : "boot unknown",
		       strcmp(who->pidns, me->pidns) == 0 ? "this PID namespace" :
		       "another PID namespace", dir, name);
}

static int take_file(int dir_fd, const char *dir, const char *boot_id,
		     const struct mk_lock_ops *ops, struct kx_error *err)
{
	long long deadline = now_ms() + ops->wait_ms;
	struct lock_owner me, who = { 0 };
	const char *name = MK_LOCK_FILE;
	bool known = false;
	struct stat st;
	int ret;

	own_identity(boot_id, &me);
	for (;;) {
		ret = create_whole(dir_fd, MK_LOCK_FILE, &me);
		if (ret == 0)
			return 0;
		if (ret < 0)
			return kx_fail(err, KX_EHOST, "cannot create %s/%s: %s", dir, MK_LOCK_FILE,
				       strerror(errno));
		name = MK_LOCK_FILE;
		known = read_owner(dir_fd, MK_LOCK_FILE, &who, &st) == 0;
		if (!known && errno == ENOENT)
			continue;	/* released between our link and our look */
		if (known && owner_gone(&who, &me)) {
			ret = take_over(dir_fd, &who, &st, &me);
			if (ret == 0)
				continue;
			if (ret < 0)
				return kx_fail(err, KX_EHOST, "cannot remove the stale lock "
					       "%s/%s: %s", dir, MK_LOCK_FILE, strerror(errno));
			/* Another waiter is taking it over: wait for the outcome. */
			name = MK_LOCK_TAKEOVER;
			known = read_owner(dir_fd, MK_LOCK_TAKEOVER, &who, &st) == 0;
		}
		if (now_ms() >= deadline)
			return timed_out(dir, name, known, &who, &me, ops->wait_ms, err);
		usleep(ops->poll_ms * 1000);
	}
}

int mk_lock_take(int dir_fd, const char *dir, bool exclusive, const char *boot_id,
		 const struct mk_lock_ops *ops, struct mk_lock *lk, struct kx_error *err)
{
	lk->dir_fd = -1;
	lk->file = false;
	/* Blocks while another kexec loads or starts: it may be placing a kernel. */
	if (ops->flock(dir_fd, exclusive ? LOCK_EX : LOCK_SH) == 0) {
		lk->dir_fd = dir_fd;
		return 0;
	}
	if (errno != ENOSYS)
		return kx_fail(err, KX_EHOST, "cannot lock %s: %s", dir, strerror(errno));
	/* No CONFIG_FILE_LOCKING: readers wait too, so they never see half a change. */
	if (take_file(dir_fd, dir, boot_id, ops, err))
		return -1;
	lk->dir_fd = dir_fd;
	lk->file = true;
	return 0;
}

void mk_lock_release(struct mk_lock *lk)
{
	if (lk->dir_fd >= 0 && lk->file)
		unlinkat(lk->dir_fd, MK_LOCK_FILE, 0);
	lk->dir_fd = -1;
	lk->file = false;
}
