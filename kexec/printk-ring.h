/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Another kernel's printk log, decoded from its lockless ring buffer
 * (Linux 5.10 and later; kernel/printk/printk_ringbuffer.h): a ring of
 * descriptors (state and id in one word, the text's logical positions),
 * a parallel array of printk_info (sequence number, timestamp, length),
 * and a ring of text blocks, each led by its descriptor's id.
 *
 * Every offset and structure size comes from the kernel's VMCOREINFO
 * (struct prb_layout); what VMCOREINFO cannot say is the format's own
 * constants, named below with the header they come from.  Reads go
 * through a callback that translates the kernel's virtual addresses and
 * refuses anything outside its memory (kernel-vtop.c over a mem_view);
 * every id, index and length read is checked before it is used, so a
 * corrupt ring costs records, never a read elsewhere.  Pure but for those
 * reads.
 */
#ifndef KEXEC_PRINTK_RING_H
#define KEXEC_PRINTK_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmcoreinfo.h"

/* The format's constants (printk_ringbuffer.h), which VMCOREINFO does not carry. */
#define PRB_SV_STATE_SHIFT	62			/* DESC_FLAGS_SHIFT: BITS_PER_LONG - 2 */
#define PRB_SV_ID_MASK		((1ull << PRB_SV_STATE_SHIFT) - 1)	/* DESC_ID_MASK */
#define PRB_LPOS_EMPTY_LINE	0x3ull			/* EMPTY_LINE_LPOS */
#define PRB_BLOCK_ID_SIZE	8			/* prb_data_block.id: unsigned long */

enum prb_desc_state {
	PRB_RESERVED = 0,	/* a writer is filling it: text incomplete */
	PRB_COMMITTED = 1,	/* complete, may still be extended (a continuation line) */
	PRB_FINALIZED = 2,	/* complete */
	PRB_REUSABLE = 3,	/* its text may already be overwritten */
};

/* The biggest record text kept; the kernel's own limit is 1024 (PRINTKRB_RECORD_MAX). */
#define PRINTK_TEXT_MAX 2048

struct printk_record {
	uint64_t seq;
	uint64_t ts_nsec;
	uint32_t caller_id;
	int level;		/* 0-7, or -1: the layout does not place it */
	int facility;		/* 0-255 (syslog's: 0 kern, 1 user...), or -1 as level */
	size_t text_len;
	bool truncated;		/* the text was longer than PRINTK_TEXT_MAX */
	char text[PRINTK_TEXT_MAX + 1];	/* NUL ended; may hold newlines */
};

/* Reads from the kernel's virtual address space: 0, or -1. */
struct prb_reader {
	int (*read)(void *ctx, uint64_t va, void *buf, size_t len);
	void *ctx;
	/*
	 * How much memory the kernel has (its ranges' total): a ring whose
	 * descriptors, infos or text would not fit in it is corrupt, and is
	 * refused before a walk of up to 2^31 descriptors begins.
	 */
	uint64_t mem_bytes;
};

/* What one pass over the ring saw. */
struct prb_stats {
	unsigned long records;		/* handed to the callback */
	unsigned long in_flight;	/* reserved: a writer was mid-way */
	unsigned long reusable;		/* given up by the ring */
	unsigned long bad;		/* id, position or block that did not check out */
	unsigned long unreadable;	/* a read refused or failed */
	uint64_t data_size;		/* the text ring's size, bytes */
	uint64_t descs;			/* descriptors in the ring */
	/*
	 * The newest complete record's seq, below min_seq or not: a follower
	 * whose next seq is past it by more than one sees a ring that started
	 * over, another kernel's (multikernel-dmesg.c).
	 */
	uint64_t newest_seq;
	bool have_newest;
};

/* Return nonzero to stop the walk (prb_walk then returns that value). */
typedef int (*prb_record_fn)(void *ctx, const struct printk_record *rec);

/*
 * Walk the ring from its oldest descriptor (tail_id) to its newest
 * (head_id), handing each complete record with seq >= min_seq to fn, in
 * order.  0 when the ring was walked; -1 with why when the ring itself
 * (prb, its two rings' headers) cannot be read or is out of bounds;
 * fn's nonzero value when it stopped the walk.
 */
int prb_walk(const struct prb_layout *l, const struct prb_reader *r, uint64_t min_seq,
	     prb_record_fn fn, void *ctx, struct prb_stats *st, char *why, size_t why_size);

#endif /* KEXEC_PRINTK_RING_H */
