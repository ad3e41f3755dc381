/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SSE on for the SHA-NI digest check, and back off before the jump.
 *
 * A multikernel wake-up arrives with CR4.OSFXSR clear (entry64.S), where
 * any SSE instruction raises #UD, and with no IDT that is a triple fault.
 * SHA256RNDS2 and friends work on XMM registers, so for the length of the
 * check we set what the SDM asks for SSE (vol. 3A 13.1.3): CR0.EM clear,
 * CR0.MP set, CR0.TS clear (else #NM), CR4.OSFXSR and CR4.OSXMMEXCPT set.
 * The kernel we jump to then gets the control registers it would have got
 * without us; it sets up its own FPU state either way.
 *
 * This file itself is built with -mgeneral-regs-only like the rest of
 * purgatory: only the target("sha,...") functions of sha256-shani.c touch
 * XMM registers, and only between sse_enable() and sse_restore().
 */
#include "purgatory.h"

#define CR0_MP		(1ull << 1)
#define CR0_EM		(1ull << 2)
#define CR0_TS		(1ull << 3)
#define CR4_OSFXSR	(1ull << 9)
#define CR4_OSXMMEXCPT	(1ull << 10)

void sse_enable(struct sse_saved *saved)
{
	uint64_t cr0, cr4;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	saved->cr0 = cr0;
	saved->cr4 = cr4;
	cr0 = (cr0 & ~(CR0_EM | CR0_TS)) | CR0_MP;
	cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0) : "memory");
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
}

void sse_restore(const struct sse_saved *saved)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(saved->cr4) : "memory");
	__asm__ volatile("mov %0, %%cr0" : : "r"(saved->cr0) : "memory");
}
