// SPDX-License-Identifier: GPL-2.0-only
/*
 * Choosing the TSC frequency handed to a spawned kernel (see tsc-freq.h
 * for the order of trust).  Pure: host-facts.c gathers the sources and
 * takes the measurement; this file only reads them.
 */
#include <stdio.h>
#include <string.h>

#include "tsc-freq.h"

/* "2095.999 MHz" -> 2095999; 0 if text does not start with such a number. */
static uint32_t mhz_to_khz(const char *s)
{
	uint64_t khz = 0;
	unsigned int frac_digits = 0;

	if (*s < '0' || *s > '9')
		return 0;
	while (*s >= '0' && *s <= '9' && khz < 100000000)
		khz = khz * 10 + (uint64_t)(*s++ - '0');
	khz *= 1000;
	if (*s == '.') {
		uint64_t scale = 100;

		for (s++; *s >= '0' && *s <= '9'; s++, frac_digits++) {
			khz += (uint64_t)(*s - '0') * scale;
			scale /= 10;
		}
		if (!frac_digits)
			return 0;
	}
	if (strncmp(s, " MHz", 4) != 0 || khz > UINT32_MAX)
		return 0;
	return (uint32_t)khz;
}

/* The number after prefix in text, if text starts with prefix. */
static uint32_t after(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(text, prefix, n) == 0 ? mhz_to_khz(text + n) : 0;
}

/*
 * The kernel's own words (arch/x86/kernel/tsc.c in 6.x): the early
 * calibration prints the processor's rate and, only when the TSC's rate
 * differs, the TSC's; about a second later the refinement against the
 * HPET or ACPI PM timer prints its result.  A later line replaces an
 * earlier one of its kind.
 */
void tsc_log_scan_line(struct tsc_sources *src, const char *text)
{
	uint32_t khz;

	if (strncmp(text, "tsc: ", 5) != 0)
		return;
	text += 5;
	if ((khz = after(text, "Refined TSC clocksource calibration: ")))
		src->log_refined_khz = khz;
	else if (strncmp(text, "Detected ", 9) == 0 && (khz = mhz_to_khz(text + 9))) {
		const char *unit = strstr(text, " MHz ");

		if (unit && strncmp(unit, " MHz TSC", 8) == 0)
			src->log_tsc_khz = khz;
		else if (unit && strncmp(unit, " MHz processor", 14) == 0)
			src->log_processor_khz = khz;
	} else if (strncmp(text, "Marking TSC unstable", 20) == 0) {
		src->log_unstable = true;
	}
}

uint32_t tsc_cpuid_khz(const struct tsc_sources *src, enum tsc_source *which)
{
	/* Only Intel defines leaf 0x15 this way (as the kernel's native_calibrate_tsc). */
	if (!src->have_cpuid || !src->cpuid_intel || src->cpuid_max_leaf < 0x15 ||
	    !src->leaf15_eax || !src->leaf15_ebx)
		return 0;
	if (src->leaf15_ecx) {
		uint64_t khz = (uint64_t)(src->leaf15_ecx / 1000) * src->leaf15_ebx /
			       src->leaf15_eax;

		if (khz && khz <= UINT32_MAX) {
			*which = TSC_SRC_CPUID_15;
			return (uint32_t)khz;
		}
		return 0;
	}
	/*
	 * No crystal rate: the kernel derives the crystal from the base
	 * frequency and the ratio, so the TSC runs at the base frequency.
	 */
	if (src->cpuid_max_leaf >= 0x16 && src->leaf16_eax && src->leaf16_eax < 100000) {
		*which = TSC_SRC_CPUID_16;
		return src->leaf16_eax * 1000;
	}
	return 0;
}

uint32_t tsc_khz_from_samples(uint64_t tsc0, uint64_t ns0, uint64_t tsc1, uint64_t ns1)
{
	unsigned __int128 khz;
	uint64_t dns = ns1 - ns0, dtsc = tsc1 - tsc0;

	/* Under a millisecond, or time or the TSC going backwards: not a measurement. */
	if (ns1 <= ns0 || tsc1 <= tsc0 || dns < 1000000)
		return 0;
	khz = ((unsigned __int128)dtsc * 1000000 + dns / 2) / dns;
	/* Between 1 MHz and 100 GHz, or it measured something else. */
	if (khz < 1000 || khz > 100000000)
		return 0;
	return (uint32_t)khz;
}

bool tsc_measurement_allowed(const struct tsc_sources *src)
{
	return src->have_cpuid && src->invariant_tsc;
}

struct tsc_freq tsc_freq_choose(const struct tsc_sources *src, uint32_t measured_khz)
{
	struct tsc_freq f = { 0, TSC_SRC_NONE };
	enum tsc_source which = TSC_SRC_NONE;
	uint32_t khz;

	if (src->log_refined_khz) {
		f.khz = src->log_refined_khz;
		f.source = TSC_SRC_LOG_REFINED;
	} else if (src->log_tsc_khz || src->log_processor_khz) {
		/* Without a "MHz TSC" line the TSC runs at the processor's rate. */
		f.khz = src->log_tsc_khz ? src->log_tsc_khz : src->log_processor_khz;
		f.source = TSC_SRC_LOG_EARLY;
	} else if ((khz = tsc_cpuid_khz(src, &which))) {
		f.khz = khz;
		f.source = which;
	} else if (measured_khz && tsc_measurement_allowed(src)) {
		f.khz = measured_khz;
		f.source = TSC_SRC_MEASURED;
	}
	return f;
}

const char *tsc_source_name(enum tsc_source s)
{
	switch (s) {
	case TSC_SRC_APPEND:
		return "--append (tsc_early_khz=)";
	case TSC_SRC_LOG_REFINED:
		return "the host kernel's refined calibration (kernel log)";
	case TSC_SRC_LOG_EARLY:
		return "the host kernel's boot-time calibration (kernel log)";
	case TSC_SRC_CPUID_15:
		return "CPUID 0x15 (crystal clock x ratio)";
	case TSC_SRC_CPUID_16:
		return "CPUID 0x16 (base frequency)";
	case TSC_SRC_MEASURED:
		return "a measurement against CLOCK_MONOTONIC_RAW (invariant TSC)";
	case TSC_SRC_NONE:
		break;
	}
	return "none";
}

int tsc_freq_refuse(const struct tsc_sources *src, bool recorded_machine, struct kx_error *err)
{
	const char *log = src->log_read ? "the kernel log has no tsc calibration line"
					: "the kernel log (/dev/kmsg) cannot be read";
	const char *rest;

	if (recorded_machine)
		rest = "a recorded machine offers no CPUID or measurement";
	else if (!src->have_cpuid)
		rest = "CPUID is not available";
	else
		rest = src->invariant_tsc ? "CPUID reports no TSC frequency and the measurement failed"
					  : "CPUID reports no TSC frequency and the TSC is not "
					    "invariant";
	return kx_fail(err, KX_ETSC, "no trustworthy TSC frequency for the new kernel (%s; %s); "
		       "pass the host's TSC rate in kHz with --append=tsc_early_khz=KHZ", log, rest);
}
