// SPDX-License-Identifier: GPL-2.0-only
/*
 * The only file that reads /proc and /sys.  Every path goes through
 * host_path() so that --sysroot replays a recorded machine.
 */
#include <cpuid.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

#include "host-facts.h"

static void host_path(const struct host_facts *hf, const char *path, char *out, size_t size)
{
	snprintf(out, size, "%s%s", hf->sysroot, path);
}

/* Read a whole small file into buf (NUL-terminated).  Returns bytes or -1 (errno set). */
static ssize_t read_text(const struct host_facts *hf, const char *path, char *buf, size_t size)
{
	char full[PATH_MAX + 256];
	size_t len = 0;
	int fd;

	host_path(hf, path, full, sizeof(full));
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (len + 1 < size) {
		ssize_t n = read(fd, buf + len, size - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int saved = errno;

			close(fd);
			errno = saved;
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return (ssize_t)len;
}

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

static int read_iomem(struct host_facts *hf, struct kx_error *err)
{
	const size_t size = 1 << 20;	/* /proc/iomem of a large server fits easily */
	char *text = malloc(size);
	unsigned int bad_line = 0;
	int ret = 0, rc;

	if (!text)
		return kx_fail(err, KX_EHOST, "out of memory reading /proc/iomem");
	if (read_text(hf, "/proc/iomem", text, size) < 0)
		goto out;	/* unknown; a load will say so */
	rc = iomem_parse(text, &hf->iomem, &bad_line);
	if (rc == -2) {
		ret = kx_fail(err, KX_ELIMIT, "%s/proc/iomem has more than %d ranges of one kind "
			      "(at line %u), kexec's limit; it cannot place segments safely on "
			      "this machine", hf->sysroot, MEM_RANGES_MAX, bad_line);
		goto out;
	}
	if (rc) {
		ret = kx_fail(err, KX_EHOST, "cannot parse %s/proc/iomem at line %u; "
			      "is the sysroot a recorded machine?", hf->sysroot, bad_line);
		goto out;
	}
	hf->have_iomem = true;
out:
	free(text);
	return ret;
}

/* /sys/firmware/memmap/N/{start,end,type}; end is inclusive there. */
static int read_firmware_map(struct host_facts *hf, struct kx_error *err)
{
	char dir[PATH_MAX + 64];
	struct dirent *de;
	DIR *d;

	host_path(hf, "/sys/firmware/memmap", dir, sizeof(dir));
	d = opendir(dir);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char path[PATH_MAX], start[64], end[64], type[64];
		uint64_t s, e;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/firmware/memmap/%s/start", de->d_name);
		if (read_text(hf, path, start, sizeof(start)) < 0)
			continue;
		snprintf(path, sizeof(path), "/sys/firmware/memmap/%s/end", de->d_name);
		if (read_text(hf, path, end, sizeof(end)) < 0)
			continue;
		snprintf(path, sizeof(path), "/sys/firmware/memmap/%s/type", de->d_name);
		if (read_text(hf, path, type, sizeof(type)) < 0)
			continue;
		chomp(type);
		s = strtoull(start, NULL, 0);
		e = strtoull(end, NULL, 0);
		if (e < s || e == UINT64_MAX ||
		    mem_ranges_add(&hf->firmware_map, s, e + 1, mem_type_from_name(type))) {
			/* de points into d: say which entry before closing it. */
			kx_fail(err, KX_EHOST, "bad entry %s in %s", de->d_name, dir);
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	mem_ranges_normalize(&hf->firmware_map);
	hf->have_firmware_map = hf->firmware_map.nr > 0;
	return 0;
}

static int read_cpu_lists(struct host_facts *hf, struct kx_error *err)
{
	char present[1024], online[1024];

	if (read_text(hf, "/sys/devices/system/cpu/present", present, sizeof(present)) < 0 ||
	    read_text(hf, "/sys/devices/system/cpu/online", online, sizeof(online)) < 0)
		return 0;
	if (cpu_set_parse(present, &hf->present) || cpu_set_parse(online, &hf->online))
		return kx_fail(err, KX_EHOST, "cannot parse the CPU lists in %s/sys/devices/system/cpu",
			       hf->sysroot);
	hf->have_cpu_lists = true;
	return 0;
}

int host_facts_reread_cpus(struct host_facts *hf, struct kx_error *err)
{
	hf->have_cpu_lists = false;
	return read_cpu_lists(hf, err);
}

static uint64_t field_after(const char *text, const char *key, int base)
{
	const char *p = strstr(text, key);

	return p ? strtoull(p + strlen(key), NULL, base) : 0;
}

static void read_memory_size(struct host_facts *hf)
{
	char text[8192];

	if (read_text(hf, "/proc/meminfo", text, sizeof(text)) >= 0)
		hf->totalram_bytes = field_after(text, "MemTotal:", 10) * 1024;
}

/* One kernel log line: "PRI,SEQ,USEC,FLAGS;text" (a /dev/kmsg record) or bare text. */
static void scan_log_line(struct tsc_sources *t, const char *line)
{
	const char *semi = strchr(line, ';');

	/* Continuation lines (" KEY=value") carry no message text. */
	if (line[0] == ' ')
		return;
	tsc_log_scan_line(t, semi ? semi + 1 : line);
}

/*
 * The kernel log through /dev/kmsg: live, each read() returns one record
 * (EAGAIN at the end, EPIPE when the ring overwrote unread records); a
 * recorded machine's copy is a regular file read in chunks, so lines are
 * split here, whatever read() returns.
 */
static void read_kernel_log(const struct host_facts *hf, struct tsc_sources *t)
{
	char path[PATH_MAX + 64], buf[8192 + 1], line[8192 + 1];
	size_t line_len = 0;
	int fd;

	host_path(hf, "/dev/kmsg", path, sizeof(path));
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);

		if (n < 0 && (errno == EINTR || errno == EPIPE))
			continue;
		if (n <= 0)
			break;
		t->log_read = true;
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				/* An overlong line is cut: its start is what we match. */
				if (line_len < sizeof(line) - 1)
					line[line_len++] = buf[i];
				continue;
			}
			line[line_len] = '\0';
			scan_log_line(t, line);
			line_len = 0;
		}
	}
	if (line_len) {
		line[line_len] = '\0';
		scan_log_line(t, line);
	}
	close(fd);
}

