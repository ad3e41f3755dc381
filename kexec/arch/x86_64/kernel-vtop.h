/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Another x86-64 kernel's virtual addresses -> physical, from its own
 * page tables, read only through a mem_view (so only inside the ranges
 * that kernel owns).  Pure but for the view's reads.
 *
 * The start is the one translation VMCOREINFO makes possible without
 * tables: a kernel-image symbol lies at va - __START_KERNEL_map +
 * phys_base (the kernel's own __pa_symbol).  From the image's
 * init_top_pgt, a 4- or 5-level walk translates everything else: the
 * direct map (whose base KASLR moves; VMCOREINFO does not give it) and
 * the image again, which must agree with the first rule.
 */
#ifndef KEXEC_X86_KERNEL_VTOP_H
#define KEXEC_X86_KERNEL_VTOP_H

#include <stdbool.h>
#include <stdint.h>

#include "mem-view.h"
#include "vmcoreinfo.h"

/* arch/x86/include/asm/page_64_types.h: where the image is mapped, fixed for x86-64. */
#define X86_START_KERNEL_MAP 0xffffffff80000000ull

struct kernel_vtop {
	struct mem_view *view;
	uint64_t top_pa;	/* init_top_pgt */
	bool l5;
	uint64_t addr_mask;	/* physical address bits of an entry, SME's bit cleared */
	uint64_t cache_va, cache_pa;	/* the last 4 KiB page translated, cache_va 1 = none */
	unsigned long walks;	/* page walks made (cost) */
};

/*
 * Set up from VMCOREINFO.  0, or -1 with why when init_top_pgt is not a
 * kernel-image address or not in the view.
 */
int kernel_vtop_init(struct kernel_vtop *t, struct mem_view *view, const struct vmcoreinfo *vi,
		     char *why, size_t why_size);

/* va -> pa through the tables: 0, or -1 (not mapped, or a table outside the view). */
int kernel_vtop(struct kernel_vtop *t, uint64_t va, uint64_t *pa);

/* Read len bytes at virtual va, page by page: 0, or -1 (unmapped or outside the view). */
int kernel_vread(struct kernel_vtop *t, uint64_t va, void *buf, size_t len);

#endif /* KEXEC_X86_KERNEL_VTOP_H */
