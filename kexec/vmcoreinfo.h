/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMCOREINFO: the text a kernel built with CONFIG_VMCORE_INFO publishes
 * about itself for dump tools ("OSRELEASE=6.12.57\nPAGESIZE=4096\n
 * SYMBOL(prb)=ffffffff...\nOFFSET(prb_desc.state_var)=0\n..."), in an
 * ELF note named "VMCOREINFO" on a page of its own memory
 * (kernel/vmcore_info.c).
 *
 * Parsing keeps only what reading the printk ring needs: where the
 * kernel's image lies (phys_base, KERNELOFFSET), its page tables
 * (init_top_pgt, 5-level paging, the SME mask), and every size and
 * offset of the lockless printk ring (kernel/printk/printk.c's
 * log_buf_vmcoreinfo_setup, 5.10 and later).  Pure: no I/O.
 */
#ifndef KEXEC_VMCOREINFO_H
#define KEXEC_VMCOREINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem-view.h"

/* The note's text fits a page (VMCOREINFO_BYTES is PAGE_SIZE). */
#define VMCOREINFO_TEXT_MAX 4096

/* Offsets and sizes of the printk ring's structures, all from the text. */
struct prb_layout {
	uint64_t prb_va;			/* SYMBOL(prb): a pointer to the ring */
	uint64_t rb_desc_ring, rb_text_data_ring;	/* in struct printk_ringbuffer */
	uint64_t dr_count_bits, dr_descs, dr_infos, dr_head_id, dr_tail_id;	/* prb_desc_ring */
	uint64_t desc_size, desc_state_var, desc_text_blk_lpos;		/* prb_desc */
	uint64_t lpos_begin, lpos_next;				/* prb_data_blk_lpos */
	uint64_t info_size, info_seq, info_ts_nsec, info_text_len, info_caller_id;
	uint64_t data_size_bits, data_data, data_head_lpos, data_tail_lpos;	/* prb_data_ring */
	uint64_t atomic_long_size, atomic_long_counter;
};

struct vmcoreinfo {
	char osrelease[65];
	uint64_t page_size;
	int64_t phys_base;		/* NUMBER(phys_base) */
	uint64_t kernel_offset;		/* KERNELOFFSET: the KASLR shift of the image */
	uint64_t init_top_pgt_va;	/* SYMBOL(init_top_pgt) */
	bool pgtable_l5;		/* NUMBER(pgtable_l5_enabled) */
	uint64_t sme_mask;		/* NUMBER(sme_mask), 0 if absent */
	uint64_t init_uts_ns_va;	/* SYMBOL(init_uts_ns), 0 if absent */
	uint64_t uts_name_off;		/* OFFSET(uts_namespace.name) */
	bool have_uts;
	struct prb_layout prb;
};

/*
 * Parse the note's text (len bytes, need not end in NUL).  0, or -1 with
 * why: the first key missing or malformed ("no SYMBOL(prb): ...").  A
 * kernel older than 5.10 (SYMBOL(log_buf), no prb) is named as such.
 */
int vmcoreinfo_parse(const char *text, size_t len, struct vmcoreinfo *out,
		     char *why, size_t why_size);

/*
 * Look for the VMCOREINFO note at the start of every page (the kernel
 * allocates it with alloc_pages_exact) of v's ranges, from physical
 * address from on.  A note is its ELF header (namesz 11, descsz up to a
 * page, type 0), the name "VMCOREINFO" and text that starts
 * "OSRELEASE=".  0 with the first one's text (NUL ended, in
 * VMCOREINFO_TEXT_MAX + 1 bytes) and address; -1 when there is none.
 * Call again from *note_addr + page to find the next (an earlier kernel
 * may have left its own in this memory).  *pages_probed grows by the
 * pages looked at (the scan's cost).
 */
int vmcoreinfo_find(struct mem_view *v, uint64_t from, char *text, uint64_t *note_addr,
		    uint64_t *pages_probed);

#endif /* KEXEC_VMCOREINFO_H */
