// SPDX-License-Identifier: GPL-2.0-only
/*
 * The printk ring's reader (printk-ring.h).  The rules are the kernel's
 * own reader's (printk_ringbuffer.c: desc_read, get_data), applied to
 * memory that may be corrupt or still being written:
 *
 *  - a descriptor counts only when its state word carries the id asked
 *    for and says committed or finalized, before and after its text is
 *    copied (a writer that recycled it meanwhile changes that word);
 *  - text positions (lpos) grow without bound; the ring index is the low
 *    size_bits, the wrap count the rest.  A block lies in one wrap
 *    (begin < next) or, when it would cross the ring's end, starts over
 *    at index 0 with next one wrap after begin;
 *  - each text block starts with its descriptor's id, checked too.
 */
#include <stdio.h>
#include <string.h>

#include "printk-ring.h"

/* Bounds for the ring's two size fields (the kernel's LOG_BUF_LEN_MAX is 1 << 31). */
#define PRB_MAX_SIZE_BITS 31
#define PRB_MAX_COUNT_BITS 31

struct ring {
	uint64_t descs_va, infos_va, data_va;
	unsigned int count_bits, size_bits;
	uint64_t head_id, tail_id;
};

static int rd(const struct prb_reader *r, uint64_t va, void *buf, size_t len)
{
	return r->read(r->ctx, va, buf, len);
}

static int rd64(const struct prb_reader *r, uint64_t va, uint64_t *v)
{
	return rd(r, va, v, sizeof(*v));
}

static int ring_open(const struct prb_layout *l, const struct prb_reader *r, struct ring *g,
		     char *why, size_t why_size)
{
	uint64_t rb, dr, tr;
	uint32_t count_bits, size_bits;

	if (rd64(r, l->prb_va, &rb)) {
		snprintf(why, why_size, "cannot read prb at 0x%llx", (unsigned long long)l->prb_va);
		return -1;
	}
	dr = rb + l->rb_desc_ring;
	tr = rb + l->rb_text_data_ring;
	if (rd(r, dr + l->dr_count_bits, &count_bits, 4) || rd64(r, dr + l->dr_descs, &g->descs_va) ||
	    rd64(r, dr + l->dr_infos, &g->infos_va) ||
	    rd64(r, dr + l->dr_head_id + l->atomic_long_counter, &g->head_id) ||
	    rd64(r, dr + l->dr_tail_id + l->atomic_long_counter, &g->tail_id) ||
	    rd(r, tr + l->data_size_bits, &size_bits, 4) || rd64(r, tr + l->data_data, &g->data_va)) {
		snprintf(why, why_size, "cannot read the printk ring at 0x%llx (prb's target)",
			 (unsigned long long)rb);
		return -1;
	}
	if (count_bits > PRB_MAX_COUNT_BITS || size_bits > PRB_MAX_SIZE_BITS ||
	    size_bits < 4) {
		snprintf(why, why_size, "the printk ring at 0x%llx is corrupt: count_bits %u, "
			 "size_bits %u", (unsigned long long)rb, count_bits, size_bits);
		return -1;
	}
	if ((1ull << count_bits) * (l->desc_size + l->info_size) > r->mem_bytes ||
	    (1ull << size_bits) > r->mem_bytes) {
		snprintf(why, why_size, "the printk ring at 0x%llx is corrupt: %llu descriptors "
			 "and %llu bytes of text do not fit in the kernel's %llu MiB",
			 (unsigned long long)rb, 1ull << count_bits, 1ull << size_bits,
			 (unsigned long long)(r->mem_bytes >> 20));
		return -1;
	}
	g->count_bits = count_bits;
	g->size_bits = size_bits;
	g->head_id &= PRB_SV_ID_MASK;
	g->tail_id &= PRB_SV_ID_MASK;
	return 0;
}

/* get_data(): where the text of [begin, next) lies and how long it is; -1 if invalid. */
static int block_of(const struct ring *g, uint64_t begin, uint64_t next, uint64_t *index,
		    uint64_t *size)
{
	uint64_t ring_size = 1ull << g->size_bits;

	if ((begin & 1) && (next & 1)) {
		if (begin != PRB_LPOS_EMPTY_LINE || next != PRB_LPOS_EMPTY_LINE)
			return -1;	/* the text was lost (FAILED_LPOS) */
		*size = 0;
		*index = UINT64_MAX;	/* an empty line: no block */
		return 0;
	}
	if ((begin >> g->size_bits) == (next >> g->size_bits) && begin < next) {
		*index = begin & (ring_size - 1);
		*size = next - begin;
	} else if (((begin + ring_size) >> g->size_bits) == (next >> g->size_bits)) {
		*index = 0;
		*size = next & (ring_size - 1);
	} else {
		return -1;
	}
	if ((begin | next) & (PRB_BLOCK_ID_SIZE - 1) || *size < PRB_BLOCK_ID_SIZE ||
	    *size > ring_size - *index)
		return -1;
	*size -= PRB_BLOCK_ID_SIZE;
	return 0;
}

