// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <string.h>

#include "kernel-vtop.h"

#define PAGE 4096ull
#define PTE_PRESENT 0x1ull
#define PTE_PSE 0x80ull			/* a 1 GiB (PUD) or 2 MiB (PMD) page */
#define PTE_ADDR 0x000ffffffffff000ull	/* bits 12-51 */

int kernel_vtop_init(struct kernel_vtop *t, struct mem_view *view, const struct vmcoreinfo *vi,
		     char *why, size_t why_size)
{
	uint64_t va = vi->init_top_pgt_va, check;

	memset(t, 0, sizeof(*t));
	t->view = view;
	t->l5 = vi->pgtable_l5;
	t->addr_mask = PTE_ADDR & ~vi->sme_mask;
	t->cache_va = 1;
	if (va < X86_START_KERNEL_MAP || (va & (PAGE - 1))) {
		snprintf(why, why_size, "SYMBOL(init_top_pgt)=%llx is not a page of the kernel "
			 "image", (unsigned long long)va);
		return -1;
	}
	t->top_pa = va - X86_START_KERNEL_MAP + (uint64_t)vi->phys_base;
	if (!mem_view_contains(view, t->top_pa, PAGE)) {
		snprintf(why, why_size, "its page tables (init_top_pgt at 0x%llx) are outside "
			 "its memory", (unsigned long long)t->top_pa);
		return -1;
	}
	/* The image maps itself: the walk and __pa_symbol must agree. */
	if (kernel_vtop(t, va, &check) || check != t->top_pa) {
		snprintf(why, why_size, "its page tables at 0x%llx do not map the kernel image "
			 "where phys_base puts it", (unsigned long long)t->top_pa);
		return -1;
	}
	return 0;
}

int kernel_vtop(struct kernel_vtop *t, uint64_t va, uint64_t *pa)
{
	/* Index shifts from the top level down: PGD (5-level only), P4D/PGD, PUD, PMD, PTE. */
	static const unsigned int shift5[] = { 48, 39, 30, 21, 12 };
	const unsigned int *shift = t->l5 ? shift5 : shift5 + 1;
	unsigned int levels = t->l5 ? 5 : 4;
	uint64_t table = t->top_pa, entry = 0;

	if ((va & ~(PAGE - 1)) == t->cache_va) {
		*pa = t->cache_pa | (va & (PAGE - 1));
		return 0;
	}
	t->walks++;
	for (unsigned int l = 0; l < levels; l++) {
		uint64_t index = (va >> shift[l]) & 511;
		uint64_t size = 1ull << shift[l];

		if (mem_view_read_u64(t->view, table + index * 8, &entry) || !(entry & PTE_PRESENT))
			return -1;
		/* A huge page ends the walk at the PUD (1 GiB) or PMD (2 MiB). */
		if ((entry & PTE_PSE) && (shift[l] == 30 || shift[l] == 21)) {
			*pa = (entry & t->addr_mask & ~(size - 1)) | (va & (size - 1));
			break;
		}
		if (l == levels - 1) {
			*pa = (entry & t->addr_mask) | (va & (PAGE - 1));
			break;
		}
		table = entry & t->addr_mask;
	}
	t->cache_va = va & ~(PAGE - 1);
	t->cache_pa = *pa & ~(PAGE - 1);
	return 0;
}

int kernel_vread(struct kernel_vtop *t, uint64_t va, void *buf, size_t len)
{
	uint8_t *out = buf;

	while (len) {
		size_t chunk = PAGE - (va & (PAGE - 1));
		uint64_t pa;

		if (chunk > len)
			chunk = len;
		if (kernel_vtop(t, va, &pa) || mem_view_read(t->view, pa, out, chunk))
			return -1;
		out += chunk;
		va += chunk;
		len -= chunk;
	}
	return 0;
}
