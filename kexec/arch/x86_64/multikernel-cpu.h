/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Taking the CPU a spawned kernel runs on: offlining it when --offline-cpu
 * asked for it.  The rules that it may be taken (present, not CPU 0,
 * offline or to be offlined, no instance on it) are in multikernel-rules.c
 * and are asked first.
 */
#ifndef KEXEC_MULTIKERNEL_CPU_H
#define KEXEC_MULTIKERNEL_CPU_H

#include "host-facts.h"
#include "options.h"
#include "status.h"

/*
 * Offline o->cpu if it is online (the rules passed, so --offline-cpu was
 * given); --dry-run says it would, and later steps of the run see the CPU
 * offline as they would for real.  0, or -1 with err set.
 */
int mk_cpu_take_offline(const struct kexec_options *o, struct host_facts *hf,
			struct kx_error *err);

#endif /* KEXEC_MULTIKERNEL_CPU_H */
