/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Proof of life: purgatory's status record (purgatory-params.h), read back
 * through /dev/mem while the loader waits, bounded, after the kick.
 */
#ifndef KEXEC_X86_MULTIKERNEL_STATUS_H
#define KEXEC_X86_MULTIKERNEL_STATUS_H

#include <stdint.h>

#include "purgatory-params.h"
#include "status.h"

/*
 * Poll the record at physical addr until purgatory reports JUMPED or
 * MISMATCH or timeout_ms passes (counted from t0, CLOCK_MONOTONIC seconds).
 * 0 with the last record seen in *out (stage NONE if never written) and
 * the seconds since t0 in *elapsed; -1 if /dev/mem cannot be read.
 */
int mk_status_wait(const char *dev_mem, uint64_t addr, double t0, unsigned int timeout_ms,
		   struct purgatory_status *out, double *elapsed, struct kx_error *err);

/* CLOCK_MONOTONIC in seconds. */
double mk_status_now(void);

#endif /* KEXEC_X86_MULTIKERNEL_STATUS_H */
