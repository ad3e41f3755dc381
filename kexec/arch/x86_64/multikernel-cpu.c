// SPDX-License-Identifier: GPL-2.0-only
/* The CPU a spawned kernel takes (multikernel-cpu.h). */
#include <limits.h>
#include <stdio.h>

#include "multikernel-cpu.h"

int mk_check_cpu(const struct kexec_options *o, struct host_facts *hf, struct kx_error *err)
{
	int cpu = o->cpu;

	if (!hf->have_cpu_lists)
		return kx_fail(err, KX_EHOST, "cannot read %s/sys/devices/system/cpu/{present,online}",
			       hf->sysroot);
	if (!cpu_set_has(&hf->present, (unsigned int)cpu))
		return kx_fail(err, KX_ECPU, "CPU %d is not present on this machine; see "
			       "/sys/devices/system/cpu/present", cpu);
	if (cpu == 0)
		return kx_fail(err, KX_ECPU, "CPU 0 cannot take a multikernel: x86 cannot offline "
			       "it; choose another CPU");
	if (!cpu_set_has(&hf->online, (unsigned int)cpu))
		return 0;
	if (!o->offline_cpu)
		return kx_fail(err, KX_ECPU, "CPU %d is online; offline it (echo 0 > "
			       "/sys/devices/system/cpu/cpu%d/online) or pass --offline-cpu",
			       cpu, cpu);
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

int mk_check_cpu_free(const struct mk_registry *reg, int cpu, struct kx_error *err)
{
	const struct mk_instance *in = mk_registry_cpu_holder(reg, cpu);
	char what[PATH_MAX + 96];

	if (!in)
		return 0;
	mk_instance_describe(in, what, sizeof(what));
	return kx_fail(err, KX_EINSTANCE, "CPU %d is taken by %s; choose another CPU, or if "
		       "that kernel is dead, drop its record with 'kexec --multikernel --forget=%d'",
		       cpu, what, cpu);
}
