/* SPDX-License-Identifier: GPL-2.0-only */
/* kexec -l --multikernel: the first stage of a spawned kernel's life (multikernel-load.c). */
#ifndef KEXEC_MULTIKERNEL_LOAD_H
#define KEXEC_MULTIKERNEL_LOAD_H

#include "host-facts.h"
#include "mk-instance.h"
#include "options.h"
#include "status.h"

/*
 * A free part of the reservation, the plan, kexec_load(KEXEC_MULTIKERNEL)
 * and the "loaded" record, also copied to loaded (with --dry-run, the
 * record the load would write); 0, or -1 with err set and nothing left
 * loaded.
 */
int mk_load(const struct kexec_options *o, struct host_facts *hf, struct mk_registry *reg,
	    struct mk_instance *loaded, struct kx_error *err);

#endif /* KEXEC_MULTIKERNEL_LOAD_H */
