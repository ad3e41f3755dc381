// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prb-sim.h"

const char prb_sim_vmcoreinfo[] =
	"OSRELEASE=6.12.57+deb13-amd64\n"
	"BUILD-ID=0123456789abcdef0123456789abcdef01234567\n"
	"PAGESIZE=4096\n"
	"SYMBOL(init_uts_ns)=ffffffff83a1c2a0\n"
	"OFFSET(uts_namespace.name)=0\n"
	"SYMBOL(prb)=ffff888020000000\n"
	"SYMBOL(printk_rb_static)=ffffffff83c6e4c0\n"
	"SYMBOL(clear_seq)=ffffffff84c33720\n"
	"SIZE(printk_ringbuffer)=88\n"
	"OFFSET(printk_ringbuffer.desc_ring)=0\n"
	"OFFSET(printk_ringbuffer.text_data_ring)=48\n"
	"OFFSET(printk_ringbuffer.fail)=80\n"
	"SIZE(prb_desc_ring)=48\n"
	"OFFSET(prb_desc_ring.count_bits)=0\n"
	"OFFSET(prb_desc_ring.descs)=8\n"
	"OFFSET(prb_desc_ring.infos)=16\n"
	"OFFSET(prb_desc_ring.head_id)=24\n"
	"OFFSET(prb_desc_ring.tail_id)=32\n"
	"SIZE(prb_desc)=24\n"
	"OFFSET(prb_desc.state_var)=0\n"
	"OFFSET(prb_desc.text_blk_lpos)=8\n"
	"SIZE(prb_data_blk_lpos)=16\n"
	"OFFSET(prb_data_blk_lpos.begin)=0\n"
	"OFFSET(prb_data_blk_lpos.next)=8\n"
	"SIZE(printk_info)=88\n"
	"OFFSET(printk_info.seq)=0\n"
	"OFFSET(printk_info.ts_nsec)=8\n"
	"OFFSET(printk_info.text_len)=16\n"
	"OFFSET(printk_info.caller_id)=20\n"
	"OFFSET(printk_info.dev_info)=24\n"
	"SIZE(prb_data_ring)=32\n"
	"OFFSET(prb_data_ring.size_bits)=0\n"
	"OFFSET(prb_data_ring.data)=8\n"
	"OFFSET(prb_data_ring.head_lpos)=16\n"
	"OFFSET(prb_data_ring.tail_lpos)=24\n"
	"SIZE(atomic_long_t)=8\n"
	"OFFSET(atomic_long_t.counter)=0\n"
	"SIZE(latched_seq)=24\n"
	"OFFSET(latched_seq.val)=8\n"
	"NUMBER(phys_base)=-16777216\n"
	"SYMBOL(init_top_pgt)=ffffffff82c3a000\n"
	"NUMBER(pgtable_l5_enabled)=0\n"
	"KERNELOFFSET=1000000\n"
	"NUMBER(KERNEL_IMAGE_SIZE)=1073741824\n"
	"NUMBER(sme_mask)=0\n";

static void put(uint8_t *mem, uint64_t off, const void *v, size_t len)
{
	if (off > SIM_SIZE || len > SIM_SIZE - off)
		abort();
	memcpy(mem + off, v, len);
}

static void put64(uint8_t *mem, uint64_t off, uint64_t v)
{
	put(mem, off, &v, 8);
}

size_t prb_sim_desc(const struct prb_sim *s, uint64_t id)
{
	return SIM_DESCS + (id & ((1ull << s->count_bits) - 1)) * s->l.desc_size;
}

size_t prb_sim_info(const struct prb_sim *s, uint64_t id)
{
	return SIM_INFOS + (id & ((1ull << s->count_bits) - 1)) * s->l.info_size;
}

static void sync_ids(struct prb_sim *s)
{
	put64(s->mem, SIM_RING + s->l.dr_head_id, s->head_id);
	put64(s->mem, SIM_RING + s->l.dr_tail_id, s->tail_id);
	put64(s->mem, SIM_RING + s->l.rb_text_data_ring + s->l.data_head_lpos, s->head_lpos);
}

void prb_sim_set_state(struct prb_sim *s, uint64_t id, unsigned int state)
{
	put64(s->mem, prb_sim_desc(s, id), ((uint64_t)state << PRB_SV_STATE_SHIFT) | id);
}