/* CPUID of the CPU we run on: only for this machine, never a recorded one. */
static void read_cpuid(const struct host_facts *hf, struct tsc_sources *t)
{
	unsigned int a, b, c, d;

	if (hf->sysroot[0] || !__get_cpuid(0, &a, &b, &c, &d))
		return;
	t->have_cpuid = true;
	t->cpuid_max_leaf = a;
	/* "GenuineIntel" in EBX, EDX, ECX. */
	t->cpuid_intel = b == 0x756e6547 && d == 0x49656e69 && c == 0x6c65746e;
	if (a >= 0x15) {
		__cpuid_count(0x15, 0, a, b, c, d);
		t->leaf15_eax = a;
		t->leaf15_ebx = b;
		t->leaf15_ecx = c;
	}
	if (t->cpuid_max_leaf >= 0x16) {
		__cpuid_count(0x16, 0, a, b, c, d);
		t->leaf16_eax = a;
	}
	if (__get_cpuid(0x80000000, &a, &b, &c, &d) && a >= 0x80000007) {
		__cpuid(0x80000007, a, b, c, d);
		t->invariant_tsc = d & (1u << 8);
	}
}

void host_tsc_sources_read(const struct host_facts *hf, struct tsc_sources *out)
{
	memset(out, 0, sizeof(*out));
	read_kernel_log(hf, out);
	read_cpuid(hf, out);
}

