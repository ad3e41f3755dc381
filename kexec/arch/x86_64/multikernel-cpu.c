// SPDX-License-Identifier: GPL-2.0-only
/* Taking the CPU a spawned kernel runs on (multikernel-cpu.h). */
#include "multikernel-cpu.h"

int mk_cpu_take_offline(struct host_facts *hf, int cpu, struct kx_error *err)
{
	if (!cpu_set_has(&hf->online, (unsigned int)cpu))
		return 0;
	if (host_cpu_set_online(hf, (unsigned int)cpu, false, err) ||
	    host_facts_reread_cpus(hf, err))
		return -1;
	if (cpu_set_has(&hf->online, (unsigned int)cpu))
		return kx_fail(err, KX_ECPU, "CPU %d is still online after offlining it", cpu);
	return 0;
}
