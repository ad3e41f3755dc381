// SPDX-License-Identifier: GPL-2.0-only
/*
 * The seed of fuzz-kmemlog (make-corpus.sh): a valid input, so the fuzzer
 * starts from page tables and a printk ring that decode.  Byte 0 = 1 (the
 * harness's valid VMCOREINFO), then the memory the harness lays out from
 * BASE + 0x1000: 4-level tables mapping the image (va 0xffffffff81000000)
 * at BASE through a 2 MiB page; at BASE + 0xc000 (SYMBOL(prb)) the
 * pointer to a ring of 4 descriptors and a 256-byte text ring holding
 * three records, one of them spanning the ring's end.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define BASE 0x20000000ull
#define IMG 0xffffffff81000000ull
static uint8_t mem[0x14000];	/* offsets from BASE */

static void p64(uint64_t off, uint64_t v) { memcpy(mem + off, &v, 8); }

static void record(uint64_t id, uint64_t seq, uint64_t begin, uint64_t next, uint64_t at,
		   const char *text)
{
	uint64_t idx = id & 3;
	uint16_t len = (uint16_t)strlen(text);

	p64(0xd000 + idx * 24, (2ull << 62) | id);		/* finalized */
	p64(0xd000 + idx * 24 + 8, begin);
	p64(0xd000 + idx * 24 + 16, next);
	p64(0xe000 + idx * 88, seq);
	p64(0xe000 + idx * 88 + 8, seq * 1000000);
	memcpy(mem + 0xe000 + idx * 88 + 16, &len, 2);
	mem[0xe000 + idx * 88 + 19] = 6 << 5;
	p64(0xf000 + at, id);
	memcpy(mem + 0xf000 + at + 8, text, len);
}

int main(void)
{
	p64(0x1000 + 511 * 8, BASE + 0x2000 + 0x63);
	p64(0x2000 + 510 * 8, BASE + 0x3000 + 0x63);
	p64(0x3000 + 8 * 8, BASE + 0xe3);
	p64(0xc000, IMG + 0xc100);			/* prb */
	mem[0xc100] = 2;				/* count_bits */
	p64(0xc108, IMG + 0xd000);
	p64(0xc110, IMG + 0xe000);
	p64(0xc118, 102);				/* head_id */
	p64(0xc120, 100);				/* tail_id */
	mem[0xc130] = 8;				/* size_bits */
	p64(0xc138, IMG + 0xf000);
	record(100, 7, 256 + 96, 256 + 200, 96, "Linux version 6.12.57 (a record of 92 bytes of text, padded out to fill)");
	record(101, 8, 256 + 200, 512 + 48, 0, "Run /init as init process, wrapped");
	record(102, 9, 512 + 48, 512 + 88, 48, "Kernel panic - not syncing");
	putchar(1);
	fwrite(mem + 0x1000, 1, 0x7000, stdout);
	fwrite(mem + 0xc000, 1, 0x8000, stdout);
	return 0;
}
