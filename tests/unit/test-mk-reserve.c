/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The reservation planner (--plan-reservation) on hand-written memory maps:
 * each row is a machine (its /proc/iomem, optionally a firmware map and a
 * command line), a request, and either the exact memmap= words or the exit
 * status and a piece of the refusal.  Then the words' three spellings and
 * the GRUB drop-in, as text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "host-facts.h"
#include "iomem.h"
#include "multikernel-memory.h"
#include "multikernel-reserve-print.h"
#include "multikernel-reserve.h"
#include "unit-helpers.h"

/* QEMU's q35 with 1 GiB, the kernel at its default 16 MiB (tests/fixtures/qemu-1g). */
#define LOW_RAM "00000000-00000fff : Reserved\n00001000-0009fbff : System RAM\n" \
		"0009fc00-0009ffff : Reserved\n000f0000-000fffff : Reserved\n"
#define KERNEL_16M "  01000000-015fffff : Kernel code\n  01600000-016cffff : Kernel rodata\n" \
		   "  01800000-018ad43f : Kernel data\n  01960000-019fffff : Kernel bss\n"
#define TOP "3ffe0000-3fffffff : Reserved\nfed00000-fed003ff : HPET 0\n"
#define QEMU_1G LOW_RAM "00100000-3ffdffff : System RAM\n" KERNEL_16M TOP

struct fw { uint64_t start, end; enum mem_type type; };	/* end exclusive */

struct row {
	const char *name;
	const char *iomem;
	const struct fw *fw;		/* NULL: no /sys/firmware/memmap */
	size_t nr_fw;
	const char *cmdline;
	unsigned int n;
	uint64_t size;
	int status;			/* 0, or the refusal's */
	const char *want;		/* the kernel command line's words, or a piece of the refusal */
};

#define M(x) ((uint64_t)(x) << 20)

static const struct fw fw_hole[] = {
	{ 0, 0x9fc00, MEM_RAM },
	{ 0x100000, 0x30000000, MEM_RAM },
	{ 0x30000000, 0x34000000, MEM_RESERVED },	/* iomem says RAM; the firmware does not */
	{ 0x34000000, 0x3ffe0000, MEM_RAM },
};

