// SPDX-License-Identifier: GPL-2.0-only
/*
 * A spawned kernel's log read from its memory (issue 20): random memory in
 * two ranges with a hole between them, behind either a valid VMCOREINFO
 * note (Debian 6.12's printk layout, its page tables and prb inside the
 * memory) or whatever note and text the input holds.  The whole reader
 * runs: the note's scan, its parse, the page walk, the ring's walk.
 * Invariant: the memory backend is never asked for a byte outside the two
 * ranges (checked here, independently of mem_view's own check), every
 * record handed out is NUL-ended within its length, and a walk ends; the
 * records then fed to boot-signs.c keep its lines bounded and ended, and
 * --decode's and --raw's prefixes of each (multikernel-log.c) fit and end.
 */
#include <stdlib.h>
#include <string.h>

#include "boot-signs.h"
#include "fuzz-common.h"
#include "kernel-vtop.h"
#include "multikernel-log.h"
#include "printk-ring.h"
#include "vmcoreinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BASE 0x20000000ull
#define RANGE_SIZE 0x8000u	/* each of the two ranges: 8 pages */
#define HOLE 0x4000u		/* between them, never to be read */

static uint8_t mem[2 * RANGE_SIZE + HOLE];

static int backend(void *ctx, uint64_t addr, void *buf, size_t len)
{
	bool in_first = addr >= BASE && addr + len <= BASE + RANGE_SIZE;
	bool in_second = addr >= BASE + RANGE_SIZE + HOLE &&
			 addr + len <= BASE + 2 * RANGE_SIZE + HOLE;

	(void)ctx;
	FUZZ_ASSERT(len > 0 && addr + len > addr && (in_first || in_second),
		    "read of %zu bytes at 0x%llx leaves the ranges", len, (unsigned long long)addr);
	memcpy(buf, mem + (addr - BASE), len);
	return 0;
}

static int vread(void *ctx, uint64_t va, void *buf, size_t len)
{
	return kernel_vread(ctx, va, buf, len);
}

/* Every record also goes through boot-signs.c, as a start's watch and --list feed it. */
static int check_record(void *ctx, const struct printk_record *rec)
{
	struct boot_signs *b = ctx;

	FUZZ_ASSERT(rec->text_len <= PRINTK_TEXT_MAX, "text_len %zu", rec->text_len);
	FUZZ_ASSERT(rec->text[rec->text_len] == '\0', "record text not NUL-ended");
	FUZZ_ASSERT(rec->level >= -1 && rec->level <= 7, "level %d", rec->level);
	FUZZ_ASSERT(rec->facility >= -1 && rec->facility <= 255, "facility %d", rec->facility);
	/* The longest: "authpriv:notice: " (17) and "<2047>" (6); a 24-byte buffer holds either. */
	for (int style = DMESG_DECODE; style <= DMESG_RAW; style++) {
		char prefix[24];

		memset(prefix, 'x', sizeof(prefix));
		mk_log_level_prefix(rec, (enum kx_dmesg_style)style, prefix, sizeof(prefix));
		FUZZ_ASSERT(memchr(prefix, '\0', sizeof(prefix) - 1), "prefix does not fit");
	}
	boot_signs_add(b, rec);
	FUZZ_ASSERT(b->nr_panic <= BOOT_PANIC_LINES, "%zu panic lines", b->nr_panic);
	FUZZ_ASSERT(memchr(b->last, '\0', sizeof(b->last)) && memchr(b->init, '\0', sizeof(b->init)),
		    "a boot sign's line is not NUL-ended");
	FUZZ_ASSERT(!b->serial_done || b->serial_driver, "serial done without its driver line");
	return 0;
}

