/* SPDX-License-Identifier: GPL-2.0-only */
/* Building the new kernel's zero page from an image header and a placed plan. */
#ifndef KEXEC_X86_BOOT_PARAMS_H
#define KEXEC_X86_BOOT_PARAMS_H

#include "bootparam.h"
#include "mem-range.h"

/* type_of_loader 0xff: "undefined" boot loader, we have no assigned ID. */
#define BP_LOADER_TYPE_UNDEFINED 0xff

struct bp_inputs {
	const struct setup_header *hdr;	/* the image's header (or a synthetic one) */
	size_t hdr_len;			/* bytes of it that are valid */
	uint64_t kernel_addr;
	uint64_t cmdline_addr;		/* 0: no command line */
	uint64_t initrd_addr;
	uint64_t initrd_size;		/* 0: no initrd */
	uint64_t setup_data_addr;	/* first setup_data node, 0: none */
	const struct mem_ranges *e820;
	struct setup_data *e820_ext;	/* where entries beyond 128 go, NULL if none */
	uint64_t acpi_rsdp_addr;
};

/* Fill bp (zeroed first).  Pure: the same inputs give the same bytes. */
void boot_params_build(struct boot_params *bp, const struct bp_inputs *in);

#endif /* KEXEC_X86_BOOT_PARAMS_H */
