/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Purgatory's internal interfaces: one line per file.
 *
 * Everything is hidden: purgatory is linked as one static image, and
 * hidden symbols are always reached RIP-relative, never through a GOT.
 */
#ifndef PURGATORY_H
#define PURGATORY_H

#include <stddef.h>
#include <stdint.h>

#include "purgatory-params.h"

#pragma GCC visibility push(hidden)

/* Inside the pragma: a function address taken here is then RIP-relative. */
#include "sha256.h"

/* params.S: the block at offset 0, filled by the build and the loader. */
extern struct purgatory_params purgatory_params;

/* purgatory.c: the sequence called by entry64.S; returns only to jump. */
void purgatory_main(void);
void purgatory_halt(void) __attribute__((noreturn));
/* purgatory.c: bytes_done in the status record (its stage stays ARRIVED). */
void purgatory_report_progress(const struct purgatory_params *params, uint64_t done);

/* page-tables.c: switch to our own identity map of 0-4 GiB. */
void page_tables_install(void);

/* digest.c: index of the first segment whose sha256 differs, or -1;
 * hashed with SHA-NI if digest_use_shani(), else in portable C.  The
 * _with form takes the block function (sha256.h) and leaves SSE alone.
 * Both report progress every PURGATORY_PROGRESS_STEP bytes hashed. */
int digest_find_mismatch(const struct purgatory_params *params);
int digest_use_shani(void);
int digest_find_mismatch_with(const struct purgatory_params *params,
			      sha256_block_fn *block);

/* sse.c: SSE on (CR0/CR4 as the SDM asks) for the SHA-NI check, and back. */
struct sse_saved {
	uint64_t cr0, cr4;
};
void sse_enable(struct sse_saved *saved);
void sse_restore(const struct sse_saved *saved);

/* madt.c: this CPU's local APIC id (x2APIC id where CPUID has it); and
 * the one-CPU MADT at madt_addr rewritten to name apic_id, length and
 * checksum included. */
uint32_t cpu_apic_id(void);
void madt_claim(uint64_t madt_addr, uint32_t apic_id);

/* serial.c: polled 16550 at 115200 8N1; every call is a no-op for port 0. */
void serial_init(uint16_t port);
void serial_puts(const char *s);
void serial_put_hex(uint64_t value);
void serial_put_dec(uint64_t value);

/* string.c: what gcc may emit calls to even with -ffreestanding. */
void *memcpy(void *dst, const void *src, size_t size);
void *memset(void *dst, int c, size_t size);
void *memmove(void *dst, const void *src, size_t size);
int memcmp(const void *a, const void *b, size_t size);

#pragma GCC visibility pop

#endif /* PURGATORY_H */
