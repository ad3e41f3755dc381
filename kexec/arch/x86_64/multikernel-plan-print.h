/* SPDX-License-Identifier: GPL-2.0-only */
/* The multikernel plan (multikernel-plan.h), printed for --dry-run and -d. */
#ifndef KEXEC_X86_MULTIKERNEL_PLAN_PRINT_H
#define KEXEC_X86_MULTIKERNEL_PLAN_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "multikernel-plan.h"

/*
 * Each decision of p and why, as far as it was planned.  would: also the
 * actions ("would offline CPU 1", "would start ..."), for --dry-run.
 */
void mk_plan_print(FILE *f, const struct mk_plan *p, bool would);

#endif /* KEXEC_X86_MULTIKERNEL_PLAN_PRINT_H */
