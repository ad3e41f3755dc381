// SPDX-License-Identifier: GPL-2.0-only
/*
 * The only file that reads /proc and /sys.  Every path goes through
 * host_path() so that --sysroot replays a recorded machine.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/*
 * Clock rates an x86 CPU can report.  Anything else (negative, nan, inf,
 * 1e10) is not a measurement: casting it to uint32_t is undefined and would
 * hand the spawned kernel a garbage tsc_early_khz=, so it counts as unknown.
 */
#define CPU_MHZ_MIN 1.0
#define CPU_MHZ_MAX 100000.0	/* 100 GHz; its kHz still fits in uint32_t */

static void read_cpu_khz(struct host_facts *hf)
{
	char text[8192];	/* the first CPU's block is enough */
	const char *p;
	char *end;
	double mhz;

	if (read_text(hf, "/proc/cpuinfo", text, sizeof(text)) < 0)
		return;
	p = strstr(text, "cpu MHz");
	if (!p || !(p = strchr(p, ':')))
		return;
	mhz = strtod(p + 1, &end);
	/* Written so that nan fails both comparisons. */
	if (end != p + 1 && mhz >= CPU_MHZ_MIN && mhz <= CPU_MHZ_MAX)
		hf->cpu_khz = (uint32_t)(mhz * 1000.0 + 0.5);
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
	read_cpu_khz(hf);
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
