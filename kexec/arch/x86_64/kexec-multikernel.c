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
 * This file is the front door: the preflight every action shares and the
 * dispatch to the stage's file (kexec-multikernel.h lists them, and the
 * files below the stages).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "kexec-multikernel.h"
#include "kexec-syscall.h"
#include "mk-images.h"
#include "mk-instance.h"
#include "multikernel-dmesg.h"
#include "multikernel-forget.h"
#include "multikernel-list.h"
#include "multikernel-load.h"
#include "multikernel-plan.h"
#include "multikernel-start.h"

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

/* Does the action change the records (and so need them locked for writing)? */
static bool writes_records(const struct kexec_options *o)
{
	return !o->dry_run && o->action != ACT_LIST && o->action != ACT_STATUS &&
	       o->action != ACT_DMESG;
}

int multikernel_dispatch(const struct kexec_options *o, struct host_facts *hf,
			 struct kx_error *err)
{
	struct mk_instance *loaded = NULL;
	struct mk_registry reg;
	bool lists = o->action == ACT_LIST || o->action == ACT_STATUS || o->action == ACT_DMESG;
	int ret;

	/* Planning reads only the host's maps: no root, no records, any kernel. */
	if (o->action == ACT_PLAN_RESERVATION)
		return mk_plan_reservation(o, hf, err);
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
	/* A load's record, which -f then starts. */
	if ((o->action == ACT_LOAD || o->action == ACT_FORCE || o->action == ACT_LOAD_SHUTDOWN) &&
	    !(loaded = malloc(sizeof(*loaded)))) {
		ret = kx_fail(err, KX_EHOST, "out of memory");
		goto out;
	}
	switch (o->action) {
	case ACT_LOAD:
		ret = mk_load(o, hf, &reg, loaded, err);
		break;
	case ACT_FORCE:
	case ACT_LOAD_SHUTDOWN:
		ret = mk_load(o, hf, &reg, loaded, err);
		if (ret == 0 && (ret = mk_start(o, hf, &reg, loaded, err)) && !o->dry_run &&
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
		ret = mk_start(o, hf, &reg, NULL, err);
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
	free(loaded);
	mk_registry_close(&reg);
	return ret;
}
