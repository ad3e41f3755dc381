// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <ftw.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "file-type.h"
#include "fuzz-common.h"
#include "load-env.h"
#include "multikernel-memory.h"
#include "plan-check.h"

#define ONE_MIB  (1ull << 20)
#define FOUR_GIB (1ull << 32)

void fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "\nFUZZ INVARIANT FAILED at %s:%d: %s\n  ", file, line, cond);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

void fuzz_check_failure(const struct kx_error *err)
{
	FUZZ_ASSERT(err->status != KX_OK, "a failure without a status (message \"%s\")", err->msg);
	FUZZ_ASSERT(err->msg[0] != '\0', "a failure with status %d but no reason", err->status);
	FUZZ_ASSERT(strchr(err->msg, '\n') == NULL, "a reason of more than one line: \"%s\"",
		    err->msg);
}

/*
 * The harnesses run as root on a developer's machine: a kexec_load, a
 * kexec_file_load or a reboot from a --dry-run path must be a crash the
 * fuzzer reports, never a syscall the kernel sees.
 */
static void on_sigsys(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	fprintf(stderr, "\nFUZZ INVARIANT FAILED: syscall %d reached the kernel from a dry run\n",
		si->si_syscall);
	abort();
}

__attribute__((constructor)) static void fuzz_guard_syscalls(void)
{
	static struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_kexec_load, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_kexec_file_load, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_reboot, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
	};
	struct sock_fprog prog = { .len = sizeof(filter) / sizeof(filter[0]), .filter = filter };
	struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };

	sigaction(SIGSYS, &sa, NULL);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) {
		perror("fuzz: cannot install the seccomp guard against kexec_load/reboot");
		exit(1);
	}
}

void fuzz_split(const uint8_t *data, size_t size, struct fuzz_section *sections, size_t nr)
{
	size_t pos = 0;

	for (size_t i = 0; i < nr; i++) {
		sections[i].data = NULL;
		sections[i].size = 0;
	}
	while (pos + 2 <= size) {
		size_t name_end, body, end;

		if (data[pos] != '%' || data[pos + 1] != '%' || (pos && data[pos - 1] != '\n')) {
			pos++;
			continue;
		}
		for (name_end = pos + 2; name_end < size && data[name_end] != '\n'; name_end++)
			;
		body = name_end < size ? name_end + 1 : size;
		for (end = body; end + 2 < size; end++)
			if (data[end] == '\n' && data[end + 1] == '%' && data[end + 2] == '%')
				break;
		if (end + 2 >= size)
			end = size;
		for (size_t i = 0; i < nr; i++) {
			size_t n = strlen(sections[i].name);

			if (name_end - pos - 2 == n && memcmp(data + pos + 2, sections[i].name, n) == 0) {
				sections[i].data = data + body;
				sections[i].size = end - body;
			}
		}
		pos = end < size ? end + 1 : size;
	}
}

char *fuzz_strdup(const struct fuzz_section *s)
{
	char *p = malloc(s->size + 1);

	if (!p)
		abort();
	if (s->size)
		memcpy(p, s->data, s->size);
	p[s->size] = '\0';
	return p;
}

void fuzz_write(const char *dir, const char *rel, const void *data, size_t size)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (char *p = strchr(path + strlen(dir) + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	f = fopen(path, "wb");
	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f)) {
		perror(path);
		abort();
	}
}

static char *made_dirs[4];

/* libFuzzer ends a run with exit(): leave no directory behind in /dev/shm. */
static void remove_made_dirs(void)
{
	for (size_t i = 0; i < sizeof(made_dirs) / sizeof(made_dirs[0]); i++)
		if (made_dirs[i])
			fuzz_rmdir(made_dirs[i]);
}

