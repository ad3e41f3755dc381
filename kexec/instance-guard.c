// SPDX-License-Identifier: GPL-2.0-only
/*
 * The refusal of instance-guard.h.  Measured in QEMU: after an ordinary
 * 'kexec -e' the spawned kernel's last tick came 0.02-0.5 s before the
 * next host kernel's "Booting SMP configuration".
 */
#include <stdio.h>

#include "instance-guard.h"
#include "mk-instance.h"

int instance_guard_reboot(const struct host_facts *hf, struct kx_error *err)
{
	struct mk_registry reg;
	char what[PATH_MAX + 96];
	int ret = 0;

	/* Read-only: a shared lock, and no directory means no instances. */
	if (mk_registry_open(hf->sysroot, hf->boot_id, false, &reg, err))
		return -1;
	for (size_t i = 0; i < reg.nr && ret == 0; i++) {
		const struct mk_instance *in = &reg.inst[i];

		if (in->cpu < 0 || !mk_instance_holds(in))
			continue;
		mk_instance_describe(in, what, sizeof(what));
		ret = kx_fail(err, KX_EINSTANCE, "%s holds that CPU; an ordinary kexec reboot starts "
			      "every CPU and would end it; if it may end, drop its record with "
			      "'kexec --multikernel --forget=%d', then retry", what, in->cpu);
	}
	if (ret == 0)
		ret = mk_registry_require_sound(&reg, err);
	mk_registry_close(&reg);
	return ret;
}
