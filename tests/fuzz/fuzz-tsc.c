// SPDX-License-Identifier: GPL-2.0-only
/*
 * The TSC frequency sources (issue 12's tsc-freq.c): kernel log lines (the
 * input after a 44-byte header of CPUID values and two samples) folded in
 * one by one, then the choice.  The chosen value is 0 exactly when no
 * source is chosen and is the very value of the source named; a refusal
 * has a reason; the sample arithmetic never overflows (UBSan).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "fuzz-input.h"
#include "tsc-freq.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { .data = data, .size = size };
	struct tsc_sources src = { 0 };
	uint8_t flags = (uint8_t)fuzz_bytes(&in, 1);
	uint32_t measured;
	uint64_t tsc0, ns0, tsc1, ns1;
	enum tsc_source which = TSC_SRC_NONE;
	struct tsc_freq f;
	struct kx_error err = { .status = KX_OK };
	char *text, *line;
	uint32_t khz;

	src.have_cpuid = flags & 1;
	src.cpuid_intel = flags & 2;
	src.invariant_tsc = flags & 4;
	src.cpuid_max_leaf = (uint32_t)fuzz_bytes(&in, 1);
	src.leaf15_eax = (uint32_t)fuzz_bytes(&in, 4);
	src.leaf15_ebx = (uint32_t)fuzz_bytes(&in, 4);
	src.leaf15_ecx = (uint32_t)fuzz_bytes(&in, 4);
	src.leaf16_eax = (uint32_t)fuzz_bytes(&in, 2);
	measured = (uint32_t)fuzz_bytes(&in, 4);
	tsc0 = fuzz_bytes(&in, 8);
	ns0 = fuzz_bytes(&in, 4);
	tsc1 = fuzz_bytes(&in, 8);
	ns1 = fuzz_bytes(&in, 4);
	tsc_khz_from_samples(tsc0, ns0, tsc1, ns1);

	text = malloc(size - in.pos + 1);
	if (!text)
		abort();
	memcpy(text, data + in.pos, size - in.pos);
	text[size - in.pos] = '\0';
	for (line = text; line; ) {
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = '\0';
		tsc_log_scan_line(&src, line);
		src.log_read = true;
		line = nl ? nl + 1 : NULL;
	}
	free(text);

	khz = tsc_cpuid_khz(&src, &which);
	FUZZ_ASSERT(!khz || which == TSC_SRC_CPUID_15 || which == TSC_SRC_CPUID_16,
		    "CPUID gave %u kHz without naming its leaf", khz);
	f = tsc_freq_choose(&src, measured);
	FUZZ_ASSERT((f.khz == 0) == (f.source == TSC_SRC_NONE), "%u kHz from source %d", f.khz,
		    f.source);
	FUZZ_ASSERT(f.source != TSC_SRC_LOG_REFINED || f.khz == src.log_refined_khz,
		    "refined calibration misreported");
	FUZZ_ASSERT(f.source != TSC_SRC_LOG_EARLY || f.khz == src.log_tsc_khz ||
		    f.khz == src.log_processor_khz, "boot-time calibration misreported");
	FUZZ_ASSERT(f.source != TSC_SRC_MEASURED || (f.khz == measured && src.invariant_tsc),
		    "a measurement chosen without an invariant TSC");
	FUZZ_ASSERT(f.source == TSC_SRC_NONE || tsc_source_name(f.source) != NULL, "no name");
	if (f.source == TSC_SRC_NONE) {
		tsc_freq_refuse(&src, flags & 8, &err);
		fuzz_check_failure(&err);
	}
	return 0;
}