static const struct row rows[] = {
	{ "fits: two of 256M go as high below 4 GiB as they fit, low memory from 64 KiB",
	  QEMU_1G, NULL, 0, "console=ttyS0", 2, M(256), 0,
	  "memmap=0x60000$0x10000 memmap=512M$0x1fe00000" },
	{ "fits: one of 2M, the smallest size",
	  QEMU_1G, NULL, 0, "", 1, M(2), 0, "memmap=0x30000$0x10000 memmap=2M$0x3fc00000" },
	{ "fits: two of 100M, touching, in one word of 200M",
	  QEMU_1G, NULL, 0, "", 2, M(100), 0, "memmap=0x60000$0x10000 memmap=200M$0x33600000" },
	{ "does not fit: two of 768M in 1 GiB",
	  QEMU_1G, NULL, 0, "", 2, M(768), KX_ENOFIT, "do not fit in this machine's RAM below 4 GiB (room for 1)" },
	{ "does not fit: one bigger than all RAM below 4 GiB",
	  QEMU_1G, NULL, 0, "", 1, M(2048), KX_ENOFIT, "(room for 0)" },
	{ "does not fit: more than 4 GiB asked for",
	  QEMU_1G, NULL, 0, "", 2, M(4096), KX_ENOFIT, "more than the 4 GiB below 4 GiB" },
	{ "does not fit: the host would keep less than 256 MiB below 4 GiB",
	  QEMU_1G, NULL, 0, "", 2, M(384), KX_ENOFIT, "would leave the host 255 MiB of RAM below 4 GiB" },
	{ "overlapping RAM lines (never from a kernel; found by fuzz-iomem): their union, less the ROM line",
	  "00000000-0009fbff : System RAM\n00001000-0008fbff : System ROM\n00099999-3ffdffff : System RAM\n"
	  KERNEL_16M TOP, NULL, 0, "", 1, M(2), 0, "memmap=0x30000$0x90000 memmap=2M$0x3fc00000" },
	{ "holes in RAM: an instance on each side of a reserved range",
	  LOW_RAM "00100000-1fffffff : System RAM\n" KERNEL_16M "20000000-20ffffff : Reserved\n"
	  "21000000-3ffdffff : System RAM\n" TOP, NULL, 0, "", 2, M(256), 0,
	  "memmap=0x60000$0x10000 memmap=256M$0x10000000 memmap=256M$0x2fe00000" },
	{ "holes in the firmware's map: RAM only where both maps say so",
	  QEMU_1G, fw_hole, 4, "", 2, M(256), 0,
	  "memmap=0x60000$0x10000 memmap=512M$0x10000000" },
	{ "holes: more pieces than KASLR steers around (four memmap= words)",
	  "00001000-000fffff : System RAM\n00100000-1fffffff : System RAM\n" KERNEL_16M "20000000-20ffffff : Reserved\n"
	  "21000000-28ffffff : System RAM\n29000000-29ffffff : Reserved\n"
	  "2a000000-31ffffff : System RAM\n32000000-32ffffff : Reserved\n"
	  "33000000-3ffdffff : System RAM\n" TOP, NULL, 0, "", 4, M(128), KX_ENOFIT,
	  "need 5 memmap= ranges" },
	{ "the crash kernel area at the top: the instances go below it",
	  LOW_RAM "00100000-3ffdffff : System RAM\n" KERNEL_16M "  30000000-3bffffff : Crash kernel\n" TOP,
	  NULL, 0, "crashkernel=192M", 1, M(256), 0, "memmap=0x30000$0x10000 memmap=256M$0x20000000" },
	{ "the crash kernel area counts as the host's neither: 256 MiB left besides it",
	  LOW_RAM "00100000-3ffdffff : System RAM\n" KERNEL_16M "  30000000-3bffffff : Crash kernel\n" TOP,
	  NULL, 0, "crashkernel=192M", 2, M(288), KX_ENOFIT, "would leave the host 255 MiB" },
	{ "the kernel image at the top (KASLR): the instances go below it",
	  LOW_RAM "00100000-3ffdffff : System RAM\n  3ac00000-3bbfffff : Kernel code\n"
	  "  3bc00000-3c770fff : Kernel rodata\n  3c800000-3ca70f7f : Kernel data\n"
	  "  3d336000-3d7fffff : Kernel bss\n" TOP, NULL, 0, "", 2, M(256), 0,
	  "memmap=0x60000$0x10000 memmap=512M$0x1ac00000" },
	{ "the kernel image: nothing below 16 MiB plus its size (a boot without KASLR)",
	  LOW_RAM "00100000-03ffffff : System RAM\n  03000000-033fffff : Kernel code\n"
	  "100000000-13fffffff : System RAM\n", NULL, 0, "", 1, M(30), KX_ENOFIT,
	  "(room for 0): the largest free piece above 16 MiB and the kernel's size, outside "
	  "the running kernel and the crash kernel area, is 28 MiB" },
	{ "the kernel image in the middle: the instance above it, not across it",
	  LOW_RAM "00100000-3ffdffff : System RAM\n  30000000-30ffffff : Kernel code\n" TOP,
	  NULL, 0, "", 1, M(200), 0, "memmap=0x30000$0x10000 memmap=200M$0x33600000" },
	{ "the kernel image in the middle: the instance below it when above is too small",
	  LOW_RAM "00100000-3ffdffff : System RAM\n  30000000-30ffffff : Kernel code\n" TOP,
	  NULL, 0, "", 1, M(240), 0, "memmap=0x30000$0x10000 memmap=240M$0x21000000" },
	{ "RAM above 4 GiB only: nothing fits below",
	  LOW_RAM "00100000-0fffffff : System RAM\n" KERNEL_16M "100000000-4ffffffff : System RAM\n",
	  NULL, 0, "", 1, M(256), KX_ENOFIT, "do not fit in this machine's RAM below 4 GiB" },
	{ "RAM above 4 GiB beside a little below: the instance below, never above",
	  LOW_RAM "00100000-3fffffff : System RAM\n" KERNEL_16M "100000000-4ffffffff : System RAM\n",
	  NULL, 0, "", 1, M(256), 0, "memmap=0x30000$0x10000 memmap=256M$0x30000000" },
	{ "low memory: three instances need 576K between 64K and 1M",
	  QEMU_1G, NULL, 0, "", 3, M(64), KX_ENOFIT, "need 576 KiB of low memory" },
	{ "low memory: the host keeps exactly 128K",
	  "00001000-0008ffff : System RAM\n00100000-3ffdffff : System RAM\n" KERNEL_16M TOP,
	  NULL, 0, "", 2, M(64), 0, "memmap=0x60000$0x10000 memmap=128M$0x37e00000" },
	{ "low memory: the host would keep less than 128K",
	  "00001000-0008efff : System RAM\n00100000-3ffdffff : System RAM\n" KERNEL_16M TOP,
	  NULL, 0, "", 2, M(64), KX_ENOFIT, "would leave the host 124 KiB in one piece below 1 MiB" },
	{ "low memory: not in the first 64K the kernel keeps",
	  "00001000-0001ffff : System RAM\n00100000-3ffdffff : System RAM\n" KERNEL_16M TOP,
	  NULL, 0, "", 1, M(64), KX_ENOFIT, "the largest piece of RAM there is 64 KiB" },
	{ "iomem lines that overlap: RAM that a Reserved line also claims is not used (fuzz-iomem)",
	  "00001000-0001ffff : System RAM\n00020000-0007ffff : Reserved\n"
	  "00020000-0009fbff : System RAM\n00100000-3ffdffff : System RAM\n" KERNEL_16M TOP,
	  NULL, 0, "", 1, M(64), KX_ENOFIT, "the largest piece of RAM there is 124 KiB" },
	{ "N=0", QEMU_1G, NULL, 0, "", 0, M(256), KX_EUSAGE, "0 instances; give 1 to 64" },
	{ "N too large", QEMU_1G, NULL, 0, "", 65, M(256), KX_EUSAGE, "65 instances" },
	{ "size not a multiple of 2M", QEMU_1G, NULL, 0, "", 1, M(255), KX_EUSAGE,
	  "255 MiB is not a multiple of 2 MiB" },
	{ "size 0", QEMU_1G, NULL, 0, "", 1, 0, KX_EUSAGE, "not a multiple of 2 MiB" },
	{ "a reservation already present (memmap=$)", QEMU_1G, NULL, 0,
	  "console=ttyS0 memmap=256M$0x20000000", 1, M(256), KX_ERESERVED,
	  "already boots with memmap=256M$0x20000000" },
	{ "a reservation already present (mem=)", QEMU_1G, NULL, 0, "mem=768M", 1, M(256),
	  KX_ERESERVED, "already boots with mem=768M" },
	{ "no kernel image in iomem", LOW_RAM "00100000-3ffdffff : System RAM\n" TOP, NULL, 0, "",
	  1, M(256), KX_EHOST, "names no \"Kernel code\"" },
	{ "addresses hidden (not root)", "00000000-00000000 : System RAM\n"
	  "  00000000-00000000 : Kernel code\n", NULL, 0, "", 1, M(256), KX_EPERM, "run kexec as root" },
	{ "no iomem", NULL, NULL, 0, "", 1, M(256), KX_EHOST, "/proc/iomem" },
};

