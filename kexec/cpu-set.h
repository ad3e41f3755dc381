/* SPDX-License-Identifier: GPL-2.0-only */
/* CPU sets as the kernel prints them in sysfs ("0-3,5"). */
#ifndef KEXEC_CPU_SET_H
#define KEXEC_CPU_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CPU_SET_MAX 4096
/*
 * The most CPUs one multikernel instance takes (--cpu=LIST, a record's
 * cpus line): its MADT and a record line stay small.
 */
#define CPU_LIST_MAX 32

struct cpu_set {
	uint64_t bits[CPU_SET_MAX / 64];
};

/* Parse a sysfs CPU list; an empty string is the empty set.  -1 on junk. */
int cpu_set_parse(const char *list, struct cpu_set *out);
bool cpu_set_has(const struct cpu_set *set, unsigned int cpu);

/*
 * The set's members in increasing order into cpus[0..max); returns how many
 * the set has (more than max: only the first max were written).
 */
size_t cpu_set_members(const struct cpu_set *set, int *cpus, size_t max);

/*
 * cpus[0..n), increasing, in sysfs form ("1-2,5") into out; the empty
 * string for n == 0.  -1 if it does not fit in size.
 */
int cpu_list_format(const int *cpus, size_t n, char *out, size_t size);

#endif /* KEXEC_CPU_SET_H */