/* A (TSC, CLOCK_MONOTONIC_RAW) pair read as close together as we can: best of 16. */
static int tsc_sample(uint64_t *tsc, uint64_t *ns)
{
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < 16; i++) {
		struct timespec t0, t1;
		uint64_t c, a, b;

		if (clock_gettime(CLOCK_MONOTONIC_RAW, &t0))
			return -1;
		c = __rdtsc();
		if (clock_gettime(CLOCK_MONOTONIC_RAW, &t1))
			return -1;
		a = (uint64_t)t0.tv_sec * 1000000000u + (uint64_t)t0.tv_nsec;
		b = (uint64_t)t1.tv_sec * 1000000000u + (uint64_t)t1.tv_nsec;
		if (b - a < best) {
			best = b - a;
			*tsc = c;
			*ns = a + (b - a) / 2;
		}
	}
	return 0;
}

uint32_t host_tsc_measure_khz(const struct host_facts *hf, const struct tsc_sources *src)
{
	/*
	 * 50 ms: each end is known to within half the narrowest bracket
	 * (well under a microsecond), so the result is good to tens of ppm.
	 */
	const struct timespec span = { 0, 50 * 1000 * 1000 };
	uint64_t tsc0, ns0, tsc1, ns1;

	if (hf->sysroot[0] || !tsc_measurement_allowed(src) || tsc_sample(&tsc0, &ns0))
		return 0;
	while (nanosleep(&span, NULL) && errno == EINTR)
		;
	if (tsc_sample(&tsc1, &ns1))
		return 0;
	return tsc_khz_from_samples(tsc0, ns0, tsc1, ns1);
}

/*
 * The host's 8250 ports at I/O addresses: a "type" of 0 means the driver
 * found no UART there, a "port" of 0 a memory-mapped one.
 */
void host_serial_ports_read(const struct host_facts *hf, struct host_serial_ports *out)
{
	char dir[PATH_MAX + 64], active[256];
	struct dirent *de;
	DIR *d;

	memset(out, 0, sizeof(*out));
	host_path(hf, "/sys/class/tty", dir, sizeof(dir));
	d = opendir(dir);
	if (!d)
		return;
	if (read_text(hf, "/sys/class/tty/console/active", active, sizeof(active)) < 0)
		active[0] = '\0';
	while ((de = readdir(d)) && out->nr < HOST_SERIAL_MAX) {
		struct host_serial *s = &out->port[out->nr];
		char path[PATH_MAX], text[64];
		unsigned long port;
		const char *a;

		if (strncmp(de->d_name, "ttyS", 4) != 0 || strlen(de->d_name) >= sizeof(s->name))
			continue;
		snprintf(path, sizeof(path), "/sys/class/tty/%s/type", de->d_name);
		if (read_text(hf, path, text, sizeof(text)) < 0 || atoi(text) == 0)
			continue;
		snprintf(path, sizeof(path), "/sys/class/tty/%s/port", de->d_name);
		if (read_text(hf, path, text, sizeof(text)) < 0)
			continue;
		port = strtoul(text, NULL, 16);
		if (port == 0 || port > 0xffff)
			continue;
		snprintf(path, sizeof(path), "/sys/class/tty/%s/dev", de->d_name);
		if (read_text(hf, path, text, sizeof(text)) < 0 ||
		    sscanf(text, "%u:%u", &s->major, &s->minor) != 2)
			continue;
		snprintf(s->name, sizeof(s->name), "%s", de->d_name);
		s->io_port = (uint16_t)port;
		/* "tty0 ttyS0": a whole word of the list. */
		for (a = strstr(active, s->name); a; a = strstr(a + 1, s->name)) {
			char end = a[strlen(s->name)];

			if ((a == active || a[-1] == ' ') && (end == '\0' || end == ' ' || end == '\n'))
				s->console = true;
		}
		out->nr++;
	}
	closedir(d);
}