static struct host_facts *facts(const struct row *r)
{
	struct host_facts *hf = calloc(1, sizeof(*hf));
	unsigned int bad = 0;

	assert_non_null(hf);
	if (r->iomem) {
		assert_int_equal(iomem_parse(r->iomem, &hf->iomem, &bad), 0);
		hf->have_iomem = true;
	}
	for (size_t i = 0; i < r->nr_fw; i++)
		assert_int_equal(mem_ranges_add(&hf->firmware_map, r->fw[i].start, r->fw[i].end,
						r->fw[i].type), 0);
	hf->have_firmware_map = r->fw != NULL;
	snprintf(hf->cmdline, sizeof(hf->cmdline), "%s", r->cmdline);
	return hf;
}

/* The running kernel's size, "Kernel code" to the end of "Kernel bss", in 2 MiB. */
static uint64_t image_span(const struct host_facts *hf)
{
	uint64_t start = UINT64_MAX, end = 0;

	for (size_t i = 0; i < hf->iomem.kernel.nr; i++) {
		if (hf->iomem.kernel.r[i].start < start)
			start = hf->iomem.kernel.r[i].start;
		if (hf->iomem.kernel.r[i].end > end)
			end = hf->iomem.kernel.r[i].end;
	}
	return ((end + MK_RESERVE_ALIGN - 1) & ~(MK_RESERVE_ALIGN - 1)) - (start & ~(MK_RESERVE_ALIGN - 1));
}

