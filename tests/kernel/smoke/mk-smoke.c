// SPDX-License-Identifier: GPL-2.0
/*
 * mk-smoke - drive the test kernel's multikernel ABI from inside a guest.
 *
 *   mk-smoke load ENTRY FILE ADDR MEMSZ EXPECT  kexec_load(KEXEC_MULTIKERNEL), one segment
 *   mk-smoke unload EXPECT                      kexec_load(0, 0, NULL, KEXEC_MULTIKERNEL)
 *   mk-smoke kick CPU EXPECT                    reboot(LINUX_REBOOT_CMD_MULTIKERNEL, {CPU})
 *   mk-smoke kick-badptr EXPECT                 the same with an unmapped argument pointer
 *   mk-smoke wait ADDR VALUE TIMEOUT_MS         poll the u64 at physical ADDR (/dev/mem)
 *   mk-smoke state BASE                         check the entry state smoke/payload.S saved
 *
 * EXPECT is 0 or an errno name (EINVAL, EBUSY, EFAULT, ...).  Each command
 * prints one line saying what happened and exits 0 when it matched, 1 when
 * not, 2 on misuse.  Numbers are C literals (0x... allowed).
 *
 * Built static (gcc -static) by tests/kernel/smoke-test.sh.  The constants
 * are the multikernel RFC v1 values (ABI.md 1.1); no kernel header has them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define KEXEC_MULTIKERNEL		0x00000010UL
#define LINUX_REBOOT_MAGIC1		0xfee1dead
#define LINUX_REBOOT_MAGIC2		672274793
#define LINUX_REBOOT_CMD_MULTIKERNEL	0x4D4B4C49

/* Layout of the state block at the start of smoke/payload.S. */
#define PAYLOAD_MAGIC		0x4556494c412d4b4dULL	/* "MK-ALIVE" */
#define OFF_MAGIC	0x08
#define OFF_RSP		0x10
#define OFF_RSI		0x18
#define OFF_R14		0x20
#define OFF_R15		0x28
#define OFF_CR0		0x30
#define OFF_CR4		0x38
#define OFF_EFER	0x40
#define OFF_RFLAGS	0x48
#define OFF_CS		0x50
#define OFF_DS		0x58
#define OFF_ES		0x60
#define OFF_SS		0x68
#define OFF_FS		0x70
#define OFF_GS		0x78
#define OFF_IDTR	0x80
#define OFF_GDTR	0x90
#define OFF_CR3		0xa0
#define OFF_BASE	0xa8
#define STATE_SIZE	0x100

/* The UAPI struct kexec_segment (32 bytes on x86-64). */
struct mk_segment {
	const void *buf;
	size_t bufsz;
	uintptr_t mem;
	size_t memsz;
};

/* The reboot argument; the RFC defines it only inside kernel/reboot.c. */
struct mk_boot_args {
	int cpu;
};

static const struct {
	const char *name;
	int value;
} errno_names[] = {
	{ "0", 0 }, { "EPERM", EPERM }, { "ENOENT", ENOENT }, { "EFAULT", EFAULT },
	{ "EBUSY", EBUSY }, { "EINVAL", EINVAL }, { "ENOMEM", ENOMEM },
	{ "EADDRNOTAVAIL", EADDRNOTAVAIL }, { "EOPNOTSUPP", EOPNOTSUPP },
	{ "ENOSYS", ENOSYS },
};

static const char *errno_name(int e)
{
	size_t i;

	for (i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++)
		if (errno_names[i].value == e)
			return errno_names[i].name;
	return "E?";
}

static int parse_errno(const char *s, int *out)
{
	size_t i;

	for (i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++) {
		if (strcmp(errno_names[i].name, s) == 0) {
			*out = errno_names[i].value;
			return 0;
		}
	}
	fprintf(stderr, "mk-smoke: unknown errno name '%s'\n", s);
	return -1;
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 0);
	if (errno || *s == '\0' || *end != '\0') {
		fprintf(stderr, "mk-smoke: bad number '%s'\n", s);
		return -1;
	}
	return 0;
}

/* Print what a syscall did and compare it with the expected errno (0 = success). */
static int report(const char *what, long ret, int err, int expect)
{
	if (ret > 0) {	/* e.g. an IPI delivery status from the kick */
		printf("%s: returned %ld, expected %s\n", what, ret, errno_name(expect));
		return 1;
	}
	if (ret == 0)
		err = 0;
	printf("%s: %s (ret %ld), expected %s\n", what, ret == 0 ? "ok" : errno_name(err),
	       ret, errno_name(expect));
	return err == expect ? 0 : 1;
}