static bool fd_dir_has(const char *fd_dir, const struct host_serial *port)
{
	struct dirent *de;
	bool found = false;
	DIR *d = opendir(fd_dir);

	if (!d)
		return false;
	while (!found && (de = readdir(d))) {
		char path[2 * PATH_MAX + 400];
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", fd_dir, de->d_name);
		if (stat(path, &st) || !S_ISCHR(st.st_mode))
			continue;
		if (major(st.st_rdev) == port->major && minor(st.st_rdev) == port->minor)
			found = true;
		/* /dev/console is 5:1 and reaches the active console's port. */
		if (port->console && major(st.st_rdev) == 5 && minor(st.st_rdev) == 1)
			found = true;
	}
	closedir(d);
	return found;
}

bool host_serial_in_use(const struct host_facts *hf, const struct host_serial *port)
{
	char dir[PATH_MAX + 64];
	struct dirent *de;
	bool found = false;
	DIR *d;

	host_path(hf, "/proc", dir, sizeof(dir));
	d = opendir(dir);
	if (!d)
		return false;
	while (!found && (de = readdir(d))) {
		char fd_dir[PATH_MAX + 330];

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(fd_dir, sizeof(fd_dir), "%s/%s/fd", dir, de->d_name);
		found = fd_dir_has(fd_dir, port);
	}
	closedir(d);
	return found;
}

/*
 * The ACPI RSDP: on EFI machines the firmware's system table names it; a
 * BIOS boot loader may have passed it in boot_params (offset 0x070); else
 * the new kernel scans the BIOS area itself and 0 is right.
 */
static void read_acpi_rsdp(struct host_facts *hf)
{
	char text[4096];
	unsigned char bp[0x78];
	char full[PATH_MAX + 64];
	int fd;

	if (read_text(hf, "/sys/firmware/efi/systab", text, sizeof(text)) >= 0) {
		uint64_t a = field_after(text, "ACPI20=", 0);

		hf->acpi_rsdp_addr = a ? a : field_after(text, "ACPI=", 0);
		if (hf->acpi_rsdp_addr)
			return;
	}
	host_path(hf, "/sys/kernel/boot_params/data", full, sizeof(full));
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (read(fd, bp, sizeof(bp)) == (ssize_t)sizeof(bp))
		memcpy(&hf->acpi_rsdp_addr, bp + 0x070, sizeof(hf->acpi_rsdp_addr));
	close(fd);
}

static int read_flag(const struct host_facts *hf, const char *path)
{
	char text[32];

	if (read_text(hf, path, text, sizeof(text)) < 0)
		return -1;
	return atoi(text) != 0;
}

int host_facts_read(const char *sysroot, struct host_facts *hf, struct kx_error *err)
{
	char path[PATH_MAX + 64];
	struct stat st;

	memset(hf, 0, sizeof(*hf));
	if (snprintf(hf->sysroot, sizeof(hf->sysroot), "%s", sysroot ? sysroot : "") >=
	    (int)sizeof(hf->sysroot))
		return kx_fail(err, KX_EUSAGE, "--sysroot path is too long");
	/* A trailing slash would double up with the absolute paths below. */
	chomp(hf->sysroot);
	while (hf->sysroot[0] && hf->sysroot[strlen(hf->sysroot) - 1] == '/')
		hf->sysroot[strlen(hf->sysroot) - 1] = '\0';

	if (read_iomem(hf, err) || read_firmware_map(hf, err) || read_cpu_lists(hf, err))
		return -1;
	if (read_text(hf, "/proc/cmdline", hf->cmdline, sizeof(hf->cmdline)) < 0)
		hf->cmdline[0] = '\0';
	chomp(hf->cmdline);
	read_memory_size(hf);
	read_acpi_rsdp(hf);
	hf->kexec_loaded = read_flag(hf, "/sys/kernel/kexec_loaded");
	hf->kexec_crash_loaded = read_flag(hf, "/sys/kernel/kexec_crash_loaded");
	hf->have_proc_multikernel = read_text(hf, "/proc/multikernel", hf->proc_multikernel,
					      sizeof(hf->proc_multikernel)) >= 0;
	host_path(hf, "/sys/fs/multikernel", path, sizeof(path));
	hf->have_sys_fs_multikernel = stat(path, &st) == 0;
	/* Tells this boot's multikernel instance records from an earlier boot's. */
	if (read_text(hf, "/proc/sys/kernel/random/boot_id", hf->boot_id, sizeof(hf->boot_id)) < 0)
		hf->boot_id[0] = '\0';
	chomp(hf->boot_id);
	return 0;
}

