// SPDX-License-Identifier: GPL-2.0-only
/*
 * The multikernel plan (multikernel-plan.h): decided from its load and
 * start parts, printed, stopped for --dry-run, carried out
 * (multikernel-spawn.h).
 */
#include <stdlib.h>
#include <string.h>

#include "multikernel-exec.h"
#include "multikernel-load.h"
#include "multikernel-plan-print.h"
#include "multikernel-spawn.h"
#include "multikernel-start.h"

int mk_plan_build(const struct kexec_options *o, const struct host_facts *hf,
		  const struct mk_registry *reg, struct mk_plan *p, struct kx_error *err)
{
	uint32_t id;

	memset(p, 0, sizeof(*p));
	p->load = o->action != ACT_EXEC;
	p->start = o->action != ACT_LOAD;
	p->cpu = o->cpu;
	/* The rules passed only if --offline-cpu asked for an online CPU to be taken. */
	p->offline_cpu = o->cpu >= 0 && cpu_set_has(&hf->online, (unsigned int)o->cpu);
	p->apic_id = -1;
	/* cpuinfo lists online CPUs only: read the id before the executor offlines it. */
	if (o->cpu >= 0 && host_cpu_apic_id(hf, (unsigned int)o->cpu, &id) == 0)
		p->apic_id = id;
	if (p->load && mk_plan_load(o, hf, reg, p, err))
		return -1;
	if (p->start && mk_plan_start(o, hf, reg, p, err))
		return -1;
	return 0;
}

void mk_plan_free(struct mk_plan *p)
{
	mk_load_plan_free(&p->l);
}

int mk_plan_run(const struct kexec_options *o, struct host_facts *hf, struct mk_registry *reg,
		struct kx_error *err)
{
	struct mk_plan *p = malloc(sizeof(*p));
	int ret;

	if (!p)
		return kx_fail(err, KX_EHOST, "out of memory");
	ret = mk_plan_build(o, hf, reg, p, err);
	if (o->dry_run || o->debug)
		mk_plan_print(stdout, p, o->dry_run);
	/* --dry-run ends here: the executor below has no dry-run branch. */
	if (ret == 0 && !o->dry_run)
		ret = mk_plan_execute(p, o, hf, reg, err);
	mk_plan_free(p);
	free(p);
	return ret;
}