/* Whether any reserved piece of the plan meets [start, end). */
static bool plan_meets(const struct mk_reserve_plan *p, uint64_t start, uint64_t end)
{
	if (p->low.start < end && start < p->low.end)
		return true;
	for (unsigned int i = 0; i < p->instances; i++)
		if (p->instance[i].start < end && start < p->instance[i].end)
			return true;
	return false;
}

/* What every plan must hold, whatever the machine: the safety rules, checked on the value. */
static void check_rules(const struct host_facts *hf, const struct mk_reserve_plan *p)
{
	struct mem_ranges *ram = malloc(sizeof(*ram));

	assert_non_null(ram);
	/* RAM is the union of the RAM lines (a hand-written map may list two that overlap). */
	*ram = hf->iomem.top;
	mem_ranges_keep_type(ram, MEM_RAM);
	mem_ranges_normalize(ram);
	for (size_t i = 0; i < hf->iomem.top.nr; i++) {
		const struct mem_range *r = &hf->iomem.top.r[i];

		if (r->type != MEM_RAM)
			assert_false(plan_meets(p, r->start, r->end));
	}
	for (unsigned int i = 0; i < p->instances; i++) {
		const struct mem_range *in = &p->instance[i];

		assert_int_equal(in->end - in->start, p->instance_size);
		assert_true(in->end <= MK_IDENTITY_MAP_END);
		assert_int_equal(in->start % MK_RESERVE_ALIGN, 0);
		assert_true(in->start >= MK_RESERVE_MAIN_START + image_span(hf));
		assert_false(mem_ranges_overlap(&hf->iomem.kernel, in->start, in->end));
		assert_false(mem_ranges_overlap(&hf->iomem.crash, in->start, in->end));
		assert_true(mem_ranges_contain(ram, in->start, in->end));
		if (i)
			assert_true(in->start >= p->instance[i - 1].end);
	}
	assert_int_equal(p->low.end - p->low.start, p->instances * MK_LOW_SIZE);
	assert_true(p->low.start >= MK_RESERVE_LOW_START && p->low.end <= 0x100000);
	assert_true(mem_ranges_contain(ram, p->low.start, p->low.end));
	assert_true(p->nr_words >= 2 && p->nr_words <= MK_RESERVE_MAX_WORDS);
	assert_true(p->host_ram_left >= MK_RESERVE_HOST_RAM_KEEP);
	assert_true(p->host_low_left >= MK_RESERVE_HOST_LOW_KEEP);
	free(ram);
}

