/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The memory a multikernel may use: the host reserved it at boot with
 * memmap=SIZE$ADDR or memmap=SIZE!ADDR (or left RAM above mem=).  Such a
 * reservation is a gap in /proc/iomem's System RAM, not a "Reserved" line,
 * so the command line names the candidates and iomem confirms the host
 * does not use them.
 */
#ifndef KEXEC_X86_MULTIKERNEL_MEMORY_H
#define KEXEC_X86_MULTIKERNEL_MEMORY_H

#include <stdbool.h>

#include "host-facts.h"
#include "load-request.h"

/*
 * What one instance takes of the reservation when --mem-min/--mem-max do
 * not say: room for a distribution kernel, its initrd and a small
 * userland, while a 512 MiB reservation still holds two.  Below 1 MiB a
 * Linux kernel needs only its real-mode and wake-up trampolines (well
 * under 64 KiB on 6.12), so the memmap=0x60000$0x20000 window serves two.
 * --plan-reservation (multikernel-reserve.c) plans with the same numbers.
 */
#define MK_INSTANCE_SIZE (256ull << 20)
#define MK_LOW_SIZE	 0x30000ull
/* The wake-up trampoline identity-maps physical 0-4 GiB only (doc/multikernel-abi.md 4.4). */
#define MK_IDENTITY_MAP_END (1ull << 32)

struct mk_memory {
	struct mem_range main;	/* every segment goes here; the new kernel's RAM */
	bool have_low;
	struct mem_range low;	/* RAM below 1 MiB for the new kernel's trampolines */
};

/*
 * Pick an instance's memory in the reservation, outside held (what running
 * instances own; NULL for none): the whole free window [mem_min, mem_max]
 * when given (mem_max inclusive, 0 none), else up to 256 MiB from the
 * bottom of the largest free piece; and up to 192 KiB of low memory.
 */
int mk_memory_find(const struct host_facts *hf, uint64_t mem_min, uint64_t mem_max,
		   const struct mem_ranges *held, struct mk_memory *out, struct kx_error *err);

/*
 * Segments in main, below 4 GiB; the e820 is the firmware's non-RAM plus
 * main and low, except main's last page: purgatory's status record.
 * Fails (KX_ELIMIT) only when that map would be too long.
 */
int mk_memory_env(const struct host_facts *hf, const struct mk_memory *mem,
		  struct load_env *env, struct kx_error *err);

#endif /* KEXEC_X86_MULTIKERNEL_MEMORY_H */
