/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host's TSC frequency, for the spawned kernel's tsc_early_khz=.
 *
 * The spawned kernel has no PIT or HPET of its own to calibrate against
 * and trusts the number it is given for its whole life, so only a value
 * that means "the TSC's rate" will do (never /proc/cpuinfo's "cpu MHz",
 * which is the core's current clock under frequency scaling).  In order
 * of trust:
 *   1. the host kernel's own determination, from its log: the refined
 *      calibration, else the early one ("Detected ... MHz TSC", or
 *      "... MHz processor" when no separate TSC line followed);
 *   2. CPUID 0x15 (crystal clock x ratio), else CPUID 0x16 (base MHz),
 *      on Intel CPUs that report them;
 *   3. a short measurement against CLOCK_MONOTONIC_RAW, only with an
 *      invariant TSC (CPUID 0x80000007 EDX bit 8).
 * A recorded machine (--sysroot) offers only its recorded kernel log:
 * CPUID and a measurement would describe this machine, not that one.
 */
#ifndef KEXEC_TSC_FREQ_H
#define KEXEC_TSC_FREQ_H

#include <stdbool.h>
#include <stdint.h>

#include "status.h"

/* What the host offers; host_tsc_sources_read (host-facts.c) fills it for a multikernel load. */
struct tsc_sources {
	/* The kernel log (/dev/kmsg), scanned line by line with tsc_log_scan_line. */
	bool log_read;
	uint32_t log_refined_khz;	/* "tsc: Refined TSC clocksource calibration: X MHz" */
	uint32_t log_tsc_khz;		/* "tsc: Detected X MHz TSC" */
	uint32_t log_processor_khz;	/* "tsc: Detected X MHz processor" */
	bool log_unstable;		/* "tsc: Marking TSC unstable ..." */

	/* CPUID of the running CPU: only without --sysroot. */
	bool have_cpuid;
	bool cpuid_intel;
	uint32_t cpuid_max_leaf;
	uint32_t leaf15_eax, leaf15_ebx, leaf15_ecx;	/* ratio denominator, numerator, crystal Hz */
	uint32_t leaf16_eax;				/* base frequency, MHz */
	bool invariant_tsc;				/* 0x80000007 EDX bit 8 */
};

enum tsc_source {
	TSC_SRC_NONE,
	TSC_SRC_APPEND,		/* the user's tsc_early_khz= */
	TSC_SRC_LOG_REFINED,
	TSC_SRC_LOG_EARLY,
	TSC_SRC_CPUID_15,
	TSC_SRC_CPUID_16,
	TSC_SRC_MEASURED,
};

struct tsc_freq {
	uint32_t khz;		/* 0 with TSC_SRC_NONE and TSC_SRC_APPEND */
	enum tsc_source source;
};

/* Fold one kernel log line (the text after the record header) into src. */
void tsc_log_scan_line(struct tsc_sources *src, const char *text);

/* The TSC frequency CPUID 0x15 (or 0x16) states, 0 when it states none. */
uint32_t tsc_cpuid_khz(const struct tsc_sources *src, enum tsc_source *which);

/* kHz from two (TSC, CLOCK_MONOTONIC_RAW ns) samples; 0 when they make no sense. */
uint32_t tsc_khz_from_samples(uint64_t tsc0, uint64_t ns0, uint64_t tsc1, uint64_t ns1);

/*
 * Choose the most trusted value among src (pure).  measured_khz is a
 * measurement already taken (0: none).  Returns TSC_SRC_NONE when nothing
 * is trustworthy.
 */
struct tsc_freq tsc_freq_choose(const struct tsc_sources *src, uint32_t measured_khz);

/* Whether a measurement may be taken: this machine, with an invariant TSC. */
bool tsc_measurement_allowed(const struct tsc_sources *src);

/* "the kernel log (refined calibration)" and so on, for -d and --dry-run. */
const char *tsc_source_name(enum tsc_source s);

/*
 * The refusal when nothing is trustworthy: KX_ETSC and one line saying
 * what was looked at and how to pass a value.
 */
int tsc_freq_refuse(const struct tsc_sources *src, bool recorded_machine, struct kx_error *err);

#endif /* KEXEC_TSC_FREQ_H */
