/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Everything the loader learns about the running machine, read in one place
 * and always through a root prefix (--sysroot), so tests replay recorded
 * machines from tests/fixtures/.  Nothing else in the loader opens /proc or
 * /sys.
 */
#ifndef KEXEC_HOST_FACTS_H
#define KEXEC_HOST_FACTS_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "cpu-set.h"
#include "crash-elf.h"
#include "iomem.h"
#include "mem-range.h"
#include "status.h"
#include "tsc-freq.h"

#define HOST_CMDLINE_MAX 4096
#define HOST_SERIAL_MAX 8

/* One of the host's 8250 ports with an I/O address (/sys/class/tty/ttySN). */
struct host_serial {
	char name[16];			/* "ttyS0" */
	uint16_t io_port;		/* "port", e.g. 0x3f8 */
	unsigned int major, minor;	/* "dev", e.g. 4:64 */
	bool console;			/* listed in /sys/class/tty/console/active */
};

/* The host's ports with a UART found at an I/O address, in directory order. */
struct host_serial_ports {
	unsigned int nr;
	struct host_serial port[HOST_SERIAL_MAX];
};

/*
 * What every action may need.  The facts only a multikernel load or start
 * uses (the whole kernel log, CPUID, the serial ports) are not here: that
 * path reads them when it needs them (host_tsc_sources_read,
 * host_serial_ports_read), so 'kexec -e' never reads the kernel log.
 */
struct host_facts {
	char sysroot[PATH_MAX];

	bool have_iomem;
	struct iomem_map iomem;			/* /proc/iomem */
	bool have_firmware_map;
	struct mem_ranges firmware_map;		/* /sys/firmware/memmap */
	char cmdline[HOST_CMDLINE_MAX];		/* /proc/cmdline, newline dropped */
	uint64_t totalram_bytes;		/* /proc/meminfo MemTotal, 0 unknown */

	bool have_cpu_lists;
	struct cpu_set present, online;		/* /sys/devices/system/cpu/{present,online} */

	uint64_t acpi_rsdp_addr;		/* EFI systab or the host's boot_params, 0 unknown */
	int kexec_loaded;			/* /sys/kernel/kexec_loaded: 1, 0, -1 unknown */
	int kexec_crash_loaded;			/* /sys/kernel/kexec_crash_loaded */
	bool have_proc_multikernel;
	bool have_sys_fs_multikernel;		/* the later ABI (v7.0-mk2 instances) */
	char proc_multikernel[8192];		/* /proc/multikernel as read */
	char boot_id[40];			/* /proc/sys/kernel/random/boot_id, "" unknown */
};

/* What a crash kernel load through kexec_load needs to describe this kernel's memory. */
struct crash_facts {
	size_t nr_possible;			/* CPUs in /sys/devices/system/cpu/possible */
	size_t nr_notes;			/* of them, with a crash_notes address */
	struct crash_note notes[CRASH_MAX_CPUS];
	struct crash_note vmcoreinfo;		/* /sys/kernel/vmcoreinfo */
	struct crash_kernel_map map;		/* from /proc/kcore's ELF header */
	uint64_t elfcorehdr_size;		/* /sys/kernel/crash_elfcorehdr_size, 0 unknown */
};

/* Read the crash facts; a missing vmcoreinfo or CPU list is an error (KX_EHOST). */
int host_crash_facts_read(const struct host_facts *hf, struct crash_facts *cf,
			  struct kx_error *err);

/* Read all facts.  Missing files are recorded as unknown; malformed ones are errors. */
int host_facts_read(const char *sysroot, struct host_facts *hf, struct kx_error *err);

/*
 * The TSC frequency's sources (tsc-freq.h): the kernel log's tsc lines
 * (/dev/kmsg, read whole) and, for this machine only (never a --sysroot),
 * CPUID.  What cannot be read stays unknown.
 */
void host_tsc_sources_read(const struct host_facts *hf, struct tsc_sources *out);

/*
 * Measure the TSC against CLOCK_MONOTONIC_RAW for about 50 ms (this
 * machine only, and only when src allows it).  0 when it cannot.
 */
uint32_t host_tsc_measure_khz(const struct host_facts *hf, const struct tsc_sources *src);

/* The host's 8250 ports at I/O addresses (/sys/class/tty); none when unreadable. */
void host_serial_ports_read(const struct host_facts *hf, struct host_serial_ports *out);

/*
 * Whether a process of the host has the port open, directly or as
 * /dev/console (scans /proc/PID/fd under the sysroot).
 */
bool host_serial_in_use(const struct host_facts *hf, const struct host_serial *port);

/* Write 0 or 1 to /sys/devices/system/cpu/cpuN/online under the sysroot. */
int host_cpu_set_online(const struct host_facts *hf, unsigned int cpu, bool online,
			struct kx_error *err);

/* /sys/kernel/kexec_loaded as it is now (after a load): 1, 0, -1 unknown. */
int host_kexec_loaded_now(const struct host_facts *hf);

/*
 * The local APIC id of logical CPU cpu from /proc/cpuinfo's "processor" and
 * "apicid" lines: 0 and *id set, or -1 when the CPU is not listed (cpuinfo
 * lists online CPUs only).  cpuinfo_apic_id() is the parser alone.
 */
int host_cpu_apic_id(const struct host_facts *hf, unsigned int cpu, uint32_t *id);
int cpuinfo_apic_id(const char *text, unsigned int cpu, uint32_t *id);

/*
 * Mark used[id] for every local APIC id below 0xff that /proc/cpuinfo
 * lists (its online CPUs); used has 0xff entries.  -1 when cpuinfo cannot
 * be read.  cpuinfo_mark_apic_ids() is the parser alone.
 */
int host_mark_apic_ids(const struct host_facts *hf, bool *used);
void cpuinfo_mark_apic_ids(const char *text, bool *used);

/*
 * The firmware's ACPI table SIG (/sys/firmware/acpi/tables/SIG, root
 * only) into buf: its length, or -1 when there is none or it cannot be
 * read (no ACPI, not root).  At most size - 1 bytes (read_text ends them
 * with a NUL); the caller parses them.
 */
ssize_t host_firmware_table(const struct host_facts *hf, const char *sig, uint8_t *buf,
			    size_t size);

/*
 * Whether the running kernel (not a module) has a symbol of this name in
 * /proc/kallsyms: 1, 0, or -1 when the file cannot be read (no
 * CONFIG_KALLSYMS).  Read on demand: the file is large.
 */
int host_kernel_has_symbol(const struct host_facts *hf, const char *name);

/* Re-read the CPU online list (after host_cpu_set_online). */
int host_facts_reread_cpus(struct host_facts *hf, struct kx_error *err);

#endif /* KEXEC_HOST_FACTS_H */
