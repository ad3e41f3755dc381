// SPDX-License-Identifier: GPL-2.0-only
/*
 * A crash kernel load through kexec_load (issue 9): the crash facts read
 * from a sysroot the input describes (fuzz_write_sysroot: iomem, possible,
 * notes, vmcoreinfo, kcore, ...), /proc/kcore's ELF header, the dump
 * ranges, the ELF core header and the capture kernel's memory map.  The
 * invariants: the dump never covers a crash region or the first MiB and
 * is all System RAM; the header holds exactly a note per CPU, VMCOREINFO,
 * the kernel text when known and a PT_LOAD per dump range, each at its
 * address; the capture kernel is given no RAM of the crashed kernel above
 * 1 MiB and not the header's pages; every failure carries a reason.
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "crash-elf.h"
#include "crash-memory.h"
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ONE_MIB (1ull << 20)

static char *sysroot;

static void check_header(const struct crash_elf_input *ei, const uint8_t *buf, size_t size)
{
	const Elf64_Ehdr *eh = (const void *)buf;
	size_t want = ei->nr_cpu_notes + 1 + (ei->map.have_text ? 1 : 0) + ei->dump->nr, i = 0;
	Elf64_Phdr ph;

	FUZZ_ASSERT(size >= sizeof(*eh) && memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 &&
		    eh->e_phoff == sizeof(*eh) && eh->e_phnum == want &&
		    eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(ph) <= size,
		    "ELF header: %u program headers, want %zu", eh->e_phnum, want);
	for (size_t c = 0; c <= ei->nr_cpu_notes; c++) {
		const struct crash_note *n = c < ei->nr_cpu_notes ? &ei->cpu_notes[c] : &ei->vmcoreinfo;

		memcpy(&ph, buf + sizeof(*eh) + i++ * sizeof(ph), sizeof(ph));
		FUZZ_ASSERT(ph.p_type == PT_NOTE && ph.p_offset == n->addr && ph.p_filesz == n->size,
			    "note %zu is not at its buffer", c);
	}
	if (ei->map.have_text)
		i++;
	for (size_t r = 0; r < ei->dump->nr; r++) {
		memcpy(&ph, buf + sizeof(*eh) + i++ * sizeof(ph), sizeof(ph));
		FUZZ_ASSERT(ph.p_type == PT_LOAD && ph.p_paddr == ei->dump->r[r].start &&
			    ph.p_offset == ei->dump->r[r].start &&
			    ph.p_memsz == ei->dump->r[r].end - ei->dump->r[r].start,
			    "PT_LOAD %zu is not dump range %zu", i - 1, r);
	}
}

/* Bytes of [s, e) in the crash regions (taken as one map). */
static uint64_t in_crash_bytes(const struct iomem_map *iomem, uint64_t s, uint64_t e)
{
	static struct mem_ranges crash;
	uint64_t sum = 0;

	crash = iomem->crash;
	mem_ranges_normalize(&crash);
	for (size_t i = 0; i < crash.nr; i++) {
		uint64_t a = crash.r[i].start > s ? crash.r[i].start : s;
		uint64_t b = crash.r[i].end < e ? crash.r[i].end : e;

		if (a < b)
			sum += b - a;
	}
	return sum;
}

static void check_capture_e820(const struct host_facts *hf, uint64_t hdr_start, uint64_t hdr_end)
{
	static struct mem_ranges e820;
	struct kx_error err = { .status = KX_OK };

	if (crash_capture_e820(&hf->iomem, hdr_start, hdr_end, &e820, &err)) {
		fuzz_check_failure(&err);
		return;
	}
	for (size_t i = 0; i < e820.nr; i++) {
		const struct mem_range *m = &e820.r[i];

		if (m->type != MEM_RAM)
			continue;
		FUZZ_ASSERT(m->end <= hdr_start || m->start >= hdr_end,
			    "the capture kernel's RAM [%#llx, %#llx) holds the ELF core header",
			    (unsigned long long)m->start, (unsigned long long)m->end);
		/* Merged pieces may span the first MiB and a crash region: count bytes. */
		if (m->end > ONE_MIB) {
			uint64_t from = m->start > ONE_MIB ? m->start : ONE_MIB;

			FUZZ_ASSERT(in_crash_bytes(&hf->iomem, from, m->end) == m->end - from,
				    "the capture kernel is given the crashed kernel's RAM in "
				    "[%#llx, %#llx)", (unsigned long long)m->start,
				    (unsigned long long)m->end);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct host_facts hf;
	static struct crash_facts cf;
	static struct mem_ranges dump, ram;
	struct fuzz_section s[] = { { .name = "kcore" } };
	struct crash_kernel_map map;
	struct kx_error err = { .status = KX_OK };
	struct mem_range region;
	struct crash_elf_input ei;
	uint8_t *hdr;
	size_t hdr_size;

	if (!sysroot)
		sysroot = fuzz_mkdtemp();
	/* /proc/kcore's header alone, as the pure parser sees it. */
	fuzz_split(data, size, s, 1);
	if (s[0].data)
		crash_kcore_parse(s[0].data, s[0].size, &map);

	fuzz_write_sysroot(sysroot, data, size);
	if (host_facts_read(sysroot, &hf, &err) || host_crash_facts_read(&hf, &cf, &err)) {
		fuzz_check_failure(&err);
		return 0;
	}
	FUZZ_ASSERT(cf.nr_notes <= CRASH_MAX_CPUS && cf.nr_notes <= cf.nr_possible, "note count");
	if (crash_dump_ranges(&hf.iomem, &dump, &err)) {
		fuzz_check_failure(&err);
		return 0;
	}
	/* Top-level lines may overlap in a made-up iomem: compare with RAM as one map. */
	ram = hf.iomem.top;
	mem_ranges_keep_type(&ram, MEM_RAM);
	mem_ranges_normalize(&ram);
	for (size_t i = 0; i < dump.nr; i++) {
		const struct mem_range *m = &dump.r[i];

		FUZZ_ASSERT(m->start >= ONE_MIB && m->end > m->start, "dump range below 1 MiB or empty");
		FUZZ_ASSERT(mem_ranges_contain(&ram, m->start, m->end), "dump range is not RAM");
		for (size_t c = 0; c < hf.iomem.crash.nr; c++)
			FUZZ_ASSERT(m->end <= hf.iomem.crash.r[c].start ||
				    m->start >= hf.iomem.crash.r[c].end, "the dump covers a crash region");
	}

	ei = (struct crash_elf_input){
		.cpu_notes = cf.notes, .nr_cpu_notes = cf.nr_notes, .vmcoreinfo = cf.vmcoreinfo,
		.map = cf.map, .dump = &dump,
	};
	hdr_size = crash_elf_size(&ei);
	FUZZ_ASSERT(hdr_size % CRASH_HEADER_ALIGN == 0 && hdr_size > 0, "header size %zu", hdr_size);
	hdr = calloc(1, hdr_size);
	if (!hdr)
		abort();
	if (crash_elf_build(&ei, hdr, hdr_size, &err) == 0)
		check_header(&ei, hdr, hdr_size);
	else
		fuzz_check_failure(&err);
	free(hdr);

	if (crash_load_region(&hf.iomem, &region) == 0) {
		uint64_t top = region.end & ~(KX_PAGE_SIZE - 1);

		FUZZ_ASSERT(region.end > region.start &&
			    in_crash_bytes(&hf.iomem, region.start, region.end) ==
			    region.end - region.start,
			    "the crash load region is not a crash region");
		if (top >= region.start + hdr_size)
			check_capture_e820(&hf, top - hdr_size, top);
	}
	return 0;
}
