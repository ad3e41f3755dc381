/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ELF core header a crash kernel reads as /proc/vmcore's layout
 * (fs/proc/vmcore.c): one PT_NOTE per CPU (its crash_notes buffer), one
 * for VMCOREINFO, a PT_LOAD for the kernel text mapping and one PT_LOAD per
 * range of the crashed kernel's RAM.  Pure: built from recorded facts, no
 * I/O, so unit tests and --dry-run see the very bytes a load passes.
 */
#ifndef KEXEC_CRASH_ELF_H
#define KEXEC_CRASH_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mem-range.h"
#include "status.h"

#define CRASH_MAX_CPUS		1024	/* notes kept; more CPUs are refused, not cut */
#define CRASH_HEADER_ALIGN	4096ull	/* the kernel's ELF_CORE_HEADER_ALIGN */

/* A physical buffer the crashed kernel filled: a CPU's notes or VMCOREINFO. */
struct crash_note {
	uint64_t addr;
	uint64_t size;
};

/* Where the kernel's image is mapped: /proc/kcore's text and direct-map entries. */
struct crash_kernel_map {
	bool have_text;
	uint64_t text_vaddr, text_paddr, text_size;	/* _text.._end */
	bool have_page_offset;
	uint64_t page_offset;				/* virtual address of physical 0 */
};

struct crash_elf_input {
	const struct crash_note *cpu_notes;
	size_t nr_cpu_notes;
	struct crash_note vmcoreinfo;
	struct crash_kernel_map map;
	const struct mem_ranges *dump;	/* the crashed kernel's RAM to describe */
};

/* Bytes of the header for in (page aligned, as the kernel's own). */
size_t crash_elf_size(const struct crash_elf_input *in);

/* Build the header into buf (crash_elf_size(in) bytes, zeroed by the caller). */
int crash_elf_build(const struct crash_elf_input *in, uint8_t *buf, size_t size,
		    struct kx_error *err);

/* Print the program headers of a header built above, one line each. */
void crash_elf_print(FILE *out, const uint8_t *buf, size_t size);

/*
 * Read the kernel's mappings from the start of /proc/kcore (its ELF
 * header): the PT_LOAD at or above the kernel text base with a physical
 * address is _text.._end; the first other one with a physical address is
 * the direct map.  Fields not found stay unset.
 */
void crash_kcore_parse(const uint8_t *buf, size_t len, struct crash_kernel_map *map);

#endif /* KEXEC_CRASH_ELF_H */
