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
 *   mk-smoke load-linux BZIMAGE INITRD CMDLINE BASE SIZE EXPECT
 *       load a bzImage as a multikernel image into [BASE, BASE+SIZE), with a
 *       minimal purgatory (stack, RSI, jump) and a boot_params whose e820
 *       has only that region and MK_LOW_RAM_* below 1 MiB.  Just enough to
 *       show the test kernel can be the spawned kernel; the project's loader
 *       is the real thing.
 *
 * EXPECT is 0 or an errno name (EINVAL, EBUSY, EFAULT, ...).  Each command
 * prints one line saying what happened and exits 0 when it matched, 1 when
 * not, 2 on misuse.  Numbers are C literals (0x... allowed).
 *
 * Built static (gcc -static) by tests/kernel/smoke-test.sh.  The constants
 * are the multikernel RFC v1 values (doc/multikernel-abi.md 2); no kernel header has them.
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

/* One line per field: name, value, and what doc/multikernel-abi.md 4.4 says it must be. */
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

/*
 * load-linux layout inside the region, offsets from BASE.  The kernel sits at
 * 16 MiB (2 MiB aligned, kernel_alignment); the initrd at half the region.
 */
#define LL_PURGATORY	0x0000
#define LL_STACK_TOP	0x1000	/* the purgatory's page doubles as its stack */
#define LL_ZERO_PAGE	0x1000
#define LL_CMDLINE	0x2000
#define LL_KERNEL	0x1000000
/* Low RAM for the spawned kernel's trampolines, unused by the host in QEMU. */
#define MK_LOW_RAM_START	0x40000
#define MK_LOW_RAM_END		0x80000

/* boot_params offsets (Documentation/arch/x86/zero-page.rst, boot.rst). */
#define BP_EXT_RAMDISK_IMAGE	0x0c0
#define BP_EXT_RAMDISK_SIZE	0x0c4
#define BP_EXT_CMD_LINE_PTR	0x0c8
#define BP_E820_ENTRIES		0x1e8
#define BP_SETUP_SECTS		0x1f1
#define BP_JUMP			0x200
#define BP_HEADER		0x202	/* "HdrS" */
#define BP_VERSION		0x206
#define BP_TYPE_OF_LOADER	0x210
#define BP_RAMDISK_IMAGE	0x218
#define BP_RAMDISK_SIZE		0x21c
#define BP_CMD_LINE_PTR		0x228
#define BP_XLOADFLAGS		0x236
#define BP_INIT_SIZE		0x260
#define BP_E820_TABLE		0x2d0
#define XLF_KERNEL_64		0x1
#define E820_TYPE_RAM		1