static void test_row(void **state)
{
	const struct row *r = *state;
	struct host_facts *hf = facts(r);
	struct mk_reserve_request req = { .instances = r->n, .instance_size = r->size };
	struct mk_reserve_plan *p = malloc(sizeof(*p));
	struct kx_error err = { 0 };
	char words[512];
	int rc;

	assert_non_null(p);
	rc = mk_reserve_plan(hf, &req, p, &err);
	if (r->status) {
		assert_int_equal(rc, -1);
		if (err.status != (enum kx_status)r->status)
			fail_msg("status %d, expected %d: %s", err.status, r->status, err.msg);
		unit_assert_contains(err.msg, r->want);
	} else {
		if (rc)
			fail_msg("refused: %s", err.msg);
		check_rules(hf, p);
		assert_int_equal(mk_reserve_words(p, MK_SPELL_CMDLINE, words, sizeof(words)), 0);
		assert_string_equal(words, r->want);
	}
	free(p);
	free(hf);
}

/* The same plan on the same facts: the planner keeps no state. */
static void test_same_facts_same_plan(void **state)
{
	struct host_facts *hf = facts(&rows[0]);
	struct mk_reserve_request req = { .instances = 2, .instance_size = M(256) };
	struct mk_reserve_plan *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	struct kx_error err = { 0 };

	(void)state;
	assert_int_equal(mk_reserve_plan(hf, &req, a, &err), 0);
	assert_int_equal(mk_reserve_plan(hf, &req, b, &err), 0);
	assert_memory_equal(a, b, sizeof(*a));
	free(a);
	free(b);
	free(hf);
}

/*
 * The three spellings of one plan, and the drop-in: a shell reading the
 * drop-in gets the grub.cfg spelling, which GRUB reads as the command line's.
 */
static void test_spellings_and_dropin(void **state)
{
	struct host_facts *hf = facts(&rows[0]);
	struct mk_reserve_request req = { .instances = 2, .instance_size = M(256) };
	struct mk_reserve_plan *p = calloc(1, sizeof(*p));
	struct kx_error err = { 0 };
	char words[512], text[1024], tiny[8];

	(void)state;
	assert_int_equal(mk_reserve_plan(hf, &req, p, &err), 0);
	assert_int_equal(mk_reserve_words(p, MK_SPELL_GRUB_CFG, words, sizeof(words)), 0);
	assert_string_equal(words, "memmap=0x60000\\$0x10000 memmap=512M\\$0x1fe00000");
	assert_int_equal(mk_reserve_words(p, MK_SPELL_DEFAULT_GRUB, words, sizeof(words)), 0);
	assert_string_equal(words, "memmap=0x60000\\\\\\$0x10000 memmap=512M\\\\\\$0x1fe00000");
	assert_int_equal(mk_reserve_words(p, MK_SPELL_CMDLINE, tiny, sizeof(tiny)), -1);
	assert_int_equal(mk_reserve_dropin(p, text, sizeof(text)), 0);
	assert_string_equal(text,
		MK_DROPIN_MARK "=2,256M\n"
		"# Memory set aside at boot for 2 multikernel instances of 256M and their\n"
		"# trampolines (kexec(8), MULTIKERNEL).  kexec may replace this file; run\n"
		"# update-grub after any change, then reboot.\n"
		"GRUB_CMDLINE_LINUX=\"$GRUB_CMDLINE_LINUX memmap=0x60000\\\\\\$0x10000 "
		"memmap=512M\\\\\\$0x1fe00000\"\n");
	assert_int_equal(mk_reserve_dropin(p, tiny, sizeof(tiny)), -1);
	free(p);
	free(hf);
}

int main(void)
{
	struct CMUnitTest tests[N(rows) + 2];
	size_t n = 0;

	ROWS(rows, test_row);
	tests[n++] = (struct CMUnitTest){ .name = "same_facts_same_plan",
					  .test_func = test_same_facts_same_plan };
	tests[n++] = (struct CMUnitTest){ .name = "spellings_and_dropin",
					  .test_func = test_spellings_and_dropin };
	return _cmocka_run_group_tests("mk-reserve", tests, n, NULL, NULL);
}