/*
 * printk_info's facility and level: the two bytes after text_len, when
 * the layout puts them there.  u16 text_len; u8 facility; u8 flags:5,
 * level:3; u32 caller_id (printk_ringbuffer.h; bit-fields fill a byte
 * from its low bit on x86-64, so the level is the top three bits).
 */
static void info_level(const struct prb_layout *l, const struct prb_reader *r, uint64_t info,
		       struct printk_record *rec)
{
	uint8_t b[2];

	rec->level = rec->facility = -1;
	if (l->info_caller_id != l->info_text_len + 4 || rd(r, info + l->info_text_len + 2, b, 2))
		return;
	rec->facility = b[0];
	rec->level = b[1] >> 5;
}

enum one_result { ONE_OK, ONE_IN_FLIGHT, ONE_REUSABLE, ONE_BAD, ONE_UNREADABLE };

static enum one_result read_one(const struct prb_layout *l, const struct prb_reader *r,
				const struct ring *g, uint64_t id, struct printk_record *rec)
{
	uint64_t idx = id & ((1ull << g->count_bits) - 1);
	uint64_t desc = g->descs_va + idx * l->desc_size;
	uint64_t info = g->infos_va + idx * l->info_size;
	uint64_t sv_va = desc + l->desc_state_var + l->atomic_long_counter;
	uint64_t sv, sv2, begin, next, bindex, bsize, block_id;
	uint16_t text_len;
	unsigned int state;
	size_t n;

	if (rd64(r, sv_va, &sv))
		return ONE_UNREADABLE;
	state = (unsigned int)(sv >> PRB_SV_STATE_SHIFT);
	if ((sv & PRB_SV_ID_MASK) != id)
		return ONE_BAD;
	if (state == PRB_RESERVED)
		return ONE_IN_FLIGHT;
	if (state == PRB_REUSABLE)
		return ONE_REUSABLE;
	if (rd64(r, desc + l->desc_text_blk_lpos + l->lpos_begin, &begin) ||
	    rd64(r, desc + l->desc_text_blk_lpos + l->lpos_next, &next) ||
	    rd64(r, info + l->info_seq, &rec->seq) || rd64(r, info + l->info_ts_nsec, &rec->ts_nsec) ||
	    rd(r, info + l->info_text_len, &text_len, 2) ||
	    rd(r, info + l->info_caller_id, &rec->caller_id, 4))
		return ONE_UNREADABLE;
	if (block_of(g, begin, next, &bindex, &bsize))
		return ONE_BAD;
	n = text_len < bsize ? text_len : (size_t)bsize;
	rec->truncated = n > PRINTK_TEXT_MAX;
	if (rec->truncated)
		n = PRINTK_TEXT_MAX;
	if (bindex != UINT64_MAX) {
		if (rd64(r, g->data_va + bindex, &block_id))
			return ONE_UNREADABLE;
		if ((block_id & PRB_SV_ID_MASK) != id)
			return ONE_BAD;
		if (n && rd(r, g->data_va + bindex + PRB_BLOCK_ID_SIZE, rec->text, n))
			return ONE_UNREADABLE;
	}
	rec->text[n] = '\0';
	rec->text_len = n;
	info_level(l, r, info, rec);
	/* A writer that took the descriptor meanwhile changed its state word. */
	if (rd64(r, sv_va, &sv2))
		return ONE_UNREADABLE;
	return sv2 == sv ? ONE_OK : ONE_REUSABLE;
}

int prb_walk(const struct prb_layout *l, const struct prb_reader *r, uint64_t min_seq,
	     prb_record_fn fn, void *ctx, struct prb_stats *st, char *why, size_t why_size)
{
	static struct printk_record rec;
	struct ring g;
	uint64_t count, span, id;

	memset(st, 0, sizeof(*st));
	if (ring_open(l, r, &g, why, why_size))
		return -1;
	count = 1ull << g.count_bits;
	st->data_size = 1ull << g.size_bits;
	st->descs = count;
	/* tail to head, never more than the ring holds (a corrupt tail_id cannot make us loop) */
	span = (g.head_id - g.tail_id) & PRB_SV_ID_MASK;
	if (span >= count)
		span = count - 1;
	id = (g.head_id - span) & PRB_SV_ID_MASK;
	for (uint64_t i = 0; i <= span; i++, id = (id + 1) & PRB_SV_ID_MASK) {
		int stop;

		switch (read_one(l, r, &g, id, &rec)) {
		case ONE_OK:
			break;
		case ONE_IN_FLIGHT: st->in_flight++; continue;
		case ONE_REUSABLE: st->reusable++; continue;
		case ONE_BAD: st->bad++; continue;
		case ONE_UNREADABLE: st->unreadable++; continue;
		}
		if (!st->have_newest || rec.seq > st->newest_seq)
			st->newest_seq = rec.seq;
		st->have_newest = true;
		if (rec.seq < min_seq)
			continue;
		st->records++;
		stop = fn(ctx, &rec);
		if (stop)
			return stop;
	}
	return 0;
}
