/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * crash-elf.c: the ELF core header of a crash kernel load, read back field
 * by field (as fs/proc/vmcore.c reads it), and the kernel mappings taken
 * from /proc/kcore's header.  crash-memory.c: the dump ranges and the
 * capture kernel's e820 of the machine recorded in tests/fixtures/qemu-1g-crash.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "crash-elf.h"
#include "crash-memory.h"
#include "iomem.h"
#include "unit-helpers.h"

struct want_phdr {
	uint32_t type;
	uint64_t paddr, vaddr, size;
};

static void check_phdr(const uint8_t *buf, size_t i, const struct want_phdr *w)
{
	Elf64_Phdr ph;

	memcpy(&ph, buf + sizeof(Elf64_Ehdr) + i * sizeof(ph), sizeof(ph));
	assert_int_equal(ph.p_type, w->type);
	assert_int_equal(ph.p_paddr, w->paddr);
	/* vmcore reads a note or memory from physical p_offset. */
	assert_int_equal(ph.p_offset, w->paddr);
	assert_int_equal(ph.p_vaddr, w->vaddr);
	assert_int_equal(ph.p_filesz, w->size);
	assert_int_equal(ph.p_memsz, w->size);
	assert_int_equal(ph.p_flags, w->type == PT_LOAD ? (PF_R | PF_W | PF_X) : 0);
}

static const struct crash_note two_cpus[] = { { 0x3ec3d800, 0x170 }, { 0x3ed3d800, 0x170 } };

/* The recorded machine: 2 CPUs, VMCOREINFO, text mapped by KASLR, two RAM ranges. */
static void test_header_two_cpus(void **state)
{
	struct mem_ranges dump = { 0 };
	struct crash_elf_input in = {
		.cpu_notes = two_cpus, .nr_cpu_notes = 2,
		.vmcoreinfo = { 0x3d9f0000, 0x1024 },
		.map = { .have_text = true, .text_vaddr = 0xffffffff90000000ull,
			 .text_paddr = 0x3ac00000, .text_size = 0x2c30000,
			 .have_page_offset = true, .page_offset = 0xffff8e4d00000000ull },
		.dump = &dump,
	};
	const struct want_phdr want[] = {
		{ PT_NOTE, 0x3ec3d800, 0, 0x170 },
		{ PT_NOTE, 0x3ed3d800, 0, 0x170 },
		{ PT_NOTE, 0x3d9f0000, 0, 0x1024 },
		{ PT_LOAD, 0x3ac00000, 0xffffffff90000000ull, 0x2c30000 },
		{ PT_LOAD, 0x100000, 0xffff8e4d00100000ull, 0x2df00000 },
		{ PT_LOAD, 0x3a000000, 0xffff8e4d3a000000ull, 0x5fe0000 },
	};
	struct kx_error err = { 0 };
	uint8_t *buf;
	Elf64_Ehdr eh;
	size_t size;

	(void)state;
	mem_ranges_add(&dump, 0x100000, 0x2e000000, MEM_RAM);
	mem_ranges_add(&dump, 0x3a000000, 0x3ffe0000, MEM_RAM);
	size = crash_elf_size(&in);
	assert_int_equal(size, 4096);
	buf = malloc(size);
	assert_int_equal(crash_elf_build(&in, buf, size, &err), 0);
	memcpy(&eh, buf, sizeof(eh));
	assert_memory_equal(eh.e_ident, ELFMAG, SELFMAG);
	assert_int_equal(eh.e_ident[EI_CLASS], ELFCLASS64);
	assert_int_equal(eh.e_ident[EI_DATA], ELFDATA2LSB);
	assert_int_equal(eh.e_type, ET_CORE);
	assert_int_equal(eh.e_machine, EM_X86_64);
	assert_int_equal(eh.e_phoff, sizeof(Elf64_Ehdr));
	assert_int_equal(eh.e_phentsize, sizeof(Elf64_Phdr));
	assert_int_equal(eh.e_phnum, N(want));
	for (size_t i = 0; i < N(want); i++)
		check_phdr(buf, i, &want[i]);
	/* The rest of the page is zero. */
	for (size_t i = sizeof(eh) + N(want) * sizeof(Elf64_Phdr); i < size; i++)
		assert_int_equal(buf[i], 0);
	free(buf);
}

/* No kcore: no text PT_LOAD, and RAM at the direct map's default base. */
static void test_header_no_kcore(void **state)
{
	struct mem_ranges dump = { 0 };
	struct crash_elf_input in = {
		.cpu_notes = two_cpus, .nr_cpu_notes = 1,
		.vmcoreinfo = { 0x3d9f0000, 0x1024 },
		.dump = &dump,
	};
	const struct want_phdr want[] = {
		{ PT_NOTE, 0x3ec3d800, 0, 0x170 },
		{ PT_NOTE, 0x3d9f0000, 0, 0x1024 },
		{ PT_LOAD, 0x100000000ull, 0xffff888100000000ull, 0x40000000 },
	};
	struct kx_error err = { 0 };
	uint8_t buf[4096];

	(void)state;
	mem_ranges_add(&dump, 0x100000000ull, 0x140000000ull, MEM_RAM);
	assert_int_equal(crash_elf_size(&in), sizeof(buf));
	assert_int_equal(crash_elf_build(&in, buf, sizeof(buf), &err), 0);
	assert_int_equal(((Elf64_Ehdr *)(void *)buf)->e_phnum, N(want));
	for (size_t i = 0; i < N(want); i++)
		check_phdr(buf, i, &want[i]);
}