char *fuzz_mkdtemp(void)
{
	const char *tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
	char *dir = malloc(4096);

	if (!dir)
		abort();
	snprintf(dir, 4096, "%s/kexec-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror(dir);
		abort();
	}
	for (size_t i = 0; i < sizeof(made_dirs) / sizeof(made_dirs[0]); i++) {
		if (!made_dirs[i]) {
			if (i == 0)
				atexit(remove_made_dirs);
			made_dirs[i] = strdup(dir);
			break;
		}
	}
	return dir;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void fuzz_rmdir(char *dir)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

static const struct {
	const char *section, *path;
} sysroot_files[] = {
	{ "iomem", "proc/iomem" },
	{ "cmdline", "proc/cmdline" },
	{ "cpuinfo", "proc/cpuinfo" },
	{ "meminfo", "proc/meminfo" },
	{ "multikernel", "proc/multikernel" },
	{ "present", "sys/devices/system/cpu/present" },
	{ "online", "sys/devices/system/cpu/online" },
	{ "systab", "sys/firmware/efi/systab" },
	{ "loaded", "sys/kernel/kexec_loaded" },
	{ "crash_loaded", "sys/kernel/kexec_crash_loaded" },
	{ "boot_id", "proc/sys/kernel/random/boot_id" },
	/* What a crash kernel load through kexec_load reads (host_crash_facts_read). */
	{ "possible", "sys/devices/system/cpu/possible" },
	{ "vmcoreinfo", "sys/kernel/vmcoreinfo" },
	{ "elfcorehdr_size", "sys/kernel/crash_elfcorehdr_size" },
	{ "kcore", "proc/kcore" },
	/* The kernel log (the TSC's calibration) and the host's serial console. */
	{ "kmsg", "dev/kmsg" },
	{ "console_active", "sys/class/tty/console/active" },
	/* Multikernel instance records (mk-instance.h): one running, one loaded. */
	{ "instance", "run/kexec-mk/cpu1" },
	{ "instance_loaded", "run/kexec-mk/loaded" },
};

#define NR_SYSROOT_FILES (sizeof(sysroot_files) / sizeof(sysroot_files[0]))

static void write_fwmap(const char *dir, const struct fuzz_section *s)
{
	char *text = fuzz_strdup(s), *line = text, rel[128];
	unsigned int n = 0;

	while (line && *line && n < 1024) {
		char *nl = strchr(line, '\n'), *start, *end, *type;

		if (nl)
			*nl = '\0';
		start = strtok(line, " ");
		end = start ? strtok(NULL, " ") : NULL;
		type = end ? strtok(NULL, "") : NULL;
		if (type) {
			snprintf(rel, sizeof(rel), "sys/firmware/memmap/%u/start", n);
			fuzz_write(dir, rel, start, strlen(start));
			snprintf(rel, sizeof(rel), "sys/firmware/memmap/%u/end", n);
			fuzz_write(dir, rel, end, strlen(end));
			snprintf(rel, sizeof(rel), "sys/firmware/memmap/%u/type", n);
			fuzz_write(dir, rel, type, strlen(type));
			n++;
		}
		line = nl ? nl + 1 : NULL;
	}
	free(text);
}

/* "CPU ADDR SIZE" lines: cpuN/crash_notes (hex, as sysfs prints it) and crash_notes_size. */
static void write_notes(const char *dir, const struct fuzz_section *s)
{
	char *text = fuzz_strdup(s), *line = text, rel[128];

	for (unsigned int n = 0; line && *line && n < 64; n++) {
		char *nl = strchr(line, '\n'), *addr, *size;
		unsigned long cpu;

		if (nl)
			*nl = '\0';
		cpu = strtoul(line, &addr, 10);
		if (cpu < 4096 && *addr == ' ' && (size = strchr(addr + 1, ' '))) {
			*size++ = '\0';
			snprintf(rel, sizeof(rel), "sys/devices/system/cpu/cpu%lu/crash_notes", cpu);
			fuzz_write(dir, rel, addr + 1, strlen(addr + 1));
			snprintf(rel, sizeof(rel), "sys/devices/system/cpu/cpu%lu/crash_notes_size", cpu);
			fuzz_write(dir, rel, size, strlen(size));
		}
		line = nl ? nl + 1 : NULL;
	}
	free(text);
}

/* "NAME TYPE PORT DEV" lines: sys/class/tty/NAME/{type,port,dev} (an 8250 port). */
static void write_ttys(const char *dir, const struct fuzz_section *s)
{
	char *text = fuzz_strdup(s), *line = text, rel[160];

	for (unsigned int n = 0; line && *line && n < 16; n++) {
		char *nl = strchr(line, '\n'), *name, *type, *port, *dev;

		if (nl)
			*nl = '\0';
		name = strtok(line, " ");
		type = name ? strtok(NULL, " ") : NULL;
		port = type ? strtok(NULL, " ") : NULL;
		dev = port ? strtok(NULL, " ") : NULL;
		if (dev && strlen(name) < 32 && !strchr(name, '.')) {
			snprintf(rel, sizeof(rel), "sys/class/tty/%s/type", name);
			fuzz_write(dir, rel, type, strlen(type));
			snprintf(rel, sizeof(rel), "sys/class/tty/%s/port", name);
			fuzz_write(dir, rel, port, strlen(port));
			snprintf(rel, sizeof(rel), "sys/class/tty/%s/dev", name);
			fuzz_write(dir, rel, dev, strlen(dev));
		}
		line = nl ? nl + 1 : NULL;
	}
	free(text);
}

static int remove_below(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	return ftw->level ? remove(path) : 0;
}

void fuzz_write_sysroot(const char *dir, const uint8_t *data, size_t size)
{
	struct fuzz_section s[NR_SYSROOT_FILES + 3];

	nftw(dir, remove_below, 16, FTW_DEPTH | FTW_PHYS);
	for (size_t i = 0; i < NR_SYSROOT_FILES; i++)
		s[i].name = sysroot_files[i].section;
	s[NR_SYSROOT_FILES].name = "fwmap";
	s[NR_SYSROOT_FILES + 1].name = "notes";
	s[NR_SYSROOT_FILES + 2].name = "tty";
	fuzz_split(data, size, s, NR_SYSROOT_FILES + 3);
	for (size_t i = 0; i < NR_SYSROOT_FILES; i++)
		if (s[i].data)
			fuzz_write(dir, sysroot_files[i].path, s[i].data, s[i].size);
	if (s[NR_SYSROOT_FILES].data)
		write_fwmap(dir, &s[NR_SYSROOT_FILES]);
	if (s[NR_SYSROOT_FILES + 1].data)
		write_notes(dir, &s[NR_SYSROOT_FILES + 1]);
	if (s[NR_SYSROOT_FILES + 2].data)
		write_ttys(dir, &s[NR_SYSROOT_FILES + 2]);
}

/* tests/fixtures/qemu-1g-mk, plus a crash kernel area in the low RAM. */
static const char machine_iomem[] =
	"00000000-00000fff : Reserved\n"
	"00001000-0001ffff : System RAM\n"
	"00020000-0007ffff : Reserved\n"
	"00080000-0009fbff : System RAM\n"
	"0009fc00-0009ffff : Reserved\n"
	"000c0000-000c05ff : Video ROM\n"
	"000f0000-000fffff : Reserved\n"
	"  000f0000-000fffff : System ROM\n"
	"00100000-1fffffff : System RAM\n"
	"  01000000-015fffff : Kernel code\n"
	"  01600000-016cffff : Kernel rodata\n"
	"  01800000-018ad43f : Kernel data\n"
	"  01960000-019fffff : Kernel bss\n"
	"  04000000-07ffffff : Crash kernel\n"
	"30000000-3ffdffff : System RAM\n"
	"fed00000-fed003ff : HPET 0\n";

void fuzz_machine(struct host_facts *hf)
{
	unsigned int bad_line;

	memset(hf, 0, sizeof(*hf));
	if (iomem_parse(machine_iomem, &hf->iomem, &bad_line))
		abort();
	hf->have_iomem = true;
	snprintf(hf->cmdline, sizeof(hf->cmdline),
		 "console=ttyS0 memmap=0x60000$0x20000 memmap=256M$0x20000000 hpet=disable");
	hf->totalram_bytes = 1ull << 30;
	hf->have_cpu_lists = true;
	cpu_set_parse("0-1", &hf->present);
	cpu_set_parse("0", &hf->online);
	hf->kexec_loaded = 0;
	hf->kexec_crash_loaded = 0;
	hf->have_proc_multikernel = true;
}

/* Bytes of [s, e) that ranges of type cover; the ranges must not overlap each other. */
static uint64_t covered(const struct mem_ranges *mr, enum mem_type type, uint64_t s, uint64_t e)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < mr->nr; i++) {
		uint64_t a = mr->r[i].start > s ? mr->r[i].start : s;
		uint64_t b = mr->r[i].end < e ? mr->r[i].end : e;

		if (mr->r[i].type == type && a < b)
			sum += b - a;
	}
	return sum;
}

