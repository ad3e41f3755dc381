/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A spawned kernel's printk log, read from its memory: the I/O around
 * the pure decoders (vmcoreinfo.c, kernel-vtop.c, printk-ring.c).
 *
 * The memory read is the instance's own, as its record lists it (main and
 * low ranges) and nothing else: /dev/mem mapped range by range (uncached,
 * as for purgatory's status record), or under --sysroot a recorded image
 * of pages (SYSROOT/dev/mem.pages: records of a u64 address, a u64
 * length and the bytes), so a dry run replays a captured kernel.  With
 * KEXEC_MK_RECORD_MEM=FILE set, every page the decoders read (and the
 * note's) is written to FILE in that format: how the fixtures are made.
 */
#ifndef KEXEC_X86_MULTIKERNEL_LOG_H
#define KEXEC_X86_MULTIKERNEL_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "kernel-vtop.h"
#include "mem-view.h"
#include "mk-instance.h"
#include "options.h"
#include "printk-ring.h"
#include "status.h"
#include "vmcoreinfo.h"

struct mk_log {
	struct mem_view view;
	struct kernel_vtop vtop;
	struct vmcoreinfo vi;
	uint64_t note_addr;
	unsigned int notes;		/* VMCOREINFO notes seen by the scan */
	uint64_t pages_probed;		/* by the last scan */
	double scan_s;			/* the last scan's wall time */
	unsigned int scans;		/* scans made (a boot wait looks until the note appears) */
	bool found;
	char cpus[MK_CPU_WORDS_MAX];	/* "CPU 1", "CPUs 1-2": whose memory, for messages */
	/* backends */
	struct { uint64_t start, end; volatile uint8_t *map; } maps[MEM_VIEW_MAX_RANGES];
	size_t nr_maps;
	uint8_t *image;			/* the recorded pages (--sysroot), whole */
	size_t image_size;
	FILE *record;			/* KEXEC_MK_RECORD_MEM */
	bool recording;
	uint64_t recorded[4096];	/* page addresses already written */
	size_t nr_recorded;
};

/*
 * Open in's memory: map its ranges (or load SYSROOT/dev/mem.pages when
 * sysroot is not "" or "/").  -1 with err when it cannot be read:
 * KX_EPERM for a refusal (lockdown, STRICT_DEVMEM), KX_EHOST otherwise;
 * the message names /dev/mem and the reason.
 */
int mk_log_map(struct mk_log *lg, const char *sysroot, const struct mk_instance *in,
	       struct kx_error *err);

/*
 * Find and check the VMCOREINFO note: the first whose text parses, whose
 * page tables map its image where phys_base says, and whose kernel
 * release in memory (init_uts_ns) matches its OSRELEASE (an earlier
 * kernel's note left in this memory fails that).  -1 with err,
 * KX_ENOLOG: none found (why says the kernel may lack CONFIG_VMCORE_INFO
 * or has not set it up yet), or the format is one this kexec does not know.
 */
int mk_log_find(struct mk_log *lg, struct kx_error *err);

/* Walk the ring (prb_walk) once mk_log_find succeeded; -1 with err (KX_ENOLOG). */
int mk_log_walk(struct mk_log *lg, uint64_t min_seq, prb_record_fn fn, void *ctx,
		struct prb_stats *st, struct kx_error *err);

void mk_log_close(struct mk_log *lg);

/* "[    2.345678] " the way the kernel's console prefixes a line. */
void mk_log_prefix(uint64_t ts_nsec, char *out, size_t size);

/*
 * rec's facility and level as dmesg prefixes them (pure): "kern  :info  : "
 * for DMESG_DECODE (dmesg -x: the facility's and the level's syslog names,
 * each padded to six; a facility without a name as its number), "<6>" for
 * DMESG_RAW (dmesg -r: facility * 8 + level), "" for DMESG_PLAIN.  A
 * record whose level the layout does not place gets "?" for both.
 */
void mk_log_level_prefix(const struct printk_record *rec, enum kx_dmesg_style style,
			 char *out, size_t size);

/*
 * Print one record like the kernel's console: every line of its text with
 * the level prefix (style) and the timestamp prefix; bytes other than
 * printable ASCII and tab are shown as \xNN (the text comes from another
 * kernel, and the terminal is the admin's: no escape sequence of its
 * reaches it).
 */
void mk_log_print(FILE *out, const struct printk_record *rec, enum kx_dmesg_style style);

#endif /* KEXEC_X86_MULTIKERNEL_LOG_H */