static void *read_file(const char *path, size_t *size)
{
	struct stat st;
	void *buf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		perror(path);
		return NULL;
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf || read(fd, buf, st.st_size) != st.st_size) {
		perror(path);
		free(buf);
		close(fd);
		return NULL;
	}
	close(fd);
	*size = st.st_size;
	return buf;
}

static int cmd_load(char **argv)
{
	uint64_t entry, addr, memsz;
	struct mk_segment seg;
	char what[128];
	size_t size;
	void *buf;
	int expect;
	long ret;

	if (parse_u64(argv[0], &entry) || parse_u64(argv[2], &addr) ||
	    parse_u64(argv[3], &memsz) || parse_errno(argv[4], &expect))
		return 2;
	buf = read_file(argv[1], &size);
	if (!buf)
		return 1;
	seg = (struct mk_segment){ .buf = buf, .bufsz = size, .mem = addr, .memsz = memsz };
	ret = syscall(SYS_kexec_load, (unsigned long)entry, 1UL, &seg, KEXEC_MULTIKERNEL);
	snprintf(what, sizeof(what), "load %s (%zu bytes) at 0x%" PRIx64 ", entry 0x%" PRIx64,
		 argv[1], size, addr, entry);
	return report(what, ret, errno, expect);
}

static int cmd_unload(char **argv)
{
	int expect;
	long ret;

	if (parse_errno(argv[0], &expect))
		return 2;
	ret = syscall(SYS_kexec_load, 0UL, 0UL, NULL, KEXEC_MULTIKERNEL);
	return report("unload", ret, errno, expect);
}

static long reboot_multikernel(void *arg)
{
	return syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
		       LINUX_REBOOT_CMD_MULTIKERNEL, arg);
}

static int cmd_kick(char **argv)
{
	struct mk_boot_args args;
	char what[64];
	uint64_t cpu;
	int expect;
	long ret;

	if (parse_u64(argv[0], &cpu) || parse_errno(argv[1], &expect))
		return 2;
	args.cpu = (int)cpu;
	ret = reboot_multikernel(&args);
	snprintf(what, sizeof(what), "kick cpu %d", args.cpu);
	return report(what, ret, errno, expect);
}

static int cmd_kick_badptr(char **argv)
{
	int expect;
	long ret;

	if (parse_errno(argv[0], &expect))
		return 2;
	/* Page 0 is never mapped in a normal process. */
	ret = reboot_multikernel((void *)16);
	return report("kick with arg 0x10", ret, errno, expect);
}

static int read_phys(int fd, uint64_t addr, void *buf, size_t len)
{
	ssize_t n = pread(fd, buf, len, (off_t)addr);

	if (n != (ssize_t)len) {
		fprintf(stderr, "mk-smoke: /dev/mem at 0x%" PRIx64 ": %s\n", addr,
			n < 0 ? strerror(errno) : "short read");
		return -1;
	}
	return 0;
}

