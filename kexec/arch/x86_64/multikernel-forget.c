// SPDX-License-Identifier: GPL-2.0-only
/*
 * The end of a spawned kernel's life, as kexec sees it:
 *   kexec -u --multikernel     an image loaded and never started is let go
 *                              (running instances are not touched);
 *   kexec --multikernel --forget=CPU
 *                              the record of a kernel the admin knows is
 *                              dead is dropped, so its CPU and memory are
 *                              free for the next load.
 * Nothing here can stop a running kernel: the RFC has no such call.
 */
#include <stdio.h>
#include <string.h>

#include "multikernel-forget.h"

int mk_unload(const struct kexec_options *o, const struct mk_abi *abi, struct mk_registry *reg,
	      struct kx_error *err)
{
	if (o->dry_run) {
		printf("would unload all multikernel images (running instances are not touched)\n");
		return 0;
	}
	if (abi->unload(err))
		return -1;
	return mk_registry_remove(reg, MK_INSTANCE_LOADED, err);
}

int mk_forget(const struct kexec_options *o, struct mk_registry *reg, struct kx_error *err)
{
	char file[32], what[PATH_MAX + 96] = "its damaged record", cpus[CPU_LIST_MAX * 6];
	struct mk_instance *in;
	bool damaged = false;

	/* Any CPU of an instance of several names it: its record is its first CPU's. */
	snprintf(file, sizeof(file), "cpu%d", o->cpu);
	in = mk_registry_find(reg, file);
	for (size_t i = 0; !in && i < reg->nr; i++) {
		if (reg->inst[i].cpu >= 0 && mk_instance_has_cpu(&reg->inst[i], o->cpu)) {
			in = &reg->inst[i];
			snprintf(file, sizeof(file), "%s", in->file);
		}
	}
	for (size_t i = 0; i < reg->nr_damaged; i++)
		damaged |= strcmp(reg->damaged[i].file, file) == 0;
	if (!in && !damaged)
		return kx_fail(err, KX_ENOTLOADED, "no instance is recorded on CPU %d; see 'kexec "
			       "--multikernel --list'", o->cpu);
	if (in)
		mk_instance_describe(in, what, sizeof(what));
	if (o->dry_run) {
		printf("would forget %s\n", what);
		return 0;
	}
	if (mk_registry_remove(reg, file, err))
		return -1;
	if (in)
		mk_instance_cpu_list(in, cpus, sizeof(cpus));
	printf("multikernel: forgot %s; CPU%s %s and its memory are free for the next load\n",
	       what, in && in->nr_cpus > 1 ? "s" : "", in ? cpus : file + 3);
	return 0;
}
