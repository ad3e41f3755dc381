/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Proof of life: purgatory's status record (purgatory-params.h), read back
 * through /dev/mem while the loader waits, bounded, after the kick.
 */
#ifndef KEXEC_X86_MULTIKERNEL_STATUS_H
#define KEXEC_X86_MULTIKERNEL_STATUS_H

#include <stddef.h>
#include <stdint.h>

#include "mk-instance.h"
#include "purgatory-params.h"
#include "status.h"

/*
 * However steady the progress, the wait ends this long after the kick (or
 * after --start-wait, if that is longer).  A purgatory that still counts
 * after five minutes is hashing over 1 GiB on an emulator, or its record
 * is being rewritten by something that is not purgatory.
 */
#define MK_START_WAIT_CAP_MS 300000u

/*
 * Poll the record at physical addr until purgatory reports JUMPED or
 * MISMATCH, or stall_ms pass without a sign of life, or cap_ms pass since
 * t0 (CLOCK_MONOTONIC seconds), whichever comes first.  A sign of life is
 * the record's first appearance or a change of its stage or bytes_done;
 * the silence counts from t0 until the first one.  0 with the last record
 * seen in *out (stage NONE if never written) and the seconds since t0 in
 * *elapsed; -1 if /dev/mem cannot be read.
 */
int mk_status_wait(const char *dev_mem, uint64_t addr, double t0, unsigned int stall_ms,
		   unsigned int cap_ms, struct purgatory_status *out, double *elapsed,
		   struct kx_error *err);

/* CLOCK_MONOTONIC in seconds. */
double mk_status_now(void);

/*
 * The error line when the wait ended without JUMPED or MISMATCH (pure):
 * st is the last record seen, elapsed the seconds the wait took, stall_ms
 * and cap_ms its limits as given to mk_status_wait, in the instance kicked
 * (its first CPU named, and all of them when it has several).
 * It names the limit that ended the wait (no sign of life for stall_ms,
 * or no jump within cap_ms while purgatory still made progress) and what
 * purgatory was last seen doing.
 */
void mk_status_silence(const struct purgatory_status *st, double elapsed, unsigned int stall_ms,
		       unsigned int cap_ms, const struct mk_instance *in, char *out, size_t size);

#endif /* KEXEC_X86_MULTIKERNEL_STATUS_H */