static struct mem_ranges host_ram(const struct host_facts *hf)
{
	struct mem_ranges ram = hf->iomem.top;

	mem_ranges_keep_type(&ram, MEM_RAM);
	mem_ranges_normalize(&ram);
	return ram;
}

static void check_rules(struct kx_plan *plan, const struct load_env *env)
{
	struct plan_rules rules = {
		.allowed = &env->allowed,
		.allowed_name = env->allowed_name,
		.max_end = env->max_end,
	};
	struct kx_error err = { .status = KX_OK };

	FUZZ_ASSERT(plan->nr > 0, "a plan without segments");
	plan_sort(plan);
	FUZZ_ASSERT(plan_check(plan, &rules, &err) == 0, "the loader's plan fails the plan check: %s",
		    err.msg);
}

#define SEG(s) (s)->purpose, (unsigned long long)(s)->mem, \
	       (unsigned long long)((s)->mem + (s)->memsz)

void fuzz_check_ordinary_plan(const struct kx_plan *plan, const struct load_env *env,
			      const struct host_facts *hf)
{
	static struct mem_ranges ram;

	check_rules((struct kx_plan *)plan, env);
	ram = host_ram(hf);
	for (size_t i = 0; i < plan->nr; i++) {
		const struct kx_segment *s = &plan->seg[i];
		uint64_t end = s->mem + s->memsz;

		FUZZ_ASSERT(s->mem >= ONE_MIB, "%s [%#llx, %#llx) is below 1 MiB", SEG(s));
		FUZZ_ASSERT(end > s->mem, "%s [%#llx, %#llx) is empty or wraps", SEG(s));
		for (size_t c = 0; c < hf->iomem.crash.nr; c++)
			FUZZ_ASSERT(end <= hf->iomem.crash.r[c].start || s->mem >= hf->iomem.crash.r[c].end,
				    "%s [%#llx, %#llx) is in the crash kernel area", SEG(s));
		FUZZ_ASSERT(covered(&ram, MEM_RAM, s->mem, end) == s->memsz,
			    "%s [%#llx, %#llx) is not all System RAM", SEG(s));
	}
}

