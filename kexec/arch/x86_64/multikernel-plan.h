/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A multikernel load and start as one value, decided before anything is
 * done: where the kernel goes, what it is told and why, which CPU and
 * whether kexec offlines it, which host ports are re-armed after it
 * starts, and how long kexec waits.  It is built from the host facts, the
 * instance records and the options (multikernel-load.c,
 * multikernel-start.c, put together by multikernel-abi-v1.c); printed once
 * for --dry-run and -d (multikernel-plan-print.c); and carried out once,
 * with its undo steps in one place, by the executor (multikernel-exec.c).
 * --dry-run stops after the printout: nothing the executor does has a
 * dry-run branch.  This header holds the value only.
 */
#ifndef KEXEC_X86_MULTIKERNEL_PLAN_H
#define KEXEC_X86_MULTIKERNEL_PLAN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "host-facts.h"
#include "load-pipeline.h"
#include "mk-instance.h"
#include "multikernel-cmdline.h"
#include "multikernel-memory.h"
#include "multikernel-rules.h"
#include "multikernel-serial.h"
#include "options.h"
#include "plan.h"
#include "status.h"
#include "tsc-freq.h"

/*
 * How far a load's plan got: a refused one prints what was decided before
 * the refusal, as far as it got.
 */
enum mk_load_reached {
	MK_LOAD_NOTHING,
	MK_LOAD_TSC,		/* the TSC rate */
	MK_LOAD_WORDS,		/* the reservation's piece and the command line */
	MK_LOAD_SEGMENTS,	/* the segment table */
	MK_LOAD_CHECKED,	/* every rule held */
};

/* The load's part: kexec -l, and the first half of -f. */
struct mk_load_plan {
	enum mk_load_reached reached;
	/*
	 * Without /proc/multikernel the load is its own probe: whether the
	 * kernel is the seed's (RFC 1/7 + 2/7, /proc/kallsyms names
	 * multikernel_kexec) decides what a set kexec_loaded means.
	 */
	bool unlisted;
	bool seed;
	/* Where: the free part of the reservation and the low memory it takes. */
	struct mk_memory mem;
	struct load_env env;
	/* What it is told, and why: the TSC rate and the default words. */
	struct tsc_freq tsc;
	struct tsc_sources tsc_src;	/* what the host offered (not read for --append's) */
	struct mk_cmdline_in words;
	struct loaded_inputs in;	/* the image, and in.req.cmdline: the whole command line */
	struct kx_plan segs;		/* the segment table kexec_load is given */
	/* The "loaded" record the executor writes after the load. */
	struct mk_instance rec;
	struct mk_rules_passed passed;	/* the load's rules: before and after planning */
	bool have_inputs;		/* in is open: mk_load_plan_free closes it */
};

/* The start's part: kexec -e, and the second half of -f. */
struct mk_start_plan {
	/*
	 * The record it starts: the load's of this command (-f), else the one
	 * found (a copy: the executor changes the registry).  Only a dry run
	 * of an image loaded by another tool has none.
	 */
	bool recorded;
	struct mk_instance rec;
	const char *image;		/* for the printout: the record's image, or the one named */
	bool linux_image;		/* its log can be followed after the jump */
	struct mk_serial_rearm rearm;	/* the host's ports its 8250 driver resets */
	unsigned int start_wait_ms;	/* silence allowed before purgatory's first word */
	unsigned int start_wait_cap_ms;	/* the whole wait, however slow the digest check */
	unsigned int boot_wait_ms;	/* for its init after the jump; 0 not waited for */
	struct mk_rules_passed passed;
	bool planned;			/* every rule held and the rest is decided */
};

struct mk_plan {
	bool load, start;
	int cpu;			/* the kick's CPU; -1: a load that leaves the CPU to its start */
	/*
	 * Every CPU of the instance (--cpu=LIST), increasing: cpus[0] is
	 * cpu, the one the kick starts; the new kernel starts the others
	 * itself from its MADT.  0 CPUs with cpu -1.
	 */
	int cpus[CPU_LIST_MAX];
	size_t nr_cpus;
	bool offline_cpu;		/* one is online now and --offline-cpu: offlined after the rules */
	bool online[CPU_LIST_MAX];	/* which of cpus[] are online now (and offlined if so) */
	int64_t apic_ids[CPU_LIST_MAX];	/* each CPU's local APIC id from /proc/cpuinfo, -1 unknown */
	/*
	 * Several CPUs: the never-started first entry of the new kernel's
	 * MADT (acpi-tables.h says why), an 8-bit id no host CPU listed has;
	 * -1 for one CPU, or when none is left.
	 */
	int phantom_apic_id;
	struct mk_load_plan l;
	struct mk_start_plan s;
};

#endif /* KEXEC_X86_MULTIKERNEL_PLAN_H */
