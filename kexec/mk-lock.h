/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The lock that keeps two kexec processes from choosing the same CPU or
 * memory: held around every read-decide-write of the instance records.
 *
 * Where the kernel has flock(2), an flock of the records directory
 * (exclusive for writers, shared for readers); the kernel drops it when
 * the process dies.  A kernel built without CONFIG_FILE_LOCKING answers
 * flock with ENOSYS; there the lock is the file MK_LOCK_FILE in that
 * directory, created whole by link(2) (which fails if it exists), naming
 * its owner:
 *
 *   pid 1234
 *   boot_id 6f0c...            (/proc/sys/kernel/random/boot_id, may be empty)
 *   pidns pid:[4026531836]     (readlink /proc/self/ns/pid, may be empty)
 *   start 5678                 (/proc/self/stat's starttime; absent if /proc
 *                               is not our PID namespace's)
 *
 * Readers take it too (one holder at a time).  A waiter polls for at most
 * the timeout, and removes the file only when its owner is provably gone:
 * written during another boot, or a pid of our PID namespace that no
 * longer exists or now names a process with another start time (the pid
 * was reused).  A live pid whose start time cannot be compared, a pid of
 * another namespace or a file it cannot read is never taken over; after
 * the timeout kexec stops and names the owner and the file (kexec(8)
 * FILES).
 *
 * The fallback is only as good as its two assumptions: every kexec that
 * touches the records uses it (an older kexec-mk that only knew flock
 * would stop at ENOSYS, not ignore the lock), and the records directory
 * is local (tmpfs under /run; link(2) is atomic there).  Two waiters removing the same stale
 * file one after the other would remove each other's fresh lock, so the
 * removal itself is done while holding MK_LOCK_TAKEOVER (created the
 * same way, held for a few system calls, and never taken over).
 */
#ifndef KEXEC_MK_LOCK_H
#define KEXEC_MK_LOCK_H

#include <limits.h>
#include <stdbool.h>

#include "status.h"

#define MK_LOCK_FILE		".lock"
#define MK_LOCK_TAKEOVER	".lock.takeover"
/*
 * The longest a kexec holds the lock is a start: up to 300 s waiting for
 * purgatory's digest check, then re-arming the serial ports for 10 s.
 */
#define MK_LOCK_WAIT_MS		(330 * 1000)

/* The seam: the system by default; a test passes an flock that says ENOSYS. */
struct mk_lock_ops {
	int (*flock)(int fd, int op);
	unsigned int wait_ms;	/* the fallback's bound on waiting for a live owner */
	unsigned int poll_ms;
};

extern const struct mk_lock_ops mk_lock_system;

struct mk_lock {
	int dir_fd;		/* the records directory (not owned); -1: nothing held */
	bool file;		/* MK_LOCK_FILE is ours, not an flock */
};

/*
 * Lock the directory dir_fd (named dir in messages).  flock first; the
 * lock file only when flock says ENOSYS, which is what a kernel without
 * CONFIG_FILE_LOCKING answers (its flock is a COND_SYSCALL stub): any
 * other flock error stops.  boot_id may be "".
 */
int mk_lock_take(int dir_fd, const char *dir, bool exclusive, const char *boot_id,
		 const struct mk_lock_ops *ops, struct mk_lock *lk, struct kx_error *err);
/* Remove the lock file if it is ours (an flock goes with the descriptor). */
void mk_lock_release(struct mk_lock *lk);

#endif /* KEXEC_MK_LOCK_H */