void fuzz_check_multikernel_plan(const struct kx_plan *plan, const struct load_env *env,
				 const struct host_facts *hf, const struct mem_range *reservation)
{
	static struct mem_ranges ram;

	check_rules((struct kx_plan *)plan, env);
	ram = host_ram(hf);
	for (size_t i = 0; i < plan->nr; i++) {
		const struct kx_segment *s = &plan->seg[i];
		uint64_t end = s->mem + s->memsz;

		FUZZ_ASSERT(s->mem >= reservation->start && end <= reservation->end && end > s->mem,
			    "%s [%#llx, %#llx) is outside the reservation", SEG(s));
		FUZZ_ASSERT(covered(&ram, MEM_RAM, s->mem, end) == 0,
			    "%s [%#llx, %#llx) is host System RAM", SEG(s));
	}
}

void fuzz_check_reservation(const struct host_facts *hf, const struct mem_range *main,
			    uint64_t mem_min, uint64_t mem_max)
{
	static struct mem_ranges ram, fw;

	ram = host_ram(hf);
	FUZZ_ASSERT(main->end > main->start, "an empty reservation [%#llx, %#llx)",
		    (unsigned long long)main->start, (unsigned long long)main->end);
	FUZZ_ASSERT(main->start >= ONE_MIB && main->end <= FOUR_GIB,
		    "reservation [%#llx, %#llx) is not within [1 MiB, 4 GiB)",
		    (unsigned long long)main->start, (unsigned long long)main->end);
	FUZZ_ASSERT(main->start >= mem_min, "reservation starts below --mem-min");
	FUZZ_ASSERT(!mem_max || main->end - 1 <= mem_max, "reservation ends above --mem-max");
	FUZZ_ASSERT(covered(&ram, MEM_RAM, main->start, main->end) == 0,
		    "reservation [%#llx, %#llx) includes host System RAM",
		    (unsigned long long)main->start, (unsigned long long)main->end);
	if (hf->have_firmware_map) {
		fw = hf->firmware_map;
		mem_ranges_keep_type(&fw, MEM_RAM);
		mem_ranges_normalize(&fw);
		FUZZ_ASSERT(covered(&fw, MEM_RAM, main->start, main->end) == main->end - main->start,
			    "reservation [%#llx, %#llx) is not all firmware RAM",
			    (unsigned long long)main->start, (unsigned long long)main->end);
	}
}

