/* SPDX-License-Identifier: GPL-2.0-only */
/* A running instance's log, read from its memory (multikernel-dmesg.c). */
#ifndef KEXEC_MULTIKERNEL_DMESG_H
#define KEXEC_MULTIKERNEL_DMESG_H

#include "host-facts.h"
#include "mk-instance.h"
#include "options.h"
#include "status.h"

/* --dmesg=N: print the instance's log; lets go of reg's lock first. */
int mk_dmesg(const struct kexec_options *o, const struct host_facts *hf,
	     struct mk_registry *reg, struct kx_error *err);

/* --list: each running instance's boot state and last log line. */
void mk_list_logs(const struct host_facts *hf, const struct mk_registry *reg);

#endif /* KEXEC_MULTIKERNEL_DMESG_H */