/* A big machine: the header grows by whole pages, one PT_NOTE per CPU. */
static void test_header_many_cpus(void **state)
{
	static struct crash_note notes[300];
	struct mem_ranges dump = { 0 };
	struct crash_elf_input in = { .cpu_notes = notes, .nr_cpu_notes = N(notes),
				      .vmcoreinfo = { 0x1000000, 0x1024 }, .dump = &dump };
	struct kx_error err = { 0 };
	uint8_t *buf;

	(void)state;
	for (size_t i = 0; i < N(notes); i++)
		notes[i] = (struct crash_note){ 0x2000000 + i * 0x100000, 0x170 };
	mem_ranges_add(&dump, 0x100000, 0x8000000, MEM_RAM);
	/* 64 + 302 * 56 = 16976 bytes: five pages. */
	assert_int_equal(crash_elf_size(&in), 5 * 4096);
	buf = malloc(5 * 4096);
	assert_int_equal(crash_elf_build(&in, buf, 5 * 4096, &err), 0);
	assert_int_equal(((Elf64_Ehdr *)(void *)buf)->e_phnum, 302);
	check_phdr(buf, 299, &(struct want_phdr){ PT_NOTE, 0x2000000 + 299 * 0x100000, 0, 0x170 });
	free(buf);
}

static void put_phdr(uint8_t *buf, size_t i, uint32_t type, uint64_t vaddr, uint64_t paddr,
		     uint64_t size)
{
	Elf64_Phdr ph = { .p_type = type, .p_vaddr = vaddr, .p_paddr = paddr,
			  .p_filesz = size, .p_memsz = size };

	memcpy(buf + sizeof(Elf64_Ehdr) + i * sizeof(ph), &ph, sizeof(ph));
}

/* /proc/kcore of the recorded guest: note, text, vmalloc, modules, RAM, vmemmap. */
static void test_kcore_parse(void **state)
{
	uint8_t buf[1024] = { 0 };
	Elf64_Ehdr eh = { .e_phoff = sizeof(Elf64_Ehdr), .e_phentsize = sizeof(Elf64_Phdr),
			  .e_phnum = 7, .e_type = ET_CORE };
	struct crash_kernel_map map;

	(void)state;
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	memcpy(buf, &eh, sizeof(eh));
	put_phdr(buf, 0, PT_NOTE, 0, 0, 0x2724);
	put_phdr(buf, 1, PT_LOAD, 0xffffce6240000000ull, UINT64_MAX, 0x1fffffffffffull);
	put_phdr(buf, 2, PT_LOAD, 0xffffffff90000000ull, 0x3ac00000, 0x2c30000);
	put_phdr(buf, 3, PT_LOAD, 0xffffffffc0000000ull, UINT64_MAX, 0x3f000000);
	put_phdr(buf, 4, PT_LOAD, 0xffff8e4d00001000ull, 0x1000, 0x9e000);
	put_phdr(buf, 5, PT_LOAD, 0xfffff8fd00000000ull, UINT64_MAX, 0x3000);
	put_phdr(buf, 6, PT_LOAD, 0xffff8e4d00100000ull, 0x100000, 0x3fee0000);
	crash_kcore_parse(buf, sizeof(buf), &map);
	assert_true(map.have_text);
	assert_int_equal(map.text_vaddr, 0xffffffff90000000ull);
	assert_int_equal(map.text_paddr, 0x3ac00000);
	assert_int_equal(map.text_size, 0x2c30000);
	assert_true(map.have_page_offset);
	assert_int_equal(map.page_offset, 0xffff8e4d00000000ull);

	/* Cut inside the program headers: what was read is used, nothing past it. */
	crash_kcore_parse(buf, sizeof(Elf64_Ehdr) + 3 * sizeof(Elf64_Phdr), &map);
	assert_true(map.have_text);
	assert_false(map.have_page_offset);
	/* Not an ELF file (kcore unreadable, locked down): nothing. */
	memset(buf, 0, 4);
	crash_kcore_parse(buf, sizeof(buf), &map);
	assert_false(map.have_text);
	assert_false(map.have_page_offset);
}

