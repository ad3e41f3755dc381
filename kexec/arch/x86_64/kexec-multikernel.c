// SPDX-License-Identifier: GPL-2.0-only
/*
 * kexec --multikernel: boot a second kernel on an offline CPU while this
 * one keeps running (multikernel RFC v1, see doc/multikernel-abi.md).
 *
 *   preflight (the kernel interface, chosen once from the host facts
 *   (multikernel-abi.h: today RFC v1 alone), root, the records open and
 *   sound)
 *   -> a load or start: one plan (multikernel-plan.h), built through that
 *      interface from the host
 *      facts, the records and the options (multikernel-load.c,
 *      multikernel-start.c), checked by the rules (multikernel-rules.c),
 *      printed for --dry-run and -d (multikernel-plan-print.c), carried
 *      out with its undo steps (multikernel-exec.c); multikernel-spawn.c
 *      runs them through the interface
 *   -> or --list, -S, -u, --forget, --dmesg, --plan-reservation.
 *
 * The kernel checks none of the destinations and copies at load time, so
 * a wrong address overwrites the running host or a running instance: the
 * rules refuse any byte outside the instance's free part of the
 * reservation before the kernel sees it.  The instance records are held
 * under their lock from the first check to the last word, so two kexec
 * processes cannot pick the same CPU or memory.  If the start fails after
 * a successful load, the image is unloaded again.
 *
 * This file is the front door: the preflight every action shares and the
 * dispatch to the stage's file.
 */
#include <stdbool.h>
#include <unistd.h>

#include "kexec-multikernel.h"
#include "mk-images.h"
#include "mk-instance.h"
#include "multikernel-abi.h"
#include "multikernel-dmesg.h"
#include "multikernel-forget.h"
#include "multikernel-list.h"
#include "multikernel-plan-reservation.h"
#include "multikernel-spawn.h"

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
	const struct mk_abi *abi;
	struct mk_registry reg;
	bool lists = o->action == ACT_LIST || o->action == ACT_STATUS || o->action == ACT_DMESG;
	int ret;

	/* Planning reads only the host's maps: no root, no records, any kernel. */
	if (o->action == ACT_PLAN_RESERVATION)
		return mk_plan_reservation(o, hf, err);
	/*
	 * The kernel interface, chosen once: load, start and unload go through
	 * it; a kernel that speaks none is sent nothing, whatever the action.
	 */
	abi = mk_abi_choose(hf, err);
	if (!abi || (!lists && check_support(o, err)))
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
	case ACT_FORCE:
	case ACT_LOAD_SHUTDOWN:
	case ACT_EXEC:
		ret = mk_plan_run(abi, o, hf, &reg, err);
		break;
	case ACT_UNLOAD:
		ret = mk_unload(o, abi, &reg, err);
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
