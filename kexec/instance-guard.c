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

		/*
		 * The seed's ABI keeps a multikernel image in kexec_image, where
		 * kernel_kexec() crashes in machine_kexec() (no control page):
		 * our record of a load, no listing and kexec_loaded at 1 mean
		 * that slot holds it (kexec died between its load and start).
		 */
		if (in->state == MK_LOADED && !hf->have_proc_multikernel && hf->kexec_loaded == 1) {
			ret = kx_fail(err, KX_ESTATE, "the loaded kernel is a multikernel image in the "
				      "ordinary kexec slot (no /proc/multikernel, kexec_loaded reads 1, "
				      "and %s records it): booting it would crash this kernel and a "
				      "load would replace it; run 'kexec -u --multikernel' first",
				      reg.dir);
			break;
		}
		if (in->cpu < 0 || !mk_instance_holds(in))
			continue;
		mk_instance_describe(in, what, sizeof(what));
		ret = kx_fail(err, KX_EINSTANCE, "%s holds %s; an ordinary kexec reboot starts "
			      "every CPU and would end it; if it may end, drop its record with "
			      "'kexec --multikernel --forget=%d', then retry", what,
			      in->nr_cpus > 1 ? "those CPUs" : "that CPU", in->cpu);
	}
	if (ret == 0)
		ret = mk_registry_require_sound(&reg, err);
	mk_registry_close(&reg);
	return ret;
}
