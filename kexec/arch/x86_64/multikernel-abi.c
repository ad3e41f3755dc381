// SPDX-License-Identifier: GPL-2.0-only
/* Choosing the multikernel kernel interface once (multikernel-abi.h). */
#include <stddef.h>

#include "multikernel-abi.h"

/* In the order they are preferred: a later ABI goes before RFC v1. */
static const struct mk_abi *const mk_abis[] = {
	&mk_abi_rfc_v1,
};

const struct mk_abi *mk_abi_choose(const struct host_facts *hf, struct kx_error *err)
{
	for (size_t i = 0; i < sizeof(mk_abis) / sizeof(mk_abis[0]); i++)
		if (mk_abis[i]->speaks(hf))
			return mk_abis[i];
	/*
	 * The multikernel tree moved on after RFC v1 (tag v7.0-mk2: instances
	 * in /sys/fs/multikernel, kexec_file_load with an instance id in its
	 * flags).  Such a kernel accepts a v1 kexec_load with 0x10 but can
	 * never start it, so nothing is sent to it, whatever the action.
	 */
	if (hf->have_sys_fs_multikernel)
		kx_fail(err, KX_EABI, "the running kernel speaks the later multikernel ABI "
			"(/sys/fs/multikernel: instances loaded with kexec_file_load, as in "
			"v7.0-mk2); this kexec drives only RFC v1 (kexec_load with "
			"KEXEC_MULTIKERNEL, reboot(MULTIKERNEL)) and sends this kernel nothing");
	else
		kx_fail(err, KX_EABI, "the running kernel speaks no multikernel interface this "
			"kexec drives");
	return NULL;
}
