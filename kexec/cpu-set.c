// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu-set.h"

int cpu_set_parse(const char *list, struct cpu_set *out)
{
	const char *p = list;

	memset(out, 0, sizeof(*out));
	while (*p && !isspace((unsigned char)*p)) {
		char *e;
		unsigned long first = strtoul(p, &e, 10), last;

		if (e == p)
			return -1;
		last = first;
		if (*e == '-') {
			p = e + 1;
			last = strtoul(p, &e, 10);
			if (e == p || last < first)
				return -1;
		}
		if (last >= CPU_SET_MAX)
			return -1;
		for (unsigned long c = first; c <= last; c++)
			out->bits[c / 64] |= 1ull << (c % 64);
		p = e;
		if (*p == ',')
			p++;
		else if (*p && !isspace((unsigned char)*p))
			return -1;
	}
	return 0;
}

bool cpu_set_has(const struct cpu_set *set, unsigned int cpu)
{
	return cpu < CPU_SET_MAX && (set->bits[cpu / 64] >> (cpu % 64)) & 1;
}

size_t cpu_set_members(const struct cpu_set *set, int *cpus, size_t max)
{
	size_t n = 0;

	for (unsigned int c = 0; c < CPU_SET_MAX; c++) {
		if (!cpu_set_has(set, c))
			continue;
		if (n < max)
			cpus[n] = (int)c;
		n++;
	}
	return n;
}

int cpu_list_format(const int *cpus, size_t n, char *out, size_t size)
{
	size_t used = 0;

	if (!size)
		return -1;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t last = i;
		int w;

		/* A run of consecutive CPUs is one "first-last" item. */
		while (last + 1 < n && cpus[last + 1] == cpus[last] + 1)
			last++;
		if (last > i)
			w = snprintf(out + used, size - used, "%s%d-%d", used ? "," : "", cpus[i],
				     cpus[last]);
		else
			w = snprintf(out + used, size - used, "%s%d", used ? "," : "", cpus[i]);
		if (w < 0 || (size_t)w >= size - used)
			return -1;
		used += (size_t)w;
		i = last;
	}
	return 0;
}
