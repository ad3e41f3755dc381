/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * --plan-reservation=N,SIZE [--write-grub]: plan the memmap= reservation
 * for this machine (multikernel-reserve.c), print it
 * (multikernel-reserve-print.c) and, when asked, write it to
 * /etc/default/grub.d/ (kexec/grub-dropin.c).  It reads the host's maps and
 * touches neither the kernel nor the instance records.
 */
#ifndef KEXEC_X86_MULTIKERNEL_PLAN_RESERVATION_H
#define KEXEC_X86_MULTIKERNEL_PLAN_RESERVATION_H

#include "host-facts.h"
#include "options.h"
#include "status.h"

#define MK_DROPIN_NAME "kexec-multikernel.cfg"

int mk_plan_reservation(const struct kexec_options *o, const struct host_facts *hf,
			struct kx_error *err);

#endif /* KEXEC_X86_MULTIKERNEL_PLAN_RESERVATION_H */
