// SPDX-License-Identifier: GPL-2.0-only
/*
 * kexec --multikernel: boot a second kernel on an offline CPU while this
 * one keeps running (multikernel RFC v1, see doc/multikernel-abi.md).
 *
 *   preflight (root, kernel support, nothing loaded, the CPU free)
 *   -> a free part of the reservation (multikernel-memory.c, around the
 *      running instances of mk-instance.c) -> plan -> check
 *   -> kexec_load(KEXEC_MULTIKERNEL), recorded as "loaded"
 *      (multikernel-load.c)
 *   -> reboot(MULTIKERNEL, {cpu}), recorded as "starting" on that CPU
 *   -> unload the image from the kernel's list, wait for purgatory's
 *      status record (multikernel-status.c): running, failed or silent
 *      (multikernel-start.c).
 *
 * The kernel checks none of the destinations and copies at load time, so
 * a wrong address overwrites the running host or a running instance: the
 * plan check refuses any byte outside the instance's free part of the
 * reservation before the kernel sees it.  The instance records are held
 * under their lock from the first check to the last word, so two kexec
 * processes cannot pick the same CPU or memory.  If the start fails after
 * a successful load, the image is unloaded again.
 *
 * This file is the front door: the preflight every action shares, the
 * checks more than one stage makes, and the dispatch to the stage's file
 * (kexec-multikernel.h lists them).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kexec-actions.h"
#include "kexec-multikernel.h"
#include "kexec-syscall.h"

#define MK_DEFAULT_SERIAL 0x2f8		/* ttyS1: ttyS0 is usually the host's console */

/* "%-10s  0x%012lx  %8lu" (doc/multikernel-abi.md 3.4). */
size_t mk_images(const struct host_facts *hf, struct mk_image *out, size_t max)
{
	const char *p = hf->proc_multikernel;
	size_t n = 0;

	while (p && *p && n < max) {
		struct mk_image im;

		if (sscanf(p, "%15s 0x%" SCNx64 " %lu", im.type, &im.entry, &im.segments) == 3)
			out[n++] = im;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return n;
}

bool mk_loaded(const struct host_facts *hf, struct mk_image *first)
{
	struct mk_image im[16];
	size_t n = mk_images(hf, im, 16);

	for (size_t i = 0; i < n; i++) {
		if (strcmp(im[i].type, "multikernel") == 0) {
			if (first)
				*first = im[i];
			return true;
		}
	}
	return false;
}

bool multikernel_loaded(const struct host_facts *hf)
{
	return mk_loaded(hf, NULL);
}

/*
 * The multikernel tree moved on after RFC v1 (tag v7.0-mk2: instances in
 * /sys/fs/multikernel, kexec_file_load with an instance id in its flags).
 * Such a kernel accepts a v1 kexec_load with 0x10 but can never start it,
 * so nothing is sent to it, whatever the action.
 */
static int check_abi(const struct host_facts *hf, struct kx_error *err)
{
	if (hf->have_sys_fs_multikernel)
		return kx_fail(err, KX_EABI, "the running kernel speaks the later multikernel ABI "
			       "(/sys/fs/multikernel: instances loaded with kexec_file_load, as in "
			       "v7.0-mk2); this kexec drives only RFC v1 (kexec_load with "
			       "KEXEC_MULTIKERNEL, reboot(MULTIKERNEL)) and sends this kernel nothing");
	return 0;
}

/*
 * Support is what the kernel does, not what it lists: /proc/multikernel is
 * an optional patch of the series.  Without it the load is the probe (a
 * kernel without the RFC or without CONFIG_KEXEC_JUMP answers EINVAL:
 * status 12, kexec-errors.c).
 */
static int check_support(const struct kexec_options *o, struct kx_error *err)
{
	if (!o->dry_run && geteuid() != 0)
		return kx_fail(err, KX_EPERM, "--multikernel must be run as root (kexec_load and "
			       "reboot need CAP_SYS_BOOT)");
	return 0;
}

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

uint16_t mk_serial(const struct kexec_options *o)
{
	return o->serial_port ? o->serial_port : MK_DEFAULT_SERIAL;
}

struct mk_cmdline_in mk_cmdline_facts(const struct kexec_options *o,
				      const struct host_facts *hf, uint32_t tsc_khz)
{
	return (struct mk_cmdline_in){
		.serial_port = mk_serial(o),
		.tsc_khz = tsc_khz,
		.shared_mem_addr = hf->iomem.mk_shared.nr ? hf->iomem.mk_shared.r[0].start : 0,
		.dropped = o->no_default_param,
		.nr_dropped = o->nr_no_default_param,
	};
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

/* Does the action change the records (and so need them locked for writing)? */
static bool writes_records(const struct kexec_options *o)
{
	return !o->dry_run && o->action != ACT_LIST && o->action != ACT_STATUS &&
	       o->action != ACT_DMESG;
}

int multikernel_dispatch(const struct kexec_options *o, struct host_facts *hf,
			 struct kx_error *err)
{
	struct mk_registry reg;
	bool lists = o->action == ACT_LIST || o->action == ACT_STATUS || o->action == ACT_DMESG;
	int ret;

	if (check_abi(hf, err) || (!lists && check_support(o, err)))
		return -1;
	if (mk_registry_open(hf->sysroot, hf->boot_id, writes_records(o), &reg, err))
		return -1;
	/* A "loaded" record whose image the kernel no longer lists is history. */
	if (hf->have_proc_multikernel && mk_registry_find(&reg, MK_INSTANCE_LOADED) &&
	    !mk_loaded(hf, NULL)) {
		if (reg.writable)
			ret = mk_registry_remove(&reg, MK_INSTANCE_LOADED, err);
		else
			ret = 0, *mk_registry_find(&reg, MK_INSTANCE_LOADED) = reg.inst[--reg.nr];
		if (ret)
			goto out;
	}
	if (!lists && o->action != ACT_FORGET && o->action != ACT_UNLOAD &&
	    (ret = mk_registry_require_sound(&reg, err)))
		goto out;
	switch (o->action) {
	case ACT_LOAD:
		ret = mk_load(o, hf, &reg, err);
		break;
	case ACT_FORCE:
	case ACT_LOAD_SHUTDOWN:
		ret = mk_load(o, hf, &reg, err);
		if (ret == 0 && (ret = mk_start(o, hf, &reg, err)) && !o->dry_run &&
		    mk_registry_find(&reg, MK_INSTANCE_LOADED)) {
			struct kx_error undo;

			/*
			 * Refused before the kick: nothing half done, and on the
			 * seed's ABI no multikernel image left in kexec_image.
			 */
			kx_sys_kexec_unload(KEXEC_MULTIKERNEL, KX_CALL_UNLOAD_MULTIKERNEL, &undo);
			mk_registry_remove(&reg, MK_INSTANCE_LOADED, &undo);
		}
		break;
	case ACT_EXEC:
		ret = mk_start(o, hf, &reg, err);
		break;
	case ACT_UNLOAD:
		ret = mk_unload(o, &reg, err);
		break;
	case ACT_FORGET:
		ret = mk_forget(o, &reg, err);
		break;
	case ACT_DMESG:
		ret = mk_dmesg(o, hf, &reg, err);
		break;
	case ACT_LIST:
	case ACT_STATUS:
		ret = mk_list(o, hf, &reg);
		break;
	default:	/* options.c and kexec.c send nothing else here */
		ret = kx_fail(err, KX_EUSAGE, "internal: no multikernel action for this option");
		break;
	}
out:
	mk_registry_close(&reg);
	return ret;
}
