/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kexec -l --multikernel (and the load of -f): the load's part of the
 * plan (multikernel-plan.h): the rules, the free part of the reservation,
 * the TSC rate and the words, the segment table, the "loaded" record.
 */
#ifndef KEXEC_MULTIKERNEL_LOAD_H
#define KEXEC_MULTIKERNEL_LOAD_H

#include "host-facts.h"
#include "mk-instance.h"
#include "multikernel-plan.h"
#include "options.h"
#include "status.h"

/*
 * Fill p->l for o (p->cpu and p->apic_id already set).  Returns -1 with
 * err set on a refusal; what was planned before it stays in p->l for the
 * printout (free it with mk_load_plan_free either way).
 */
int mk_plan_load(const struct kexec_options *o, const struct host_facts *hf,
		 const struct mk_registry *reg, struct mk_plan *p, struct kx_error *err);

void mk_load_plan_free(struct mk_load_plan *l);

#endif /* KEXEC_MULTIKERNEL_LOAD_H */
