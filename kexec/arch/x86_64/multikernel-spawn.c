// SPDX-License-Identifier: GPL-2.0-only
/*
 * kexec -l, -e, -f --multikernel (multikernel-spawn.h): the plan
 * (multikernel-plan.h) made through the kernel interface the front door
 * chose (multikernel-abi.h), printed, stopped for --dry-run, carried out.
 */
#include <stdio.h>
#include <stdlib.h>

#include "multikernel-spawn.h"

int mk_plan_run(const struct mk_abi *abi, const struct kexec_options *o,
		struct host_facts *hf, struct mk_registry *reg, struct kx_error *err)
{
	struct mk_plan *p = malloc(sizeof(*p));
	int ret;

	if (!p)
		return kx_fail(err, KX_EHOST, "out of memory");
	ret = abi->plan(o, hf, reg, p, err);
	if (o->debug)
		printf("multikernel interface: %s\n", abi->name);
	if (o->dry_run || o->debug)
		abi->print(stdout, p, o->dry_run);
	/* --dry-run ends here: the executor below has no dry-run branch. */
	if (ret == 0 && !o->dry_run)
		ret = abi->execute(p, o, hf, reg, err);
	abi->plan_free(p);
	free(p);
	return ret;
}