int host_kexec_loaded_now(const struct host_facts *hf)
{
	return read_flag(hf, "/sys/kernel/kexec_loaded");
}

/*
 * /proc/kallsyms, a line at a time: "ADDR TYPE NAME[\t[MODULE]]".  Only the
 * name is compared: kptr_restrict zeroes the addresses, never the names.
 */
int host_kernel_has_symbol(const struct host_facts *hf, const char *name)
{
	char full[PATH_MAX + 64], line[512];
	int found = 0;
	FILE *f;

	host_path(hf, "/proc/kallsyms", full, sizeof(full));
	f = fopen(full, "re");
	if (!f)
		return -1;
	while (!found && fgets(line, sizeof(line), f)) {
		char sym[256];

		/* Modules' symbols ("NAME\t[mod]") are not the kernel's own. */
		if (strchr(line, '[') || sscanf(line, "%*s %*s %255s", sym) != 1)
			continue;
		found = strcmp(sym, name) == 0;
	}
	fclose(f);
	return found;
}

/* The start of /proc/kcore: its ELF header says where the kernel is mapped. */
static void read_kcore_map(const struct host_facts *hf, struct crash_kernel_map *map)
{
	char full[PATH_MAX + 64];
	uint8_t buf[16384];
	ssize_t n;
	int fd;

	memset(map, 0, sizeof(*map));
	host_path(hf, "/proc/kcore", full, sizeof(full));
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;	/* no kcore (or lockdown): no text PT_LOAD, the usual direct map */
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n > 0)
		crash_kcore_parse(buf, (size_t)n, map);
}

int host_crash_facts_read(const struct host_facts *hf, struct crash_facts *cf,
			  struct kx_error *err)
{
	char text[256], path[128];
	struct cpu_set *possible = malloc(sizeof(*possible));

	memset(cf, 0, sizeof(*cf));
	if (!possible)
		return kx_fail(err, KX_EHOST, "out of memory reading the CPU list");
	if (read_text(hf, "/sys/devices/system/cpu/possible", text, sizeof(text)) < 0 ||
	    cpu_set_parse(text, possible)) {
		free(possible);
		return kx_fail(err, KX_EHOST, "cannot read %s/sys/devices/system/cpu/possible",
			       hf->sysroot);
	}
	for (unsigned int cpu = 0; cpu < CPU_SET_MAX; cpu++) {
		struct crash_note *n = &cf->notes[cf->nr_notes];

		if (!cpu_set_has(possible, cpu))
			continue;
		cf->nr_possible++;
		/* A possible CPU that was never present has no sysfs directory: no notes. */
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/crash_notes", cpu);
		if (read_text(hf, path, text, sizeof(text)) < 0)
			continue;
		if (cf->nr_notes == CRASH_MAX_CPUS) {
			free(possible);
			return kx_fail(err, KX_ELIMIT, "more than %d CPUs have crash notes, kexec's "
				       "limit; load with -s", CRASH_MAX_CPUS);
		}
		n->addr = strtoull(text, NULL, 16);
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/crash_notes_size", cpu);
		n->size = read_text(hf, path, text, sizeof(text)) < 0 ? 0 : strtoull(text, NULL, 10);
		if (!n->addr || !n->size) {
			free(possible);
			return kx_fail(err, KX_EHOST, "cannot read CPU %u's crash_notes address and "
				       "size under %s/sys/devices/system/cpu", cpu, hf->sysroot);
		}
		cf->nr_notes++;
	}
	free(possible);
	/* "%lx %x": the physical address and size of the VMCOREINFO note. */
	if (read_text(hf, "/sys/kernel/vmcoreinfo", text, sizeof(text)) < 0 ||
	    sscanf(text, "%" SCNx64 " %" SCNx64, &cf->vmcoreinfo.addr, &cf->vmcoreinfo.size) != 2 ||
	    !cf->vmcoreinfo.addr)
		return kx_fail(err, KX_EHOST, "cannot read %s/sys/kernel/vmcoreinfo: this kernel "
			       "was built without CONFIG_CRASH_DUMP?", hf->sysroot);
	if (read_text(hf, "/sys/kernel/crash_elfcorehdr_size", text, sizeof(text)) >= 0)
		cf->elfcorehdr_size = strtoull(text, NULL, 0);
	read_kcore_map(hf, &cf->map);
	return 0;
}

