// SPDX-License-Identifier: GPL-2.0-only
/*
 * watch-open FILE CMD [ARG...]: run CMD (output discarded) and tell whether
 * anything opened FILE while it ran, through inotify's IN_OPEN, which the
 * kernel queues inside open(2) itself: nothing can open the file unseen.
 * Prints "opened" or "not opened" and CMD's exit status; exits 2 if the
 * watch cannot be set up or CMD cannot be run.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	int fd, status, opened = 0;
	ssize_t n;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: watch-open FILE CMD [ARG...]\n");
		return 2;
	}
	fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0 || inotify_add_watch(fd, argv[1], IN_OPEN) < 0) {
		perror(argv[1]);
		return 2;
	}
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) == 127) {
		fprintf(stderr, "watch-open: cannot run %s\n", argv[2]);
		return 2;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n; ) {
			const struct inotify_event *ev = (const struct inotify_event *)p;

			opened |= (ev->mask & IN_OPEN) != 0;
			p += sizeof(*ev) + ev->len;
		}
	}
	printf("%s %d\n", opened ? "opened" : "not opened", WEXITSTATUS(status));
	return 0;
}
