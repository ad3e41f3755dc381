/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kexec -l, -e, -f --multikernel: the plan (multikernel-plan.h) made from
 * its load and start parts, printed for --dry-run and -d, stopped for
 * --dry-run, else carried out.
 */
#ifndef KEXEC_X86_MULTIKERNEL_SPAWN_H
#define KEXEC_X86_MULTIKERNEL_SPAWN_H

#include "host-facts.h"
#include "mk-instance.h"
#include "multikernel-plan.h"
#include "options.h"
#include "status.h"

/*
 * Build the plan for o (a load, a start, or both) and check it against
 * the rules.  Reads host facts (the kernel log for the TSC, the serial
 * ports), never changes anything.  On a refusal returns -1 with err set;
 * what was planned before it is still in *p for the printout (free it
 * either way).
 */
int mk_plan_build(const struct kexec_options *o, const struct host_facts *hf,
		  const struct mk_registry *reg, struct mk_plan *p, struct kx_error *err);

void mk_plan_free(struct mk_plan *p);

/* Plan, print for --dry-run and -d, stop for --dry-run, else execute. */
int mk_plan_run(const struct kexec_options *o, struct host_facts *hf, struct mk_registry *reg,
		struct kx_error *err);

#endif /* KEXEC_X86_MULTIKERNEL_SPAWN_H */
