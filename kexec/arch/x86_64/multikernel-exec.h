/* SPDX-License-Identifier: GPL-2.0-only */
/* The multikernel plan (multikernel-plan.h) carried out: the only part that acts. */
#ifndef KEXEC_X86_MULTIKERNEL_EXEC_H
#define KEXEC_X86_MULTIKERNEL_EXEC_H

#include "host-facts.h"
#include "mk-instance.h"
#include "multikernel-plan.h"
#include "options.h"
#include "status.h"

/*
 * Carry p out: offline the CPU, load, record, kick, wait, re-arm.  A
 * failure before the kick takes back what this command did (the load and
 * its record, the claim); after the kick the CPU stays recorded as taken.
 * o: for -d's notes while the new kernel's log is followed.
 */
int mk_plan_execute(const struct mk_plan *p, const struct kexec_options *o,
		    struct host_facts *hf, struct mk_registry *reg, struct kx_error *err);

#endif /* KEXEC_X86_MULTIKERNEL_EXEC_H */
