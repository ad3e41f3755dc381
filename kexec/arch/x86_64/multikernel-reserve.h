/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * --plan-reservation=N,SIZE: the memmap= reservation this machine should
 * boot with for N multikernel instances of SIZE bytes each, worked out from
 * its memory maps (a pure planner: host facts in, a plan out; the printer
 * is multikernel-reserve-print.c, the GRUB drop-in kexec/grub-dropin.c).
 *
 * The rules, each with its reason (kexec(8), MULTIKERNEL, "Planning the
 * reservation" says the same to users):
 *
 *  - Only RAM that both /proc/iomem (top-level "System RAM") and the
 *    firmware's map (/sys/firmware/memmap, when the kernel has it) call RAM,
 *    in whole pages: memmap= can name a device hole or an ACPI table, and
 *    the kernel would reserve it without a word.
 *  - The instances lie below 4 GiB: the wake-up trampoline identity-maps
 *    0-4 GiB only (doc/multikernel-abi.md 4.4).
 *  - Each instance starts on a 2 MiB boundary and SIZE is a multiple of
 *    2 MiB: the trampoline maps with 2 MiB pages, and 2 MiB is the smallest
 *    kernel_alignment an x86-64 kernel has (Debian's and the test kernel's),
 *    so each instance's kernel lands at its first byte.
 *  - Never below 16 MiB plus the running kernel's size: ZONE_DMA, and where
 *    a boot without KASLR puts the kernel (its default physical address);
 *    never in the running kernel's image (the "Kernel code" .. "Kernel bss"
 *    lines), nor in a crash kernel area (crashkernel=SIZE@ADDR would not get
 *    it back), nor in a "Multikernel Shared Memory" area.
 *  - The instances go as high below 4 GiB as they fit, one below the other,
 *    far from where the boot loader and a KASLR-less kernel sit.
 *  - The host keeps at least 256 MiB of RAM below 4 GiB besides its crash
 *    areas (32-bit DMA, swiotlb's 64 MiB, its own boot).
 *  - Low memory for the instances' trampolines: MK_LOW_SIZE (192 KiB) per
 *    instance, the share a load takes (multikernel-memory.c), in one piece
 *    of RAM at or above 64 KiB (the kernel never uses the first 64 KiB: BIOSes
 *    scribble on it) and below 1 MiB, as low as it fits; the host keeps a
 *    piece of at least 128 KiB below 1 MiB for its own real-mode and
 *    wake-up trampolines (it panics without them).
 *  - At most four memmap= words: KASLR steers the kernel around the first
 *    four memmap= reservations only and stops randomizing past them.
 *  - A kernel that already boots with memmap=SIZE$ADDR, SIZE!ADDR or mem= is
 *    refused: its maps no longer show the machine as the next boot sees it.
 */
#ifndef KEXEC_X86_MULTIKERNEL_RESERVE_H
#define KEXEC_X86_MULTIKERNEL_RESERVE_H

#include <stdint.h>

#include "host-facts.h"
#include "mem-range.h"
#include "status.h"

#define MK_RESERVE_MAX_INSTANCES 64
#define MK_RESERVE_ALIGN	 (2ull << 20)
#define MK_RESERVE_MAX_WORDS	 4
#define MK_RESERVE_LOW_START	 0x10000ull	/* the kernel keeps [0, 64 KiB) */
#define MK_RESERVE_HOST_LOW_KEEP 0x20000ull	/* 128 KiB below 1 MiB for the host */
#define MK_RESERVE_MAIN_START	 (16ull << 20)	/* ZONE_DMA; the default load address */
#define MK_RESERVE_HOST_RAM_KEEP (256ull << 20)

struct mk_reserve_request {
	unsigned int instances;		/* N, 1..MK_RESERVE_MAX_INSTANCES */
	uint64_t instance_size;		/* SIZE, a multiple of MK_RESERVE_ALIGN */
};

struct mk_reserve_plan {
	unsigned int instances;
	uint64_t instance_size;
	struct mem_range low;		/* instances x MK_LOW_SIZE below 1 MiB */
	struct mem_range instance[MK_RESERVE_MAX_INSTANCES];	/* ascending addresses */
	size_t nr_words;
	struct mem_range word[MK_RESERVE_MAX_WORDS];	/* the memmap= ranges: low, then ascending */
	uint64_t host_ram_left;		/* RAM below 4 GiB the host keeps, crash areas aside */
	uint64_t host_low_left;		/* the host's largest piece of RAM in [64 KiB, 1 MiB) */
};

/*
 * Plan the reservation.  Errors: KX_EUSAGE (N or SIZE), KX_EHOST (no
 * /proc/iomem, or no kernel image in it), KX_EPERM (addresses hidden),
 * KX_ERESERVED (memmap=/mem= on this kernel's command line), KX_ENOFIT
 * (does not fit; the message says which rule stopped it), KX_ELIMIT.
 */
int mk_reserve_plan(const struct host_facts *hf, const struct mk_reserve_request *req,
		    struct mk_reserve_plan *out, struct kx_error *err);

#endif /* KEXEC_X86_MULTIKERNEL_RESERVE_H */
