// SPDX-License-Identifier: GPL-2.0-only
/*
 * /proc/iomem lines look like "  00100000-3ffdffff : System RAM": hex
 * first-last (inclusive), then the resource name, indented two spaces per
 * nesting level.  Only top-level lines describe what the memory is; a few
 * nested names matter to us (the crash kernel and multikernel areas, the
 * running kernel's image).
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "iomem.h"

static const struct {
	const char *name;
	enum mem_type type;
} type_names[] = {
	{ "System RAM",			MEM_RAM },
	{ "Reserved",			MEM_RESERVED },
	{ "ACPI Tables",		MEM_ACPI },
	{ "ACPI Non-volatile Storage",	MEM_NVS },
	{ "Unusable memory",		MEM_UNUSABLE },
	{ "Persistent Memory (legacy)",	MEM_PRAM },
	{ "Persistent Memory",		MEM_PMEM },
	{ "Soft Reserved",		MEM_SOFT_RESERVED },
};

enum mem_type mem_type_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (strcasecmp(name, type_names[i].name) == 0)
			return type_names[i].type;
	return MEM_OTHER;
}

/* Parse one line into depth, [start, end) and name.  Returns -1 if malformed. */
static int parse_line(const char *line, size_t len, unsigned int *depth,
		      uint64_t *start, uint64_t *end, char *name, size_t name_size)
{
	const char *p = line, *stop = line + len;
	char *q;
	uint64_t first, last;
	size_t n;

	while (p < stop && *p == ' ')
		p++;
	*depth = (unsigned int)(p - line) / 2;
	first = strtoull(p, &q, 16);
	if (q == p || *q != '-')
		return -1;
	p = q + 1;
	last = strtoull(p, &q, 16);
	if (q == p || q >= stop || last < first || last == UINT64_MAX)
		return -1;
	p = q;
	if (stop - p < 3 || memcmp(p, " : ", 3) != 0)
		return -1;
	p += 3;
	n = (size_t)(stop - p);
	if (n >= name_size)
		n = name_size - 1;
	memcpy(name, p, n);
	name[n] = '\0';
	*start = first;
	*end = last + 1;	/* inclusive last -> exclusive end, once, here */
	return 0;
}

/* The running kernel's own image, as the kernel names its parts under System RAM. */
static bool is_kernel_image(const char *name)
{
	static const char *const parts[] = { "Kernel code", "Kernel rodata", "Kernel data",
					     "Kernel bss" };

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (strcmp(name, parts[i]) == 0)
			return true;
	return false;
}

int iomem_parse(const char *text, struct iomem_map *out, unsigned int *bad_line)
{
	unsigned int lineno = 0;
	bool any_nonzero = false, any = false;

	memset(out, 0, sizeof(*out));
	for (const char *line = text; *line; ) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		unsigned int depth;
		uint64_t start, end;
		char name[128];

		lineno++;
		if (len > 0) {
			if (parse_line(line, len, &depth, &start, &end, name, sizeof(name))) {
				*bad_line = lineno;
				return -1;
			}
			any = true;
			if (start || end > 1)
				any_nonzero = true;
			if (depth == 0 &&
			    mem_ranges_add(&out->top, start, end, mem_type_from_name(name)))
				goto full;
			if (strcmp(name, "Crash kernel") == 0 &&
			    mem_ranges_add(&out->crash, start, end, MEM_RESERVED))
				goto full;
			if (strcmp(name, "Multikernel Shared Memory") == 0 &&
			    mem_ranges_add(&out->mk_shared, start, end, MEM_RESERVED))
				goto full;
			if (is_kernel_image(name) && mem_ranges_add(&out->kernel, start, end, MEM_RAM))
				goto full;
		}
		line = nl ? nl + 1 : line + len;
	}
	out->addresses_hidden = any && !any_nonzero;
	mem_ranges_normalize(&out->top);
	return 0;
full:
	*bad_line = lineno;
	return -2;
}