static int cmd_wait(char **argv)
{
	uint64_t addr, want, timeout_ms, got = 0;
	struct timespec t0, t, nap = { 0, 10 * 1000 * 1000 };
	long elapsed_ms;
	int fd;

	if (parse_u64(argv[0], &addr) || parse_u64(argv[1], &want) ||
	    parse_u64(argv[2], &timeout_ms))
		return 2;
	fd = open("/dev/mem", O_RDONLY | O_SYNC | O_CLOEXEC);
	if (fd < 0) {
		perror("/dev/mem");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (read_phys(fd, addr, &got, sizeof(got))) {
			close(fd);
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
		elapsed_ms = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
		if (got == want) {
			printf("wait 0x%" PRIx64 ": 0x%016" PRIx64 " after %ld ms\n",
			       addr, got, elapsed_ms);
			close(fd);
			return 0;
		}
		if (elapsed_ms >= (long)timeout_ms)
			break;
		nanosleep(&nap, NULL);
	}
	printf("wait 0x%" PRIx64 ": still 0x%016" PRIx64 " after %" PRIu64 " ms, wanted 0x%016" PRIx64 "\n",
	       addr, got, timeout_ms, want);
	close(fd);
	return 1;
}

static uint64_t get64(const unsigned char *p, size_t off)
{
	uint64_t v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

static uint16_t get16(const unsigned char *p, size_t off)
{
	uint16_t v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

/* One line per field: name, value, and what ABI.md 1.2 says it must be. */
static int expect_eq(const char *name, uint64_t got, uint64_t mask, uint64_t want)
{
	int ok = (got & mask) == want;

	printf("  %-12s 0x%016" PRIx64 "  %s", name, got, ok ? "ok" : "WRONG");
	if (!ok)
		printf(" (want 0x%" PRIx64 " under mask 0x%" PRIx64 ")", want, mask);
	printf("\n");
	return ok ? 0 : 1;
}

static int cmd_state(char **argv)
{
	unsigned char st[STATE_SIZE];
	uint64_t base, rsi;
	int fd, bad = 0;

	if (parse_u64(argv[0], &base))
		return 2;
	fd = open("/dev/mem", O_RDONLY | O_SYNC | O_CLOEXEC);
	if (fd < 0) {
		perror("/dev/mem");
		return 1;
	}
	if (read_phys(fd, base, st, sizeof(st))) {
		close(fd);
		return 1;
	}
	close(fd);

	rsi = get64(st, OFF_RSI);
	printf("entry state of the payload at 0x%" PRIx64 ":\n", base);
	bad |= expect_eq("magic", get64(st, OFF_MAGIC), ~0ULL, PAYLOAD_MAGIC);
	bad |= expect_eq("base", get64(st, OFF_BASE), ~0ULL, base);
	bad |= expect_eq("r14", get64(st, OFF_R14), ~0ULL, base);
	bad |= expect_eq("r15", get64(st, OFF_R15), ~0ULL, rsi);
	/* The host's boot_params, as its boot loader placed it: below 1 MiB. */
	bad |= expect_eq("rsi<1M", rsi, ~0xfffffULL, 0);
	bad |= rsi == 0;
	bad |= expect_eq("rsp", get64(st, OFF_RSP), ~0ULL, 0);
	bad |= expect_eq("cr0", get64(st, OFF_CR0), ~0x10ULL, 0x80000001);	/* ET reads 1 */
	bad |= expect_eq("cr4", get64(st, OFF_CR4), ~0ULL, 0x20);		/* PAE */
	bad |= expect_eq("efer", get64(st, OFF_EFER), ~0ULL, 0x500);		/* LME|LMA */
	bad |= expect_eq("rflags.IF", get64(st, OFF_RFLAGS), 0x200, 0);
	bad |= expect_eq("cs", get64(st, OFF_CS), ~0ULL, 0x10);
	bad |= expect_eq("ds", get64(st, OFF_DS), ~0ULL, 0x18);
	bad |= expect_eq("es", get64(st, OFF_ES), ~0ULL, 0x18);
	bad |= expect_eq("ss", get64(st, OFF_SS), ~0ULL, 0x18);
	bad |= expect_eq("fs", get64(st, OFF_FS), ~0ULL, 0);
	bad |= expect_eq("gs", get64(st, OFF_GS), ~0ULL, 0);
	bad |= expect_eq("idt.limit", get16(st, OFF_IDTR), ~0ULL, 0);
	bad |= expect_eq("idt.base", get64(st, OFF_IDTR + 2), ~0ULL, 0);
	bad |= expect_eq("gdt.limit", get16(st, OFF_GDTR), ~0ULL, 6 * 8 - 1);
	/* The trampoline's own tables, below 1 MiB. */
	bad |= expect_eq("cr3<1M", get64(st, OFF_CR3), ~0xff000ULL, 0);
	return bad ? 1 : 0;
}

static const struct {
	const char *name;
	int nargs;
	int (*fn)(char **argv);
} commands[] = {
	{ "load", 5, cmd_load },
	{ "unload", 1, cmd_unload },
	{ "kick", 2, cmd_kick },
	{ "kick-badptr", 1, cmd_kick_badptr },
	{ "wait", 3, cmd_wait },
	{ "state", 1, cmd_state },
};

int main(int argc, char **argv)
{
	size_t i;
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; argc >= 2 && i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		if (argc - 2 != commands[i].nargs)
			break;
		ret = commands[i].fn(argv + 2);
		fflush(stdout);
		return ret;
	}
	fprintf(stderr, "usage: mk-smoke load|unload|kick|kick-badptr|wait|state ARGS...\n"
		"(see the comment at the top of tests/kernel/smoke/mk-smoke.c)\n");
	return 2;
}