/* The recorded guest's /proc/iomem (crashkernel=192M, 1 GiB). */
static const char recorded_iomem[] =
	"00000000-00000fff : Reserved\n"
	"00001000-0009fbff : System RAM\n"
	"0009fc00-0009ffff : Reserved\n"
	"000a0000-000bffff : PCI Bus 0000:00\n"
	"000c0000-000c05ff : Video ROM\n"
	"000f0000-000fffff : Reserved\n"
	"  000f0000-000fffff : System ROM\n"
	"00100000-3ffdffff : System RAM\n"
	"  2e000000-39ffffff : Crash kernel\n"
	"  3ac00000-3bbfffff : Kernel code\n"
	"3ffe0000-3fffffff : Reserved\n"
	"b0000000-bfffffff : PCI ECAM 0000 [bus 00-ff]\n"
	"  b0000000-bfffffff : Reserved\n"
	"fed1c000-fed1ffff : Reserved\n"
	"fed20000-fed2ffff : ACPI Tables\n"
	"fed30000-fed3ffff : ACPI Non-volatile Storage\n"
	"100000000-13fffffff : System RAM\n";

static void expect_ranges(const struct mem_ranges *got, const struct mem_range *want, size_t n)
{
	assert_int_equal(got->nr, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(got->r[i].start, want[i].start);
		assert_int_equal(got->r[i].end, want[i].end);
		assert_int_equal(got->r[i].type, want[i].type);
	}
}

static void test_dump_and_e820(void **state)
{
	static struct iomem_map iomem;
	static struct mem_ranges out;
	struct kx_error err = { 0 };
	struct mem_range region;
	unsigned int bad = 0;
	/* Neither the first MiB (kept reserved by x86, no backup needed) nor the crash region. */
	const struct mem_range dump[] = {
		{ 0x100000, 0x2e000000, MEM_RAM }, { 0x3a000000, 0x3ffe0000, MEM_RAM },
		{ 0x100000000ull, 0x140000000ull, MEM_RAM },
	};
	/* Low RAM, the firmware's tables and holes, and the crash region minus the header. */
	const struct mem_range e820[] = {
		{ 0x0, 0x1000, MEM_RESERVED }, { 0x1000, 0x9fc00, MEM_RAM },
		{ 0x9fc00, 0xa0000, MEM_RESERVED }, { 0xf0000, 0x100000, MEM_RESERVED },
		{ 0x2e000000, 0x39fff000, MEM_RAM }, { 0x3ffe0000, 0x40000000, MEM_RESERVED },
		{ 0xfed1c000, 0xfed20000, MEM_RESERVED }, { 0xfed20000, 0xfed30000, MEM_ACPI },
		{ 0xfed30000, 0xfed40000, MEM_NVS },
	};

	(void)state;
	assert_int_equal(iomem_parse(recorded_iomem, &iomem, &bad), 0);
	assert_int_equal(crash_load_region(&iomem, &region), 0);
	assert_int_equal(region.start, 0x2e000000);
	assert_int_equal(region.end, 0x3a000000);
	assert_int_equal(crash_dump_ranges(&iomem, &out, &err), 0);
	expect_ranges(&out, dump, N(dump));
	assert_int_equal(crash_capture_e820(&iomem, 0x39fff000, 0x3a000000, &out, &err), 0);
	expect_ranges(&out, e820, N(e820));
}

/* crashkernel=X,high: two regions; segments go in the high one, both are capture RAM. */
static void test_high_and_low_regions(void **state)
{
	static struct iomem_map iomem;
	static struct mem_ranges out;
	struct kx_error err = { 0 };
	struct mem_range region;
	unsigned int bad = 0;
	const char *text =
		"00001000-0009fbff : System RAM\n"
		"00100000-bfffffff : System RAM\n"
		"  a0000000-afffffff : Crash kernel\n"
		"100000000-23fffffff : System RAM\n"
		"  200000000-23fffffff : Crash kernel\n";
	const struct mem_range dump[] = {
		{ 0x100000, 0xa0000000, MEM_RAM }, { 0xb0000000, 0xc0000000, MEM_RAM },
		{ 0x100000000ull, 0x200000000ull, MEM_RAM },
	};
	const struct mem_range e820[] = {
		{ 0x1000, 0x9fc00, MEM_RAM }, { 0xa0000000, 0xb0000000, MEM_RAM },
		{ 0x200000000ull, 0x23ffff000ull, MEM_RAM },
	};

	(void)state;
	assert_int_equal(iomem_parse(text, &iomem, &bad), 0);
	assert_int_equal(crash_load_region(&iomem, &region), 0);
	assert_int_equal(region.start, 0x200000000ull);
	assert_int_equal(crash_dump_ranges(&iomem, &out, &err), 0);
	expect_ranges(&out, dump, N(dump));
	assert_int_equal(crash_capture_e820(&iomem, 0x23ffff000ull, 0x240000000ull, &out, &err), 0);
	expect_ranges(&out, e820, N(e820));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_two_cpus),
		cmocka_unit_test(test_header_no_kcore),
		cmocka_unit_test(test_header_many_cpus),
		cmocka_unit_test(test_kcore_parse),
		cmocka_unit_test(test_dump_and_e820),
		cmocka_unit_test(test_high_and_low_regions),
	};

	return cmocka_run_group_tests_name("crash-elf", tests, NULL, NULL);
}
