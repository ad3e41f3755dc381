/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one parameter block shared by the loader and purgatory.
 *
 * The purgatory binary begins with this block: the build fills in the
 * first five fields, the loader fills in the rest before it hands the
 * segment to the kernel.  The loader refuses a blob whose magic, version
 * or size does not match this header, so the two sides can never
 * silently disagree on the layout.
 *
 * Offsets are fixed and checked with static_assert on both sides.
 */
#ifndef PURGATORY_PARAMS_H
#define PURGATORY_PARAMS_H

#ifdef __ASSEMBLER__
#define PURGATORY_PARAMS_MAGIC		0x5047524b	/* "KRGP" little-endian */
#define PURGATORY_PARAMS_VERSION	5
#endif

/* For purgatory's assembly: sizeof and the offsets it reads, checked below. */
#define PURGATORY_PARAMS_SIZE		1592
#define PURGATORY_PARAMS_JUMP_ADDR	0x10
#define PURGATORY_PARAMS_RSI		0x18

#ifndef __ASSEMBLER__
#include <stdint.h>

#define PURGATORY_PARAMS_MAGIC		0x5047524bu
#define PURGATORY_PARAMS_VERSION	5u

/*
 * One digest per segment (the kernel takes 16 at most; purgatory itself
 * needs none) or per chunk of a big one: the loader cuts a big initrd into
 * as many equal chunks as fit here, because it hashes them side by side
 * (two threads of 16 vector lanes on a 2-core AVX-512 machine).
 * Version 4 of the parameter block raised this from 16.
 */
#define PURGATORY_MAX_DIGESTS		32

/* flags */
#define PURGATORY_VERIFY_DIGESTS	0x0001	/* off with kexec -i */
/* Build and load purgatory's own identity map of 0-4 GiB before anything
 * else.  Set it for a multikernel wake-up, whose CR3 points at the host's
 * trampoline tables that the next kick rewrites (doc/multikernel-abi.md 4.3).  Leave it
 * clear for ordinary kexec, whose identity map also covers RAM above 4 GiB. */
#define PURGATORY_OWN_PAGE_TABLES	0x0002

struct purgatory_digest {
	uint64_t addr;			/* 0x00 physical start */
	uint64_t size;			/* 0x08 bytes hashed (the segment's bufsz) */
	uint8_t  sha256[32];		/* 0x10 */
};

struct purgatory_params {
	/* Written by the purgatory build. */
	uint32_t magic;			/* 0x00 PURGATORY_PARAMS_MAGIC */
	uint16_t version;		/* 0x04 PURGATORY_PARAMS_VERSION */
	uint16_t size;			/* 0x06 sizeof(struct purgatory_params) */
	uint32_t entry_offset;		/* 0x08 purgatory_start - blob start */
	uint32_t mem_size;		/* 0x0c bytes the blob occupies in memory,
					 * bss and stack included (segment memsz) */

	/* Written by the loader. */
	uint64_t jump_addr;		/* 0x10 physical address jumped to */
	uint64_t rsi;			/* 0x18 RSI at the jump: boot_params */
	uint16_t serial_port;		/* 0x20 16550 I/O base, 0 = silent */
	uint16_t flags;			/* 0x22 PURGATORY_* flags */
	uint32_t nr_digests;		/* 0x24 valid entries in digests[] */
	struct purgatory_digest digests[PURGATORY_MAX_DIGESTS]; /* 0x28 */
	uint64_t status_addr;		/* 0x628 physical struct purgatory_status, 0 = none */
	/* Version 5: the new kernel's one-CPU MADT, which purgatory makes name
	 * the CPU it runs on once the digests matched (madt.c); 0 = none. */
	uint64_t madt_addr;		/* 0x630 */
};

