// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
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