/* A "name<tabs>: value" line's number, for name alone before the colon. */
static bool cpuinfo_field(const char *line, const char *name, unsigned long *value)
{
	size_t n = strlen(name);
	char *end;

	if (strncmp(line, name, n) != 0 || (line[n] != '\t' && line[n] != ' ' && line[n] != ':'))
		return false;
	line += n;
	line += strspn(line, " \t");
	if (*line++ != ':')
		return false;
	errno = 0;
	*value = strtoul(line, &end, 10);
	return end != line && errno == 0;
}

int cpuinfo_apic_id(const char *text, unsigned int cpu, uint32_t *id)
{
	bool in_cpu = false;

	for (const char *line = text, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		unsigned long v;

		nl = strchr(line, '\n');

		if (cpuinfo_field(line, "processor", &v))
			in_cpu = v == cpu;
		else if (in_cpu && cpuinfo_field(line, "apicid", &v) && v <= UINT32_MAX) {
			*id = (uint32_t)v;
			return 0;
		}
	}
	return -1;
}

void cpuinfo_mark_apic_ids(const char *text, bool *used)
{
	for (const char *line = text, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		unsigned long v;

		nl = strchr(line, '\n');
		if (cpuinfo_field(line, "apicid", &v) && v < 0xff)
			used[v] = true;
	}
}

/* About 1.5 KiB per CPU: room for a few thousand. */
#define CPUINFO_MAX (8u << 20)

int host_mark_apic_ids(const struct host_facts *hf, bool *used)
{
	char *text = malloc(CPUINFO_MAX);
	int ret = -1;

	if (text && read_text(hf, "/proc/cpuinfo", text, CPUINFO_MAX) >= 0) {
		cpuinfo_mark_apic_ids(text, used);
		ret = 0;
	}
	free(text);
	return ret;
}

ssize_t host_firmware_table(const struct host_facts *hf, const char *sig, uint8_t *buf,
			    size_t size)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/firmware/acpi/tables/%.4s", sig);
	return read_text(hf, path, (char *)buf, size);
}

int host_cpu_apic_id(const struct host_facts *hf, unsigned int cpu, uint32_t *id)
{
	char *text = malloc(CPUINFO_MAX);
	int ret = -1;

	if (text && read_text(hf, "/proc/cpuinfo", text, CPUINFO_MAX) >= 0)
		ret = cpuinfo_apic_id(text, cpu, id);
	free(text);
	return ret;
}

int host_cpu_set_online(const struct host_facts *hf, unsigned int cpu, bool online,
			struct kx_error *err)
{
	char path[PATH_MAX + 64];
	const char *val = online ? "1" : "0";
	int fd;

	snprintf(path, sizeof(path), "%s/sys/devices/system/cpu/cpu%u/online", hf->sysroot, cpu);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return kx_fail(err, KX_ECPU, "cannot open %s: %s; CPU %u cannot be %s",
			       path, strerror(errno), cpu, online ? "onlined" : "offlined");
	if (write(fd, val, 1) != 1) {
		int e = errno;

		close(fd);
		return kx_fail(err, KX_ECPU, "cannot %s CPU %u: %s", online ? "online" : "offline",
			       cpu, strerror(e));
	}
	close(fd);
	return 0;
}
