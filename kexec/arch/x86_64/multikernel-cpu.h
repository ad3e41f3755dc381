/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The CPU a spawned kernel takes: it must exist, not be CPU 0, be offline
 * (or be offlined on request), and no running instance may hold it.  The
 * load (when --cpu is given) and the start both ask.
 */
#ifndef KEXEC_MULTIKERNEL_CPU_H
#define KEXEC_MULTIKERNEL_CPU_H

#include "host-facts.h"
#include "mk-instance.h"
#include "options.h"
#include "status.h"

/* The CPU must exist, not be CPU 0, and be offline (or be offlined on request). */
int mk_check_cpu(const struct kexec_options *o, struct host_facts *hf, struct kx_error *err);

/* A CPU a running instance holds is not free, offline or not. */
int mk_check_cpu_free(const struct mk_registry *reg, int cpu, struct kx_error *err);

#endif /* KEXEC_MULTIKERNEL_CPU_H */