/* The note of a kernel whose image (and init_top_pgt) lies at BASE, its prb in the second range. */
static const char valid_text[] =
	"OSRELEASE=6.12.57+deb13-amd64\nPAGESIZE=4096\n"
	"SYMBOL(prb)=ffffffff8100c000\n"
	"OFFSET(printk_ringbuffer.desc_ring)=0\nOFFSET(printk_ringbuffer.text_data_ring)=48\n"
	"OFFSET(prb_desc_ring.count_bits)=0\nOFFSET(prb_desc_ring.descs)=8\n"
	"OFFSET(prb_desc_ring.infos)=16\nOFFSET(prb_desc_ring.head_id)=24\n"
	"OFFSET(prb_desc_ring.tail_id)=32\nSIZE(prb_desc)=24\nOFFSET(prb_desc.state_var)=0\n"
	"OFFSET(prb_desc.text_blk_lpos)=8\nOFFSET(prb_data_blk_lpos.begin)=0\n"
	"OFFSET(prb_data_blk_lpos.next)=8\nSIZE(printk_info)=88\nOFFSET(printk_info.seq)=0\n"
	"OFFSET(printk_info.ts_nsec)=8\nOFFSET(printk_info.text_len)=16\n"
	"OFFSET(printk_info.caller_id)=20\nOFFSET(prb_data_ring.size_bits)=0\n"
	"OFFSET(prb_data_ring.data)=8\nOFFSET(prb_data_ring.head_lpos)=16\n"
	"OFFSET(prb_data_ring.tail_lpos)=24\nSIZE(atomic_long_t)=8\n"
	"OFFSET(atomic_long_t.counter)=0\nNUMBER(phys_base)=520093696\n"
	"SYMBOL(init_top_pgt)=ffffffff81001000\nNUMBER(pgtable_l5_enabled)=0\n"
	"KERNELOFFSET=0\nNUMBER(sme_mask)=0\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[VMCOREINFO_TEXT_MAX + 1];
	static struct boot_signs signs;
	struct mem_view v = { .read = backend };
	struct prb_reader r = { .read = vread, .mem_bytes = 2 * RANGE_SIZE };
	struct vmcoreinfo vi;
	struct kernel_vtop t;
	struct prb_stats st;
	uint64_t at = 0, probed = 0;
	char why[256];
	bool valid;

	if (size < 1)
		return 0;
	valid = data[0] & 1;
	data++, size--;
	memset(mem, 0, sizeof(mem));
	/* The input fills the first range from its second page, then the second range. */
	if (size > sizeof(mem) - 0x1000 - HOLE)
		size = sizeof(mem) - 0x1000 - HOLE;
	memcpy(mem + 0x1000, data, size < RANGE_SIZE - 0x1000 ? size : RANGE_SIZE - 0x1000);
	if (size > RANGE_SIZE - 0x1000)
		memcpy(mem + RANGE_SIZE + HOLE, data + (RANGE_SIZE - 0x1000),
		       size - (RANGE_SIZE - 0x1000));
	if (valid) {
		uint32_t h[3] = { 11, sizeof(valid_text) - 1, 0 };

		memcpy(mem, h, 12);
		memcpy(mem + 12, "VMCOREINFO\0", 12);
		memcpy(mem + 24, valid_text, sizeof(valid_text) - 1);
	}
	mem_view_add(&v, BASE, BASE + RANGE_SIZE);
	mem_view_add(&v, BASE + RANGE_SIZE + HOLE, BASE + 2 * RANGE_SIZE + HOLE);
	for (uint64_t from = 0; !vmcoreinfo_find(&v, from, text, &at, &probed); from = at + 4096) {
		FUZZ_ASSERT(strlen(text) <= VMCOREINFO_TEXT_MAX, "note text too long");
		if (vmcoreinfo_parse(text, strlen(text), &vi, why, sizeof(why))) {
			FUZZ_ASSERT(why[0], "a refused VMCOREINFO without a reason");
			continue;
		}
		if (kernel_vtop_init(&t, &v, &vi, why, sizeof(why))) {
			FUZZ_ASSERT(why[0], "refused page tables without a reason");
			continue;
		}
		r.ctx = &t;
		memset(&signs, 0, sizeof(signs));
		if (prb_walk(&vi.prb, &r, 0, check_record, &signs, &st, why, sizeof(why)) < 0)
			FUZZ_ASSERT(why[0], "a refused ring without a reason");
		else
			FUZZ_ASSERT(st.records <= st.descs, "%lu records from %llu descriptors",
				    st.records, (unsigned long long)st.descs);
	}
	FUZZ_ASSERT(probed <= 2 * RANGE_SIZE / 4096 + 1, "%llu pages probed",
		    (unsigned long long)probed);
	return 0;
}
