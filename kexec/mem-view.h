/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A view of another kernel's physical memory: the ranges a spawned
 * instance owns, and a way to read bytes inside them.
 *
 * Everything read through it is untrusted (another kernel wrote it, and
 * may have died half way); the decoders that follow its pointers
 * (vmcoreinfo.c, printk-ring.c, the x86-64 page walk) read only through
 * mem_view_read, which refuses any read not wholly inside one of the
 * ranges.  So a corrupt pointer costs a refused read, never a read of the
 * host's memory or of another instance's.
 *
 * Backends: a buffer (tests, fuzzing), /dev/mem mapped range by range,
 * and a recorded image of pages (a --sysroot replay); see
 * multikernel-memory-io.c.
 */
#ifndef KEXEC_MEM_VIEW_H
#define KEXEC_MEM_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MEM_VIEW_MAX_RANGES 4

struct mem_view {
	size_t nr;
	struct { uint64_t start, end; } r[MEM_VIEW_MAX_RANGES];	/* half-open */
	/* Copy len bytes at physical addr (already checked) into buf: 0, or -1. */
	int (*read)(void *ctx, uint64_t addr, void *buf, size_t len);
	void *ctx;
	unsigned long refused;	/* reads refused for leaving the ranges */
};

/* Add [start, end) to the view: 0, or -1 when full or empty. */
int mem_view_add(struct mem_view *v, uint64_t start, uint64_t end);

/* The ranges' total size in bytes. */
uint64_t mem_view_size(const struct mem_view *v);

/* Is [addr, addr + len) inside one range (len 0 never is)? */
bool mem_view_contains(const struct mem_view *v, uint64_t addr, uint64_t len);

/* Read len bytes at addr: 0, or -1 if they leave the ranges or the backend fails. */
int mem_view_read(struct mem_view *v, uint64_t addr, void *buf, size_t len);
int mem_view_read_u64(struct mem_view *v, uint64_t addr, uint64_t *out);
int mem_view_read_u32(struct mem_view *v, uint64_t addr, uint32_t *out);

/*
 * The buffer backend: bytes [0, size) of buf stand at physical base.
 * The view gets that one range (callers may narrow it with their own).
 */
struct mem_view_buf {
	const uint8_t *buf;
	uint64_t base;
	size_t size;
};
void mem_view_buf_init(struct mem_view *v, struct mem_view_buf *b);

#endif /* KEXEC_MEM_VIEW_H */
