/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Taking the CPU a spawned kernel runs on: offlining it, which the plan
 * (multikernel-plan.h) decides when --offline-cpu asks and the CPU is
 * online, and which the executor (multikernel-exec.c) does only after
 * every rule passed.
 */
#ifndef KEXEC_MULTIKERNEL_CPU_H
#define KEXEC_MULTIKERNEL_CPU_H

#include "host-facts.h"
#include "status.h"

/* Offline cpu and read the CPU lists again; 0 once it is offline. */
int mk_cpu_take_offline(struct host_facts *hf, int cpu, struct kx_error *err);

#endif /* KEXEC_MULTIKERNEL_CPU_H */
