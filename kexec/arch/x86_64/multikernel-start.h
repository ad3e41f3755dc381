/* SPDX-License-Identifier: GPL-2.0-only */
/* kexec -e --multikernel (and -f): the start and its wait (multikernel-start.c). */
#ifndef KEXEC_MULTIKERNEL_START_H
#define KEXEC_MULTIKERNEL_START_H

#include "host-facts.h"
#include "mk-instance.h"
#include "options.h"
#include "status.h"

/*
 * Start what the "loaded" record describes (just_loaded: the load of this
 * same command, -f; else NULL and the record is read from reg): claim the
 * CPU, kick it, wait for purgatory's proof of life and the kernel's init,
 * re-arm the host's serial ports; 0, or -1 with err set.
 */
int mk_start(const struct kexec_options *o, struct host_facts *hf, struct mk_registry *reg,
	     const struct mk_instance *just_loaded, struct kx_error *err);

#endif /* KEXEC_MULTIKERNEL_START_H */
