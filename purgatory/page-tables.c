/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Our own identity map of physical 0-4 GiB with 2 MiB pages, the same
 * span the multikernel trampoline maps (doc/multikernel-abi.md 4.4) but in purgatory's
 * .bss, so a later kick rewriting the trampoline cannot pull the tables
 * from under us or under the kernel's early entry code.
 *
 * No NX bits: EFER.NXE is off there, and NX in an entry would be a
 * reserved-bit fault.  No global bit: CR4.PGE is off too.
 */
#include "purgatory.h"

#define PTE_PRESENT	0x001
#define PTE_WRITE	0x002
#define PTE_LARGE	0x080	/* 2 MiB page in a page-directory entry */

#define PAGE_SIZE	4096
#define LARGE_PAGE_SIZE	(2ull << 20)
#define NR_PDS		4	/* one page directory per GiB */

struct page_table {
	uint64_t entry[512];
} __attribute__((aligned(PAGE_SIZE)));

static struct page_table pml4, pdpt, pd[NR_PDS];

void page_tables_install(void)
{
	/* .bss is zeroed by the kernel's copy of the segment, but do not rely on it. */
	memset(&pml4, 0, sizeof(pml4));
	memset(&pdpt, 0, sizeof(pdpt));

	/* Identity map: these addresses, taken RIP-relative, are physical. */
	for (int g = 0; g < NR_PDS; g++) {
		for (int i = 0; i < 512; i++) {
			uint64_t addr = ((uint64_t)g * 512 + (uint64_t)i) * LARGE_PAGE_SIZE;

			pd[g].entry[i] = addr | PTE_LARGE | PTE_WRITE | PTE_PRESENT;
		}
		pdpt.entry[g] = (uint64_t)(uintptr_t)&pd[g] | PTE_WRITE | PTE_PRESENT;
	}
	pml4.entry[0] = (uint64_t)(uintptr_t)&pdpt | PTE_WRITE | PTE_PRESENT;

	__asm__ volatile("movq %0, %%cr3" : : "r"((uint64_t)(uintptr_t)&pml4) : "memory");
}
