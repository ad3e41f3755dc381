// SPDX-License-Identifier: GPL-2.0-only
/*
 * One file in /etc/default/grub.d/, written the way a package would: the
 * text goes to a temporary file beside it, is synced, and then takes the
 * name in one step.  When no file has the name yet, link(2) takes it, and
 * fails rather than replace a file someone created meanwhile; when kexec's
 * own earlier file has it, rename(2) replaces that.  A file of that name
 * that kexec did not write (its first line is not the mark), or a symbolic
 * link, is left alone and refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grub-dropin.h"

/* 1 when path begins with mark, 0 when it exists and does not, -1 on an error (errno). */
static int has_mark(const char *path, const char *mark)
{
	char head[256];
	size_t want = strlen(mark);
	ssize_t n;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	struct stat st;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || want > sizeof(head)) {
		close(fd);
		return 0;
	}
	n = read(fd, head, want);
	close(fd);
	return n == (ssize_t)want && memcmp(head, mark, want) == 0;
}

static int write_all(int fd, const char *text)
{
	size_t left = strlen(text);

	while (left) {
		ssize_t n = write(fd, text, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		text += n;
		left -= (size_t)n;
	}
	return 0;
}

int grub_dropin_write(const char *sysroot, const char *name, const char *mark,
		      const char *text, char *path, size_t path_size, struct kx_error *err)
{
	char dir[PATH_MAX], parent[PATH_MAX], tmp[PATH_MAX];
	const char *root = sysroot ? sysroot : "";
	bool replace = false;
	int fd, dfd, m, e;

	if (strncmp(text, mark, strlen(mark)) != 0)
		return kx_fail(err, KX_EGRUB, "internal: the drop-in text lacks its mark");
	if ((size_t)snprintf(parent, sizeof(parent), "%s/etc/default", root) >= sizeof(parent) ||
	    (size_t)snprintf(dir, sizeof(dir), "%s%s", root, GRUB_DROPIN_DIR) >= sizeof(dir) ||
	    (size_t)snprintf(path, path_size, "%s/%s", dir, name) >= path_size ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir, name) >= sizeof(tmp))
		return kx_fail(err, KX_EGRUB, "the path of %s/%s is too long", dir, name);
	if (access(parent, F_OK))
		return kx_fail(err, KX_EGRUB, "cannot write %s: %s does not exist (%s); is GRUB "
			       "installed? Add the words to the kernel's command line by hand",
			       path, parent, strerror(errno));
	if (mkdir(dir, 0755) && errno != EEXIST)
		return kx_fail(err, KX_EGRUB, "cannot create %s: %s", dir, strerror(errno));

	m = has_mark(path, mark);
	if (m == 0)
		return kx_fail(err, KX_EGRUB, "%s exists and kexec did not write it (its first line "
			       "is not \"%s\"): move it away, or add the words by hand", path, mark);
	if (m < 0 && errno != ENOENT)
		return kx_fail(err, KX_EGRUB, "cannot read %s: %s%s", path, strerror(errno),
			       errno == ELOOP ? " (a symbolic link: kexec writes no file through one)"
					      : "");
	replace = m == 1;

	fd = mkstemp(tmp);
	if (fd < 0)
		return kx_fail(err, KX_EGRUB, "cannot create a file in %s: %s", dir, strerror(errno));
	if (fchmod(fd, 0644) || write_all(fd, text) || fsync(fd)) {
		e = errno;
		close(fd);
		unlink(tmp);
		return kx_fail(err, KX_EGRUB, "cannot write %s: %s", tmp, strerror(e));
	}
	if (close(fd)) {
		e = errno;
		unlink(tmp);
		return kx_fail(err, KX_EGRUB, "cannot write %s: %s", tmp, strerror(e));
	}
	if (replace ? rename(tmp, path) : link(tmp, path)) {
		e = errno;
		unlink(tmp);
		return kx_fail(err, KX_EGRUB, "cannot put the new file in place as %s: %s%s", path,
			       strerror(e), e == EEXIST ? " (a file of that name appeared meanwhile; "
			       "run kexec again)" : "");
	}
	if (!replace)
		unlink(tmp);
	/* The new name is on disk once its directory is. */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}
