/* SPDX-License-Identifier: GPL-2.0-only */
/* The new kernel's e820 map: the zero page holds 128 entries, setup_data the rest. */
#ifndef KEXEC_X86_E820_H
#define KEXEC_X86_E820_H

#include <stddef.h>
#include <stdint.h>

#include "bootparam.h"
#include "mem-range.h"

/* Only real e820 types go to the kernel; MMIO and ROM lines of iomem do not. */
bool e820_type_is_firmware(enum mem_type type);

/* Size of the SETUP_E820_EXT node needed for map (0 when 128 entries suffice). */
size_t e820_ext_size(const struct mem_ranges *map);

/*
 * Fill bp->e820_table/e820_entries from map; entries beyond 128 go into
 * the setup_data node at ext (ext_size bytes, from e820_ext_size()).
 */
void e820_fill(struct boot_params *bp, const struct mem_ranges *map, struct setup_data *ext);

#endif /* KEXEC_X86_E820_H */