static void put32(unsigned char *p, size_t off, uint32_t v) { memcpy(p + off, &v, 4); }
static void put64(unsigned char *p, size_t off, uint64_t v) { memcpy(p + off, &v, 8); }
static uint32_t get32(const unsigned char *p, size_t off)
{
	uint32_t v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

static void e820_add(unsigned char *zp, uint64_t addr, uint64_t size, uint32_t type)
{
	size_t off = BP_E820_TABLE + 20 * zp[BP_E820_ENTRIES]++;

	put64(zp, off, addr);
	put64(zp, off + 8, size);
	put32(zp, off + 16, type);
}

static size_t page_up(size_t n) { return (n + 4095) & ~(size_t)4095; }

static int cmd_load_linux(char **argv)
{
	static unsigned char zp[4096], purg[4096];
	uint64_t base, size, kernel, initrd_addr, entry64;
	size_t bz_size, rd_size, setup_size, cmd_len, hdr_end, kmem, p = 0;
	struct mk_segment seg[5];
	unsigned char *bz, *rd;
	char what[160];
	int expect;
	long ret;

	if (parse_u64(argv[3], &base) || parse_u64(argv[4], &size) ||
	    parse_errno(argv[5], &expect))
		return 2;
	bz = read_file(argv[0], &bz_size);
	rd = read_file(argv[1], &rd_size);
	if (!bz || !rd)
		return 1;
	if (bz_size < 0x1000 || memcmp(bz + BP_HEADER, "HdrS", 4) != 0 ||
	    get16(bz, BP_VERSION) < 0x20c || !(get16(bz, BP_XLOADFLAGS) & XLF_KERNEL_64)) {
		fprintf(stderr, "mk-smoke: %s: not a bzImage with a 64-bit entry\n", argv[0]);
		return 1;
	}
	setup_size = ((size_t)(bz[BP_SETUP_SECTS] ? bz[BP_SETUP_SECTS] : 4) + 1) * 512;
	kernel = base + LL_KERNEL;
	entry64 = kernel + 0x200;
	kmem = page_up(bz_size - setup_size);
	if (kmem < get32(bz, BP_INIT_SIZE))
		kmem = page_up(get32(bz, BP_INIT_SIZE));
	initrd_addr = base + size / 2;
	cmd_len = strlen(argv[2]) + 1;
	if (cmd_len > 4096 || LL_KERNEL + kmem > size / 2 || page_up(rd_size) > size / 2) {
		fprintf(stderr, "mk-smoke: does not fit in 0x%" PRIx64 " bytes\n", size);
		return 1;
	}

	/* Zero page: the image's setup header, our e820, cmdline, initrd. */
	hdr_end = BP_JUMP + 2 + bz[BP_JUMP + 1];
	memcpy(zp + BP_SETUP_SECTS, bz + BP_SETUP_SECTS, hdr_end - BP_SETUP_SECTS);
	zp[BP_TYPE_OF_LOADER] = 0xff;
	put32(zp, BP_CMD_LINE_PTR, (uint32_t)(base + LL_CMDLINE));
	put32(zp, BP_EXT_CMD_LINE_PTR, (uint32_t)((base + LL_CMDLINE) >> 32));
	put32(zp, BP_RAMDISK_IMAGE, (uint32_t)initrd_addr);
	put32(zp, BP_EXT_RAMDISK_IMAGE, (uint32_t)(initrd_addr >> 32));
	put32(zp, BP_RAMDISK_SIZE, (uint32_t)rd_size);
	put32(zp, BP_EXT_RAMDISK_SIZE, 0);
	e820_add(zp, MK_LOW_RAM_START, MK_LOW_RAM_END - MK_LOW_RAM_START, E820_TYPE_RAM);
	e820_add(zp, base, size, E820_TYPE_RAM);

	/*
	 * Purgatory: movabs $stack, %rsp; movabs $zero_page, %rsi;
	 * movabs $entry64, %rax; jmp *%rax.  The trampoline's GDT already has
	 * the boot protocol's 0x10/0x18 and its map covers 0-4 GiB.
	 */
	purg[p++] = 0x48; purg[p++] = 0xbc; put64(purg, p, base + LL_STACK_TOP); p += 8;
	purg[p++] = 0x48; purg[p++] = 0xbe; put64(purg, p, base + LL_ZERO_PAGE); p += 8;
	purg[p++] = 0x48; purg[p++] = 0xb8; put64(purg, p, entry64); p += 8;
	purg[p++] = 0xff; purg[p++] = 0xe0;

	seg[0] = (struct mk_segment){ purg, p, base + LL_PURGATORY, 4096 };
	seg[1] = (struct mk_segment){ zp, sizeof(zp), base + LL_ZERO_PAGE, 4096 };
	seg[2] = (struct mk_segment){ argv[2], cmd_len, base + LL_CMDLINE, 4096 };
	seg[3] = (struct mk_segment){ bz + setup_size, bz_size - setup_size, kernel, kmem };
	seg[4] = (struct mk_segment){ rd, rd_size, initrd_addr, page_up(rd_size) };
	ret = syscall(SYS_kexec_load, (unsigned long)(base + LL_PURGATORY), 5UL, seg,
		      KEXEC_MULTIKERNEL);
	snprintf(what, sizeof(what), "load-linux kernel 0x%" PRIx64 " (0x%zx) initrd 0x%" PRIx64
		 " (0x%zx) entry 0x%" PRIx64, kernel, kmem, initrd_addr, rd_size,
		 base + LL_PURGATORY);
	return report(what, ret, errno, expect);
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
	{ "load-linux", 6, cmd_load_linux },
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
	fprintf(stderr, "usage: mk-smoke load|unload|kick|kick-badptr|wait|state|load-linux ARGS...\n"
		"(see the comment at the top of tests/kernel/smoke/mk-smoke.c)\n");
	return 2;
}
