/* SPDX-License-Identifier: GPL-2.0-only */
/* Reading and editing kernel command lines: memmap=/mem= parsing, sizes, parameter removal. */
#ifndef KEXEC_CMDLINE_PARAMS_H
#define KEXEC_CMDLINE_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem-range.h"

struct cmdline_memmap {
	/* memmap=SIZE$ADDR (MEM_RESERVED) and memmap=SIZE!ADDR (MEM_PRAM) entries. */
	struct mem_ranges reserved;
	uint64_t mem_limit;	/* mem=SIZE, 0 when absent */
};

/* Parse a size with the kernel's memparse suffixes (K, M, G, T, P, E). -1 on junk. */
int cmdline_parse_size(const char *s, const char **endp, uint64_t *out);

/*
 * Collect every memmap=...$/! entry and mem= from a command line.  -1 on a
 * malformed one, -2 when there are more than MEM_RANGES_MAX of them.
 */
int cmdline_parse_memmap(const char *cmdline, struct cmdline_memmap *out);

/*
 * Copy cmdline into out (size out_size), dropping every parameter whose
 * name (the part before '=') equals one of names[].  Returns -1 if it does
 * not fit.  Quoted values ("a b") are kept whole.
 */
int cmdline_drop_params(const char *cmdline, const char *const names[], size_t nr_names,
			char *out, size_t out_size);

/* Append " word" (or "word" when out is empty).  Returns -1 if it does not fit. */
int cmdline_append(char *out, size_t out_size, const char *word);

/* True if the command line has a parameter called name (with or without a value). */
bool cmdline_has_param(const char *cmdline, const char *name);

/*
 * True if any occurrence of the parameter is name=value: for parameters
 * whose every occurrence takes effect, such as acpi=off (no later acpi=
 * turns the interrupt routing it dropped back on).
 */
bool cmdline_has_value(const char *cmdline, const char *name, const char *value);

/*
 * The value of the last name=value parameter (the one Linux uses), cut to
 * size - 1 bytes, in out.  False when there is none.
 */
bool cmdline_last_value(const char *cmdline, const char *name, char *out, size_t size);

#endif /* KEXEC_CMDLINE_PARAMS_H */
