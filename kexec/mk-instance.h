/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The record of multikernel instances: what runs (or was loaded) where.
 *
 * The RFC v1 kernel forgets a spawned kernel once it has kicked it, and
 * cannot stop it; only the loader can remember which CPU and which memory
 * a running instance owns.  The record outlives the kexec process and
 * dies with the host: one small text file per instance in
 * MK_INSTANCE_DIR (a tmpfs on every systemd host), read and written only
 * under that directory's lock (mk-lock.h: flock(2), or a lock file on a
 * kernel without file locking), so two kexec processes at once see each
 * other's instances.  Files are replaced atomically
 * (write a dot-file, fsync, rename), so a reader never sees half a record.
 *
 * Layout of a record (kexec(8) LIFECYCLE), one "key value" per line, in
 * this order, nothing else:
 *
 *   version 1
 *   cpu 1                       (or "none" for a loaded, not started image)
 *   cpus 1-2                    (only for several CPUs: every CPU, in sysfs
 *                               list form, the first the cpu line's; for a
 *                               loaded image, the CPUs its MADT lists)
 *   state running
 *   boot_id 6f0c...             (/proc/sys/kernel/random/boot_id when written)
 *   started 1764547200          (Unix seconds of the kick; 0 before)
 *   image /boot/vmlinuz-mk
 *   sha256 <64 hex digits of the image file>
 *   cmdline <the new kernel's command line, to the end of the line>
 *   status 0x2ffff000           (purgatory's status record, 0 = none)
 *   serial 0x2f8                (the port it was loaded with; absent in
 *                               records written before kexec kept it)
 *   range main 0x20000000 0x30000000     (half-open; one or more)
 *   range low 0x20000 0x50000
 *   segment 0x20000000 0x20a3b000        (the loaded segments, half-open)
 *   end
 */
#ifndef KEXEC_MK_INSTANCE_H
#define KEXEC_MK_INSTANCE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu-set.h"
#include "load-request.h"
#include "mem-range.h"
#include "mk-lock.h"
#include "status.h"

#define MK_INSTANCE_DIR		"/run/kexec-mk"
#define MK_INSTANCE_LOADED	"loaded"	/* file of the loaded, not started image */
#define MK_MAX_INSTANCES	64
#define MK_MAX_RANGES		4
#define MK_RECORD_MAX		(KX_CMDLINE_MAX + PATH_MAX + 4096)

enum mk_state {
	MK_LOADED,	/* in the kernel's list, not started */
	MK_STARTING,	/* kicked; kexec did not live to see the answer */
	MK_RUNNING,	/* purgatory jumped to the kernel */
	MK_UNCONFIRMED,	/* kicked with --start-wait=0: nobody looked */
	MK_SILENT,	/* kicked, no sign of life within the wait */
	MK_FAILED,	/* purgatory found a bad digest and halted */
};

struct mk_named_range {
	char name[8];		/* "main", "low" */
	uint64_t start, end;	/* half-open */
};

struct mk_instance {
	int cpu;		/* -1: loaded, not started; else the CPU it was started on */
	/*
	 * Several CPUs: all of them, increasing (cpus[0] is cpu once
	 * started); nr_cpus is 0 for an instance of the one CPU cpu.
	 */
	size_t nr_cpus;
	int cpus[CPU_LIST_MAX];
	enum mk_state state;
	char boot_id[40];
	int64_t started;	/* Unix seconds, 0 before the kick */
	char image[PATH_MAX];
	char sha256[65];
	char cmdline[KX_CMDLINE_MAX];
	uint64_t status_addr;
	/*
	 * The I/O port purgatory reports on and the kernel's console was
	 * given (--serial at the load), which a start leaves to it and does
	 * not re-arm; 0 in a record written before kexec kept it.
	 */
	uint16_t serial_port;
	size_t nr_ranges;
	struct mk_named_range ranges[MK_MAX_RANGES];
	size_t nr_segments;
	struct mem_range segments[16];
	/* Set by the reader, not stored. */
	char file[32];		/* "cpu1", "loaded" */
	bool stale;		/* written during an earlier boot of this host */
};

const char *mk_state_name(enum mk_state s);

/*
 * Does the instance keep its CPU and memory?  Everything but a failed
 * start (purgatory halted before the kernel) and a stale record (the host
 * rebooted since): a silent or unconfirmed kernel may well be running.
 */
bool mk_instance_holds(const struct mk_instance *in);

/* Strict parser: 0, or -1 with why (e.g. "line 4: unknown state 'runing'"). */
int mk_instance_parse(const char *text, size_t len, struct mk_instance *out,
		      char *why, size_t why_size);
/* The record's text; -1 if it does not fit in size. */
int mk_instance_format(const struct mk_instance *in, char *out, size_t size);

/* A record file that could not be parsed: kept so that it can be listed and forgotten. */
struct mk_damaged {
	char file[32];
	char why[160];
};

struct mk_registry {
	char dir[PATH_MAX];
	int dir_fd;		/* -1 when the directory does not exist */
	struct mk_lock lock;	/* held from open to close */
	bool writable;
	size_t nr;
	struct mk_instance *inst;	/* MK_MAX_INSTANCES of them */
	size_t nr_damaged;
	struct mk_damaged damaged[8];
};

/*
 * Read every record under sysroot's MK_INSTANCE_DIR.  writable: create the
 * directory if needed and hold an exclusive lock until mk_registry_close
 * (blocks while another kexec holds it); otherwise a shared lock, and a
 * missing directory is simply no instances.  boot_id marks older records
 * stale ("" if unknown: nothing is stale).
 */
int mk_registry_open(const char *sysroot, const char *boot_id, bool writable,
		     struct mk_registry *reg, struct kx_error *err);
/* The same with another lock (tests: an flock that says ENOSYS, a short wait). */
int mk_registry_open_with(const char *sysroot, const char *boot_id, bool writable,
			  const struct mk_lock_ops *lock_ops, struct mk_registry *reg,
			  struct kx_error *err);
void mk_registry_close(struct mk_registry *reg);

/* The record file's name for in: "cpuN" once it has a CPU, else MK_INSTANCE_LOADED. */
void mk_instance_file_name(const struct mk_instance *in, char *out, size_t size);
/* Write (replace) in's record, atomically, under mk_instance_file_name. */
int mk_registry_put(struct mk_registry *reg, const struct mk_instance *in,
		    struct kx_error *err);
/* Remove a record by file name; 0 also if it did not exist. */
int mk_registry_remove(struct mk_registry *reg, const char *file, struct kx_error *err);

/* The record in file ("cpu1", "loaded"), or NULL. */
struct mk_instance *mk_registry_find(struct mk_registry *reg, const char *file);
/* Is cpu one of the instance's CPUs (started, or the ones its image was loaded for)? */
bool mk_instance_has_cpu(const struct mk_instance *in, int cpu);
/* Its CPUs in sysfs list form ("1", "1-2"; "-" for a load that named none). */
void mk_instance_cpu_list(const struct mk_instance *in, char *out, size_t size);
/*
 * How a line to the user names the instance's CPUs: "CPU 1", or "CPUs 1-2"
 * for an instance of several (every one, never its first alone).
 */
#define MK_CPU_WORDS_MAX (CPU_LIST_MAX * 6 + 40)
void mk_instance_cpu_words(const struct mk_instance *in, char *out, size_t size);
/*
 * The CPU the kick started: "CPU 1", or "CPU 1 (the first of CPUs 1-2)",
 * for lines about the kick and purgatory, which run on that CPU alone.
 */
void mk_instance_kicked_words(const struct mk_instance *in, char *out, size_t size);

/* The started instance that holds cpu (any of its CPUs), or NULL. */
const struct mk_instance *mk_registry_cpu_holder(const struct mk_registry *reg, int cpu);
/* The first holding instance with a range overlapping [start, end), and which range. */
const struct mk_instance *mk_registry_overlap(const struct mk_registry *reg, uint64_t start,
					      uint64_t end, const struct mk_named_range **range);
/* Every range of every holding instance. */
void mk_registry_held(const struct mk_registry *reg, struct mem_ranges *out);

/* A damaged record hides what runs where: KX_EINSTANCE until the admin looks. */
int mk_registry_require_sound(const struct mk_registry *reg, struct kx_error *err);

/* "CPU 1 (running since 2026-12-01 00:12:03 UTC, /boot/bzImage)" for messages. */
void mk_instance_describe(const struct mk_instance *in, char *out, size_t size);

#endif /* KEXEC_MK_INSTANCE_H */
