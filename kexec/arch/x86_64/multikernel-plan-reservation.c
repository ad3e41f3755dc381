// SPDX-License-Identifier: GPL-2.0-only
/*
 * --plan-reservation: the planner's value, printed; with --write-grub also
 * the drop-in (with --dry-run, only shown).  The plan is printed before
 * anything is written, so a refused write still leaves the words on screen.
 */
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>

#include "grub-dropin.h"
#include "multikernel-plan-reservation.h"
#include "multikernel-reserve-print.h"
#include "multikernel-reserve.h"

int mk_plan_reservation(const struct kexec_options *o, const struct host_facts *hf,
			struct kx_error *err)
{
	struct mk_reserve_request req = {
		.instances = o->plan_instances,
		.instance_size = o->plan_size,
	};
	struct mk_reserve_plan *plan = malloc(sizeof(*plan));
	char text[1024], path[PATH_MAX];
	int ret = -1;

	if (!plan)
		return kx_fail(err, KX_ELIMIT, "out of memory planning the reservation");
	if (mk_reserve_plan(hf, &req, plan, err))
		goto out;
	mk_reserve_print(stdout, plan);
	if (!o->write_grub) {
		ret = 0;
		goto out;
	}
	if (mk_reserve_dropin(plan, text, sizeof(text))) {
		kx_fail(err, KX_EGRUB, "internal: the drop-in for this plan is too long");
		goto out;
	}
	if (o->dry_run) {
		printf("\nwould write %s%s/%s:\n%s", o->sysroot ? o->sysroot : "", GRUB_DROPIN_DIR,
		       MK_DROPIN_NAME, text);
		ret = 0;
		goto out;
	}
	if (grub_dropin_write(o->sysroot, MK_DROPIN_NAME, MK_DROPIN_MARK, text, path,
			      sizeof(path), err))
		goto out;
	printf("\nwrote %s: run update-grub, then reboot to boot with the reservation\n", path);
	ret = 0;
out:
	free(plan);
	return ret;
}
