/*
 * peak-anon: run a command and report its wall time and peak anonymous memory.
 *
 *   peak-anon [-g] [-i USEC] [-n NAME] [-o FILE] -- COMMAND [ARG...]
 *
 * The kernel keeps no high-water mark for RssAnon (VmHWM counts file pages too,
 * and our loader maps its initrd, so VmHWM would charge it 256 MiB of page
 * cache), so we sample /proc/PID/status every USEC microseconds (default 1000)
 * and keep the largest RssAnon seen. Only samples whose Name: is NAME count, so
 * a wrapper that execs the tool in the same process (strace -D) is not charged
 * for its own memory before the exec. A peak shorter than the interval can be
 * missed; getrusage()'s ru_maxrss (which includes file pages) is printed too.
 *
 * -g guards the host: before the exec, a seccomp filter makes kexec_load,
 * kexec_file_load and reboot fail with EPERM in the command and everything it
 * starts. strace's injection still works under it: strace rewrites the syscall
 * number at syscall entry, before seccomp looks at it (Linux >= 4.8), so the
 * filter only ever sees a call that strace let through.
 *
 * Prints one line on stdout (or FILE with -o):
 *   wall_s=S cpu_s=S peak_anon_kb=K vmhwm_kb=K maxrss_kb=K samples=N status=EXIT
 * cpu_s is user + system time of the command and everything it waited for
 * (getrusage RUSAGE_CHILDREN): under strace, strace's own share is in it.
 * The command's own stdout and stderr are passed through.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct sample {
	char name[64];
	long anon_kb;
	long hwm_kb;
};

static long field_kb(const char *status, const char *key)
{
	const char *p = strstr(status, key);

	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/* Returns 0 with *s filled, -1 if the process has no status (gone or zombie). */
static int read_status(const char *path, struct sample *s)
{
	char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if (sscanf(buf, "Name:\t%63s", s->name) != 1)
		return -1;
	s->anon_kb = field_kb(buf, "\nRssAnon:");
	s->hwm_kb = field_kb(buf, "\nVmHWM:");
	return s->anon_kb < 0 ? -1 : 0;	/* a zombie has no Rss lines */
}

/* EPERM for kexec_load, kexec_file_load, reboot and any x32 call; kill on a foreign arch. */
static int guard_host(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 3, 0),	/* __X32_SYSCALL_BIT */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_kexec_load, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_kexec_file_load, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_reboot, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(FILE *f, int status)
{
	fputs("Usage: peak-anon [-g] [-i USEC] [-n NAME] [-o FILE] -- COMMAND [ARG...]\n", f);
	exit(status);
}

int main(int argc, char **argv)
{
	const char *name = NULL;
	FILE *out = stdout;
	int guard = 0;
	long interval_us = 1000;
	long peak_kb = 0, hwm_kb = 0, samples = 0;
	char path[64];
	struct timespec nap;
	struct rusage ru;
	double start;
	int opt, wstatus;
	pid_t pid;

	while ((opt = getopt(argc, argv, "+gi:n:o:h")) != -1) {
		switch (opt) {
		case 'g': guard = 1; break;
		case 'o':
			out = fopen(optarg, "w");
			if (!out) {
				fprintf(stderr, "peak-anon: %s: %s\n", optarg, strerror(errno));
				return 1;
			}
			break;
		case 'i': interval_us = strtol(optarg, NULL, 0); break;
		case 'n': name = optarg; break;
		case 'h': usage(stdout, 0); break;
		default: usage(stderr, 2);
		}
	}
	if (optind >= argc || interval_us <= 0)
		usage(stderr, 2);
	nap.tv_sec = interval_us / 1000000;
	nap.tv_nsec = (interval_us % 1000000) * 1000;

	start = now_s();
	pid = fork();
	if (pid < 0) {
		perror("peak-anon: fork");
		return 1;
	}
	if (pid == 0) {
		if (guard && guard_host()) {
			fprintf(stderr, "peak-anon: cannot install the seccomp guard: %s\n",
				strerror(errno));
			_exit(126);
		}
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "peak-anon: %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	for (;;) {
		struct sample s;
		pid_t r = waitpid(pid, &wstatus, WNOHANG);

		if (r == pid)
			break;
		if (r < 0) {
			perror("peak-anon: waitpid");
			return 1;
		}
		if (read_status(path, &s) == 0 && (!name || !strcmp(s.name, name))) {
			samples++;
			if (s.anon_kb > peak_kb)
				peak_kb = s.anon_kb;
			if (s.hwm_kb > hwm_kb)
				hwm_kb = s.hwm_kb;
		}
		nanosleep(&nap, NULL);
	}
	getrusage(RUSAGE_CHILDREN, &ru);
	fprintf(out, "wall_s=%.4f cpu_s=%.4f peak_anon_kb=%ld vmhwm_kb=%ld maxrss_kb=%ld "
		"samples=%ld status=%d\n",
	       now_s() - start,
	       ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
		       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
	       peak_kb, hwm_kb, ru.ru_maxrss, samples,
	       WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus));
	return fclose(out) ? 1 : 0;
}
