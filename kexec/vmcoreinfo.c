// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VMCOREINFO text, key by key (vmcoreinfo.h), and the note that
 * holds it.  The keys' spelling is the kernel's macros': SYMBOL(x) and
 * KERNELOFFSET in hex, NUMBER, SIZE, OFFSET and PAGESIZE in decimal
 * (include/linux/vmcore_info.h, kernel/vmcore_info.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmcoreinfo.h"

#define NOTE_NAME "VMCOREINFO"
#define NOTE_NAMESZ 11			/* strlen + NUL */
#define NOTE_DESC_OFF (12 + 12)		/* Elf64_Nhdr, then the name padded to 4 */
#define PAGE 4096ull			/* x86-64's only base page size */

enum vi_kind { VI_HEX, VI_DEC, VI_SDEC };

struct vi_key {
	const char *key;
	size_t off;			/* into struct vmcoreinfo */
	enum vi_kind kind;
	bool optional;
};

#define F(f) offsetof(struct vmcoreinfo, f)
#define P(f) (offsetof(struct vmcoreinfo, prb) + offsetof(struct prb_layout, f))

static const struct vi_key keys[] = {
	{ "PAGESIZE", F(page_size), VI_DEC, false },
	{ "NUMBER(phys_base)", F(phys_base), VI_SDEC, false },
	{ "KERNELOFFSET", F(kernel_offset), VI_HEX, false },
	{ "SYMBOL(init_top_pgt)", F(init_top_pgt_va), VI_HEX, false },
	{ "NUMBER(sme_mask)", F(sme_mask), VI_DEC, true },
	{ "SYMBOL(init_uts_ns)", F(init_uts_ns_va), VI_HEX, true },
	{ "OFFSET(uts_namespace.name)", F(uts_name_off), VI_DEC, true },
	{ "SYMBOL(prb)", P(prb_va), VI_HEX, false },
	{ "OFFSET(printk_ringbuffer.desc_ring)", P(rb_desc_ring), VI_DEC, false },
	{ "OFFSET(printk_ringbuffer.text_data_ring)", P(rb_text_data_ring), VI_DEC, false },
	{ "OFFSET(prb_desc_ring.count_bits)", P(dr_count_bits), VI_DEC, false },
	{ "OFFSET(prb_desc_ring.descs)", P(dr_descs), VI_DEC, false },
	{ "OFFSET(prb_desc_ring.infos)", P(dr_infos), VI_DEC, false },
	{ "OFFSET(prb_desc_ring.head_id)", P(dr_head_id), VI_DEC, false },
	{ "OFFSET(prb_desc_ring.tail_id)", P(dr_tail_id), VI_DEC, false },
	{ "SIZE(prb_desc)", P(desc_size), VI_DEC, false },
	{ "OFFSET(prb_desc.state_var)", P(desc_state_var), VI_DEC, false },
	{ "OFFSET(prb_desc.text_blk_lpos)", P(desc_text_blk_lpos), VI_DEC, false },
	{ "OFFSET(prb_data_blk_lpos.begin)", P(lpos_begin), VI_DEC, false },
	{ "OFFSET(prb_data_blk_lpos.next)", P(lpos_next), VI_DEC, false },
	{ "SIZE(printk_info)", P(info_size), VI_DEC, false },
	{ "OFFSET(printk_info.seq)", P(info_seq), VI_DEC, false },
	{ "OFFSET(printk_info.ts_nsec)", P(info_ts_nsec), VI_DEC, false },
	{ "OFFSET(printk_info.text_len)", P(info_text_len), VI_DEC, false },
	{ "OFFSET(printk_info.caller_id)", P(info_caller_id), VI_DEC, false },
	{ "OFFSET(prb_data_ring.size_bits)", P(data_size_bits), VI_DEC, false },
	{ "OFFSET(prb_data_ring.data)", P(data_data), VI_DEC, false },
	{ "OFFSET(prb_data_ring.head_lpos)", P(data_head_lpos), VI_DEC, false },
	{ "OFFSET(prb_data_ring.tail_lpos)", P(data_tail_lpos), VI_DEC, false },
	{ "SIZE(atomic_long_t)", P(atomic_long_size), VI_DEC, false },
	{ "OFFSET(atomic_long_t.counter)", P(atomic_long_counter), VI_DEC, false },
};

/* The value of "key=" at the start of a line, as a NUL-ended copy; NULL if absent. */
static const char *find_value(const char *text, size_t len, const char *key, char *val,
			      size_t val_size)
{
	size_t klen = strlen(key);

	for (size_t i = 0; i < len; ) {
		const char *line = text + i;
		const char *nl = memchr(line, '\n', len - i);
		size_t llen = nl ? (size_t)(nl - line) : len - i;

		if (llen > klen && memcmp(line, key, klen) == 0 && line[klen] == '=') {
			size_t vlen = llen - klen - 1;

			if (vlen >= val_size)
				vlen = val_size - 1;
			memcpy(val, line + klen + 1, vlen);
			val[vlen] = '\0';
			return val;
		}
		i += llen + 1;
	}
	return NULL;
}

/* One number, the whole value, in its kind's base; no sign unless VI_SDEC. */
static int parse_number(const char *val, enum vi_kind kind, uint64_t *out)
{
	const char *p = val;
	char *end;

	if (kind == VI_SDEC && *p == '-')
		p++;
	if (!*p || !((*p >= '0' && *p <= '9') || (kind == VI_HEX && strchr("abcdefABCDEF", *p))))
		return -1;
	if (kind == VI_SDEC) {
		long long s = strtoll(val, &end, 10);

		*out = (uint64_t)s;
	} else {
		*out = strtoull(val, &end, kind == VI_HEX ? 16 : 10);
	}
	return *end ? -1 : 0;
}

/* Does a field of fsize bytes at off fit in a structure of ssize bytes? */
static bool fits(uint64_t off, uint64_t fsize, uint64_t ssize)
{
	return off <= ssize && fsize <= ssize - off;
}

/* Sizes the decoder relies on: each field inside its structure, as read. */
static int check_layout(const struct prb_layout *l, char *why, size_t why_size)
{
	const char *bad = NULL;

	if (l->atomic_long_size != 8 || !fits(l->atomic_long_counter, 8, 8))
		bad = "atomic_long_t is not one 64-bit word";
	else if (l->desc_size > PAGE || !fits(l->desc_state_var, 8, l->desc_size) ||
		 !fits(l->desc_text_blk_lpos + l->lpos_begin, 8, l->desc_size) ||
		 !fits(l->desc_text_blk_lpos + l->lpos_next, 8, l->desc_size))
		bad = "prb_desc's fields do not fit in SIZE(prb_desc)";
	else if (l->info_size > PAGE || !fits(l->info_seq, 8, l->info_size) ||
		 !fits(l->info_ts_nsec, 8, l->info_size) || !fits(l->info_text_len, 2, l->info_size) ||
		 !fits(l->info_caller_id, 4, l->info_size))
		bad = "printk_info's fields do not fit in SIZE(printk_info)";
	else if (l->rb_desc_ring > PAGE || l->rb_text_data_ring > PAGE || l->dr_count_bits > PAGE ||
		 l->dr_descs > PAGE || l->dr_infos > PAGE || l->dr_head_id > PAGE ||
		 l->dr_tail_id > PAGE || l->data_size_bits > PAGE || l->data_data > PAGE ||
		 l->data_head_lpos > PAGE || l->data_tail_lpos > PAGE)
		bad = "a printk_ringbuffer offset is beyond a page";
	if (!bad)
		return 0;
	snprintf(why, why_size, "unknown printk ring layout: %s", bad);
	return -1;
}

int vmcoreinfo_parse(const char *text, size_t len, struct vmcoreinfo *out,
		     char *why, size_t why_size)
{
	char val[80];

	memset(out, 0, sizeof(*out));
	if (!find_value(text, len, "OSRELEASE", out->osrelease, sizeof(out->osrelease))) {
		snprintf(why, why_size, "no OSRELEASE line: not VMCOREINFO text");
		return -1;
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		uint64_t v;

		if (!find_value(text, len, keys[i].key, val, sizeof(val))) {
			if (keys[i].optional)
				continue;
			if (strcmp(keys[i].key, "SYMBOL(prb)") == 0 &&
			    find_value(text, len, "SYMBOL(log_buf)", val, sizeof(val)))
				snprintf(why, why_size, "kernel %s keeps its log in the ring of "
					 "kernels before 5.10 (SYMBOL(log_buf), no SYMBOL(prb)), "
					 "which this kexec does not decode", out->osrelease);
			else
				snprintf(why, why_size, "kernel %s: no %s line in its VMCOREINFO",
					 out->osrelease, keys[i].key);
			return -1;
		}
		if (parse_number(val, keys[i].kind, &v)) {
			snprintf(why, why_size, "kernel %s: %s='%s' is not a number", out->osrelease,
				 keys[i].key, val);
			return -1;
		}
		memcpy((char *)out + keys[i].off, &v, sizeof(v));
	}
	/* 1 on 5-level paging, 0 on 4-level (machine_kexec_64.c prints it with %d). */
	if (!find_value(text, len, "NUMBER(pgtable_l5_enabled)", val, sizeof(val)) ||
	    (strcmp(val, "0") && strcmp(val, "1"))) {
		snprintf(why, why_size, "kernel %s: no NUMBER(pgtable_l5_enabled)=0 or 1 line",
			 out->osrelease);
		return -1;
	}
	out->pgtable_l5 = val[0] == '1';
	out->have_uts = out->init_uts_ns_va != 0;
	if (out->page_size != PAGE) {
		snprintf(why, why_size, "kernel %s: PAGESIZE=%llu, not x86-64's 4096",
			 out->osrelease, (unsigned long long)out->page_size);
		return -1;
	}
	return check_layout(&out->prb, why, why_size);
}

/* Is the page at addr the start of a VMCOREINFO note?  Fills text if so. */
static bool note_at(struct mem_view *v, uint64_t addr, char *text)
{
	uint8_t head[NOTE_DESC_OFF + 10];
	uint32_t namesz, descsz, type;

	/* The first word alone rules out nearly every page: one read each. */
	if (mem_view_read(v, addr, &namesz, 4) || namesz != NOTE_NAMESZ ||
	    mem_view_read(v, addr, head, sizeof(head)))
		return false;
	memcpy(&namesz, head, 4);
	memcpy(&descsz, head + 4, 4);
	memcpy(&type, head + 8, 4);
	if (namesz != NOTE_NAMESZ || type != 0 || descsz < 10 || descsz > VMCOREINFO_TEXT_MAX ||
	    memcmp(head + 12, NOTE_NAME, NOTE_NAMESZ) != 0 ||
	    memcmp(head + NOTE_DESC_OFF, "OSRELEASE=", 10) != 0)
		return false;
	if (mem_view_read(v, addr + NOTE_DESC_OFF, text, descsz))
		return false;
	text[descsz] = '\0';
	return true;
}

int vmcoreinfo_find(struct mem_view *v, uint64_t from, char *text, uint64_t *note_addr,
		    uint64_t *pages_probed)
{
	for (size_t i = 0; i < v->nr; i++) {
		uint64_t a = (v->r[i].start + PAGE - 1) & ~(PAGE - 1);

		if (a < from)
			a = (from + PAGE - 1) & ~(PAGE - 1);
		for (; a < v->r[i].end && v->r[i].end - a >= NOTE_DESC_OFF + 10; a += PAGE) {
			(*pages_probed)++;
			if (note_at(v, a, text)) {
				*note_addr = a;
				return 0;
			}
		}
	}
	return -1;
}
