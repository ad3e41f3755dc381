// SPDX-License-Identifier: GPL-2.0-only
/* Taking the CPU a spawned kernel runs on (multikernel-cpu.h). */
#include <stdio.h>

#include "multikernel-cpu.h"

int mk_cpu_take_offline(const struct kexec_options *o, struct host_facts *hf,
			struct kx_error *err)
{
	int cpu = o->cpu;

	if (!cpu_set_has(&hf->online, (unsigned int)cpu))
		return 0;
	if (o->dry_run) {
		printf("would offline CPU %d\n", cpu);
		/* Later steps of this run see the CPU offline, as they would for real. */
		hf->online.bits[cpu / 64] &= ~(1ull << (cpu % 64));
		return 0;
	}
	if (host_cpu_set_online(hf, (unsigned int)cpu, false, err) ||
	    host_facts_reread_cpus(hf, err))
		return -1;
	if (cpu_set_has(&hf->online, (unsigned int)cpu))
		return kx_fail(err, KX_ECPU, "CPU %d is still online after offlining it", cpu);
	return 0;
}