void prb_sim_init(struct prb_sim *s, uint8_t *mem, unsigned int count_bits, unsigned int size_bits)
{
	struct vmcoreinfo vi;
	char why[256];
	uint32_t v;

	memset(s, 0, sizeof(*s));
	memset(mem, 0, SIM_SIZE);
	if (vmcoreinfo_parse(prb_sim_vmcoreinfo, strlen(prb_sim_vmcoreinfo), &vi, why, sizeof(why)))
		abort();
	s->l = vi.prb;
	s->mem = mem;
	s->count_bits = count_bits;
	s->size_bits = size_bits;
	if ((1ull << count_bits) * s->l.info_size > SIM_DATA - SIM_INFOS ||
	    (1ull << size_bits) > SIM_SIZE - SIM_DATA)
		abort();
	put64(mem, SIM_PRB, SIM_VA + SIM_RING);
	v = count_bits;
	put(mem, SIM_RING + s->l.dr_count_bits, &v, 4);
	put64(mem, SIM_RING + s->l.dr_descs, SIM_VA + SIM_DESCS);
	put64(mem, SIM_RING + s->l.dr_infos, SIM_VA + SIM_INFOS);
	v = size_bits;
	put(mem, SIM_RING + s->l.rb_text_data_ring + s->l.data_size_bits, &v, 4);
	put64(mem, SIM_RING + s->l.rb_text_data_ring + s->l.data_data, SIM_VA + SIM_DATA);
	/* DESC0_ID: the placeholder the kernel starts with, reusable, no text. */
	s->head_id = s->tail_id = (0 - ((1ull << count_bits) + 1)) & PRB_SV_ID_MASK;
	prb_sim_set_state(s, s->head_id, PRB_REUSABLE);
	put64(mem, prb_sim_desc(s, s->head_id) + 8, 1);		/* FAILED_LPOS */
	put64(mem, prb_sim_desc(s, s->head_id) + 16, 1);
	s->head_lpos = 0 - (1ull << size_bits);			/* BLK0_LPOS */
	sync_ids(s);
}

/* The oldest descriptor goes (reusable, the tail moves past it). */
static void drop_tail(struct prb_sim *s)
{
	prb_sim_set_state(s, s->tail_id, PRB_REUSABLE);
	s->tail_id = (s->tail_id + 1) & PRB_SV_ID_MASK;
}

uint64_t prb_sim_append(struct prb_sim *s, const char *text, unsigned int state, int level)
{
	uint64_t ring = 1ull << s->size_bits, mask = ring - 1;
	uint64_t len = strlen(text), size = (8 + len + 7) & ~7ull;
	uint64_t id = (s->head_id + 1) & PRB_SV_ID_MASK, begin = s->head_lpos, next, at;
	uint16_t tl = (uint16_t)len;
	uint8_t lv = (uint8_t)(level << 5);
	size_t info = prb_sim_info(s, id);

	if (size > ring)
		abort();
	if ((begin & mask) + size > ring) {	/* starts over at index 0 */
		next = (begin - (begin & mask)) + ring + size;
		at = 0;
		s->wrapped++;
		if (ring - (begin & mask) >= 8)
			put64(s->mem, SIM_DATA + (begin & mask), id);
	} else {
		next = begin + size;
		at = begin & mask;
	}
	/* Free the slot (descriptor count) and the text space the new record needs. */
	while (((id - s->tail_id) & PRB_SV_ID_MASK) >= (1ull << s->count_bits))
		drop_tail(s);
	while (s->tail_id != id) {
		uint64_t tb;

		memcpy(&tb, s->mem + prb_sim_desc(s, s->tail_id) + 8, 8);
		if ((tb & 1) || (int64_t)(tb - (next - ring)) >= 0)
			break;
		drop_tail(s);
	}
	put64(s->mem, SIM_DATA + at, id);
	put(s->mem, SIM_DATA + at + 8, text, len);
	put64(s->mem, prb_sim_desc(s, id) + s->l.desc_text_blk_lpos + s->l.lpos_begin, begin);
	put64(s->mem, prb_sim_desc(s, id) + s->l.desc_text_blk_lpos + s->l.lpos_next, next);
	put64(s->mem, info + s->l.info_seq, s->seq);
	put64(s->mem, info + s->l.info_ts_nsec, 1000000ull * s->seq + 123456);
	put(s->mem, info + s->l.info_text_len, &tl, 2);
	put(s->mem, info + s->l.info_text_len + 2, &s->facility, 1);
	put(s->mem, info + s->l.info_text_len + 3, &lv, 1);
	put(s->mem, info + s->l.info_caller_id, &(uint32_t){ 0x80000001u }, 4);
	prb_sim_set_state(s, id, state);
	s->seq++;
	s->head_id = id;
	s->head_lpos = next;
	sync_ids(s);
	return id;
}

int prb_sim_read(void *ctx, uint64_t va, void *buf, size_t len)
{
	struct prb_sim_reader *r = ctx;

	if (va < SIM_VA || va - SIM_VA > SIM_SIZE || len > SIM_SIZE - (va - SIM_VA)) {
		r->refused++;
		return -1;
	}
	memcpy(buf, r->mem + (va - SIM_VA), len);
	return 0;
}