/*
 * The status record: purgatory's proof of life for a multikernel start.
 *
 * The kick returns before the woken CPU runs a single instruction, and
 * reboot(2) returning 0 proves nothing (doc/multikernel-abi.md 4.1).  So purgatory
 * writes how far it got into a page of the instance's own memory that the
 * loader sets aside (a zero-filled segment at params.status_addr, marked
 * reserved in the new kernel's e820 so the kernel never reuses it), and
 * kexec reads it back through /dev/mem.
 *
 * The kernel zero-fills the page at load, so stage 0 means "never ran".
 * Purgatory writes the other fields before the stage that makes them
 * meaningful (x86 stores are seen in order), and the magic with every
 * stage so that a reader can tell the record from stray bytes.
 *
 * Progress: hashing a big kernel and initrd takes seconds (portable C, an
 * emulator), so while ARRIVED purgatory raises bytes_done at least every
 * PURGATORY_PROGRESS_STEP bytes, each time followed by the magic and the
 * stage again.  The loader counts any change of stage or bytes_done as a
 * sign of life and gives up only after --start-wait seconds without one.
 * bytes_total (the digests' sizes summed, 0 when the check is skipped) is
 * written with ARRIVED, so that "verified X of Y" can be reported.
 * Version 3 of the parameter block added the two fields (0x18, 0x20).
 */
#define PURGATORY_STATUS_MAGIC		0x5354534bu	/* "KSTS" little-endian */

#define PURGATORY_STAGE_NONE		0	/* loaded, never ran */
#define PURGATORY_STAGE_ARRIVED		1	/* purgatory runs on the new CPU */
#define PURGATORY_STAGE_DIGESTS_OK	2	/* every digest matched (or -i skipped them) */
#define PURGATORY_STAGE_MISMATCH	3	/* bad_digest mismatched; purgatory halted */
#define PURGATORY_STAGE_JUMPED		4	/* about to jump to params.jump_addr */

/* Most bytes hashed between two raises of bytes_done. */
#define PURGATORY_PROGRESS_STEP		(1u << 20)

struct purgatory_status {
	uint32_t magic;			/* 0x00 PURGATORY_STATUS_MAGIC once written */
	uint32_t stage;			/* 0x04 PURGATORY_STAGE_* */
	uint32_t bad_digest;		/* 0x08 index into params.digests[] (MISMATCH) */
	uint32_t apic_id;		/* 0x0c initial APIC id of the CPU purgatory ran on */
	uint64_t bad_addr;		/* 0x10 that digest's physical start (MISMATCH) */
	uint64_t bytes_total;		/* 0x18 bytes the digest check hashes (ARRIVED) */
	uint64_t bytes_done;		/* 0x20 bytes hashed so far (raised while ARRIVED) */
};

_Static_assert(sizeof(struct purgatory_digest) == 48, "digest entry layout");
_Static_assert(__builtin_offsetof(struct purgatory_params, mem_size) == 0x0c, "mem_size");
_Static_assert(__builtin_offsetof(struct purgatory_params, jump_addr) == 0x10, "jump_addr");
_Static_assert(__builtin_offsetof(struct purgatory_params, serial_port) == 0x20, "serial_port");
_Static_assert(__builtin_offsetof(struct purgatory_params, digests) == 0x28, "digests");
_Static_assert(__builtin_offsetof(struct purgatory_params, rsi) == PURGATORY_PARAMS_RSI, "rsi");
_Static_assert(__builtin_offsetof(struct purgatory_params, jump_addr) == PURGATORY_PARAMS_JUMP_ADDR,
	       "jump_addr (asm)");
_Static_assert(__builtin_offsetof(struct purgatory_params, status_addr) == 0x628, "status_addr");
_Static_assert(__builtin_offsetof(struct purgatory_params, madt_addr) == 0x630, "madt_addr");
_Static_assert(sizeof(struct purgatory_params) == 0x28 + 32 * 48 + 16, "params size");
_Static_assert(__builtin_offsetof(struct purgatory_status, bytes_total) == 0x18, "bytes_total");
_Static_assert(__builtin_offsetof(struct purgatory_status, bytes_done) == 0x20, "bytes_done");
_Static_assert(sizeof(struct purgatory_status) == 0x28, "status record layout");
_Static_assert(sizeof(struct purgatory_params) == PURGATORY_PARAMS_SIZE, "params size (asm)");
#endif /* __ASSEMBLER__ */

#endif /* PURGATORY_PARAMS_H */
