/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kexec -e --multikernel (and the start of -f): the start's part of the
 * plan (multikernel-plan.h): the rules, the record started, the host ports
 * to re-arm, the waits.
 */
#ifndef KEXEC_MULTIKERNEL_START_H
#define KEXEC_MULTIKERNEL_START_H

#include "host-facts.h"
#include "mk-instance.h"
#include "multikernel-plan.h"
#include "options.h"
#include "status.h"

/*
 * Fill p->s for o (p->cpu and, for -f, p->l already planned).  Returns -1
 * with err set on a refusal.
 */
int mk_plan_start(const struct kexec_options *o, const struct host_facts *hf,
		  const struct mk_registry *reg, struct mk_plan *p, struct kx_error *err);

#endif /* KEXEC_MULTIKERNEL_START_H */
