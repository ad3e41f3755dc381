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

/* params.S: the block at offset 0, filled by the build and the loader. */
extern struct purgatory_params purgatory_params;

/* purgatory.c: the sequence called by entry64.S; returns only to jump. */
void purgatory_main(void);
void purgatory_halt(void) __attribute__((noreturn));

/* page-tables.c: switch to our own identity map of 0-4 GiB. */
void page_tables_install(void);

/* digest.c: index of the first segment whose sha256 differs, or -1. */
int digest_find_mismatch(const struct purgatory_params *params);

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
