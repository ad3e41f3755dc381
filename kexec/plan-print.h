/* SPDX-License-Identifier: GPL-2.0-only */
/* The segment table that --dry-run and -d print: exactly what kexec_load(2) receives. */
#ifndef KEXEC_PLAN_PRINT_H
#define KEXEC_PLAN_PRINT_H

#include <stdio.h>

#include "plan.h"

void plan_print(FILE *out, const struct kx_plan *plan);

#endif /* KEXEC_PLAN_PRINT_H */