int fuzz_plan_image(const uint8_t *data, size_t size, const char *type_name,
		    const struct load_env *env, const char *cmdline, struct kx_plan *plan,
		    struct kx_error *err)
{
	static struct load_request req;
	struct image_file kernel = { .path = "fuzz-image", .data = data, .size = size };
	const struct file_type *type;

	plan_init(plan, &env->allowed, env->allowed_name, env->no_room_hint);
	type = file_type_select(&kernel, type_name, err);
	if (!type)
		return -1;
	memset(&req, 0, sizeof(req));
	req.kernel = &kernel;
	snprintf(req.cmdline, sizeof(req.cmdline), "%s", cmdline);
	req.verify_digests = true;
	req.serial_port = 0x3f8;
	return type->plan(&kernel, &req, env, plan, err);
}

static void put(uint8_t *b, size_t off, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		b[off + (size_t)i] = (uint8_t)(v >> (8 * i));
}

uint8_t *fuzz_small_bzimage(size_t *size)
{
	const size_t setup = 0x400, kernel = 0x3000;
	uint8_t *b = calloc(1, setup + kernel);

	if (!b)
		abort();
	/* Offsets from Documentation/arch/x86/boot.rst. */
	put(b, 0x1f1, setup / 512 - 1, 1);	/* setup_sects */
	put(b, 0x1f4, kernel / 16, 4);		/* syssize */
	put(b, 0x1fe, 0xaa55, 2);		/* boot_flag */
	put(b, 0x200, 0x6aeb, 2);		/* jmp to 0x26c */
	put(b, 0x202, 0x53726448, 4);		/* "HdrS" */
	put(b, 0x206, 0x020f, 2);		/* version 2.15 */
	put(b, 0x211, 0x01, 1);			/* loadflags: LOADED_HIGH */
	put(b, 0x22c, 0x7fffffff, 4);		/* initrd_addr_max */
	put(b, 0x230, 0x200000, 4);		/* kernel_alignment */
	put(b, 0x234, 1, 1);			/* relocatable_kernel */
	put(b, 0x236, 0x0003, 2);		/* xloadflags: KERNEL_64 | CAN_BE_LOADED_ABOVE_4G */
	put(b, 0x238, 0x7ff, 4);		/* cmdline_size */
	put(b, 0x248, 0x100, 4);		/* payload_offset */
	put(b, 0x24c, 0x200, 4);		/* payload_length */
	put(b, 0x258, 0x1000000, 8);		/* pref_address */
	put(b, 0x260, 0x800000, 4);		/* init_size */
	*size = setup + kernel;
	return b;
}

struct loader_envs {
	struct host_facts hf;
	struct load_env ordinary, multikernel;
	struct mk_memory mk;
};

static struct loader_envs *loader_envs(void)
{
	static struct loader_envs *e;
	struct kx_error err = { .status = KX_OK };

	if (e)
		return e;
	e = calloc(1, sizeof(*e));
	if (!e)
		abort();
	fuzz_machine(&e->hf);
	if (load_env_ordinary(&e->hf, 0, 0, &e->ordinary, &err) ||
	    mk_memory_find(&e->hf, 0, 0, NULL, &e->mk, &err) ||
	    mk_memory_env(&e->hf, &e->mk, &e->multikernel, &err)) {
		fprintf(stderr, "fuzz: the recorded machine has no load environment: %s\n", err.msg);
		abort();
	}
	return e;
}

void fuzz_loader_one(const uint8_t *data, size_t size, const char *type)
{
	static struct kx_plan plan;
	struct loader_envs *e = loader_envs();
	struct kx_error err = { .status = KX_OK };

	if (fuzz_plan_image(data, size, type, &e->ordinary, "console=ttyS0", &plan, &err) == 0)
		fuzz_check_ordinary_plan(&plan, &e->ordinary, &e->hf);
	else
		fuzz_check_failure(&err);
	plan_free(&plan);

	err = (struct kx_error){ .status = KX_OK };
	if (fuzz_plan_image(data, size, type, &e->multikernel, "console=ttyS1", &plan, &err) == 0)
		fuzz_check_multikernel_plan(&plan, &e->multikernel, &e->hf, &e->mk.main);
	else
		fuzz_check_failure(&err);
	plan_free(&plan);
}
