/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kexec -l, -e, -f --multikernel: the plan (multikernel-plan.h) made
 * through a kernel interface (multikernel-abi.h), printed for --dry-run
 * and -d, stopped for --dry-run, else carried out.
 */
#ifndef KEXEC_X86_MULTIKERNEL_SPAWN_H
#define KEXEC_X86_MULTIKERNEL_SPAWN_H

#include "host-facts.h"
#include "mk-instance.h"
#include "multikernel-abi.h"
#include "options.h"
#include "status.h"

int mk_plan_run(const struct mk_abi *abi, const struct kexec_options *o,
		struct host_facts *hf, struct mk_registry *reg, struct kx_error *err);

#endif /* KEXEC_X86_MULTIKERNEL_SPAWN_H */
