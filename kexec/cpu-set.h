/* SPDX-License-Identifier: GPL-2.0-only */
/* CPU sets as the kernel prints them in sysfs ("0-3,5"). */
#ifndef KEXEC_CPU_SET_H
#define KEXEC_CPU_SET_H

#include <stdbool.h>
#include <stdint.h>

#define CPU_SET_MAX 4096

struct cpu_set {
	uint64_t bits[CPU_SET_MAX / 64];
};

/* Parse a sysfs CPU list; an empty string is the empty set.  -1 on junk. */
int cpu_set_parse(const char *list, struct cpu_set *out);
bool cpu_set_has(const struct cpu_set *set, unsigned int cpu);

#endif /* KEXEC_CPU_SET_H */
