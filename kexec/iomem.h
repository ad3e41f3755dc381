/* SPDX-License-Identifier: GPL-2.0-only */
/* Parsers for the kernel's memory maps: /proc/iomem text and firmware type names. */
#ifndef KEXEC_IOMEM_H
#define KEXEC_IOMEM_H

#include <stdbool.h>

#include "mem-range.h"

struct iomem_map {
	struct mem_ranges top;		/* top-level entries, typed */
	struct mem_ranges crash;	/* "Crash kernel" entries (nested) */
	struct mem_ranges mk_shared;	/* "Multikernel Shared Memory" entries */
	struct mem_ranges kernel;	/* "Kernel code", "Kernel rodata", "Kernel data", "Kernel bss" */
	bool addresses_hidden;		/* all zero: read without CAP_SYS_ADMIN */
};

/*
 * Parse the text of /proc/iomem.  Returns -1 on a malformed line, -2 when a
 * line would need more than MEM_RANGES_MAX ranges in one map; both set *bad_line.
 */
int iomem_parse(const char *text, struct iomem_map *out, unsigned int *bad_line);

/* "System RAM" -> MEM_RAM, ...  Case-insensitive; unknown names give MEM_OTHER. */
enum mem_type mem_type_from_name(const char *name);

#endif /* KEXEC_IOMEM_H */
