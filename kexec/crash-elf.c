// SPDX-License-Identifier: GPL-2.0-only
/*
 * Layout (kernel/crash_core.c builds the same for kexec_file_load, and
 * fs/proc/vmcore.c reads it): an Elf64_Ehdr of type ET_CORE, then the
 * program headers - PT_NOTEs first, whose p_offset is the physical address
 * of the note buffer (vmcore merges them into one note segment), then
 * PT_LOADs whose p_offset is the physical address of the memory.
 */
#include <elf.h>
#include <inttypes.h>
#include <string.h>

#include "crash-elf.h"

/* x86-64: __START_KERNEL_map; the text mapping lives at or above it. */
#define KERNEL_TEXT_BASE	0xffffffff80000000ull
#define NO_PADDR		UINT64_MAX	/* kcore's p_paddr for "not linear" */

/* The direct map's base without KASLR, when /proc/kcore could not be read. */
#define DEFAULT_PAGE_OFFSET	0xffff888000000000ull

static size_t nr_phdrs(const struct crash_elf_input *in)
{
	return in->nr_cpu_notes + 1 + (in->map.have_text ? 1 : 0) + in->dump->nr;
}

size_t crash_elf_size(const struct crash_elf_input *in)
{
	size_t raw = sizeof(Elf64_Ehdr) + nr_phdrs(in) * sizeof(Elf64_Phdr);

	return (raw + CRASH_HEADER_ALIGN - 1) & ~(size_t)(CRASH_HEADER_ALIGN - 1);
}

static void put_note(Elf64_Phdr *ph, const struct crash_note *n)
{
	memset(ph, 0, sizeof(*ph));
	ph->p_type = PT_NOTE;
	ph->p_offset = ph->p_paddr = n->addr;
	ph->p_filesz = ph->p_memsz = n->size;
}

static void put_load(Elf64_Phdr *ph, uint64_t vaddr, uint64_t paddr, uint64_t size)
{
	memset(ph, 0, sizeof(*ph));
	ph->p_type = PT_LOAD;
	ph->p_flags = PF_R | PF_W | PF_X;
	ph->p_offset = ph->p_paddr = paddr;
	ph->p_vaddr = vaddr;
	ph->p_filesz = ph->p_memsz = size;
}

static void put_ehdr(Elf64_Ehdr *eh, size_t phnum)
{
	memset(eh, 0, sizeof(*eh));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh->e_type = ET_CORE;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof(Elf64_Ehdr);
	eh->e_ehsize = sizeof(Elf64_Ehdr);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = (Elf64_Half)phnum;
}

int crash_elf_build(const struct crash_elf_input *in, uint8_t *buf, size_t size,
		    struct kx_error *err)
{
	size_t n = nr_phdrs(in), i = 0;
	uint64_t page_offset = in->map.have_page_offset ? in->map.page_offset : DEFAULT_PAGE_OFFSET;
	Elf64_Phdr ph;

	/* e_phnum is 16 bits; PN_XNUM (0xffff) would need a section header. */
	if (n >= PN_XNUM)
		return kx_fail(err, KX_ELIMIT, "the crash ELF core header would need %zu program "
			       "headers (CPUs + RAM ranges); at most %d fit", n, PN_XNUM - 1);
	if (size < crash_elf_size(in))
		return kx_fail(err, KX_EPLAN, "internal: crash ELF header buffer too small");
	memset(buf, 0, size);
	put_ehdr((Elf64_Ehdr *)(void *)buf, n);
#define PUT(p) memcpy(buf + sizeof(Elf64_Ehdr) + i++ * sizeof(Elf64_Phdr), &(p), sizeof(p))
	for (size_t c = 0; c < in->nr_cpu_notes; c++) {
		put_note(&ph, &in->cpu_notes[c]);
		PUT(ph);
	}
	put_note(&ph, &in->vmcoreinfo);
	PUT(ph);
	/* Tools such as gdb and crash look the kernel up by its text address. */
	if (in->map.have_text) {
		put_load(&ph, in->map.text_vaddr, in->map.text_paddr, in->map.text_size);
		PUT(ph);
	}
	for (size_t r = 0; r < in->dump->nr; r++) {
		const struct mem_range *m = &in->dump->r[r];

		put_load(&ph, page_offset + m->start, m->start, m->end - m->start);
		PUT(ph);
	}
#undef PUT
	return 0;
}

void crash_elf_print(FILE *out, const uint8_t *buf, size_t size)
{
	Elf64_Ehdr eh;

	memcpy(&eh, buf, sizeof(eh));
	fprintf(out, "ELF core header: %u program headers, %zu bytes\n", eh.e_phnum, size);
	fprintf(out, "    %-7s  %-18s  %-18s  %s\n", "type", "paddr", "vaddr", "size");
	for (size_t i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, buf + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		fprintf(out, "    %-7s  0x%016" PRIx64 "  0x%016" PRIx64 "  0x%" PRIx64 "\n",
			ph.p_type == PT_NOTE ? "NOTE" : ph.p_type == PT_LOAD ? "LOAD" : "?",
			(uint64_t)ph.p_paddr, (uint64_t)ph.p_vaddr, (uint64_t)ph.p_memsz);
	}
}

void crash_kcore_parse(const uint8_t *buf, size_t len, struct crash_kernel_map *map)
{
	Elf64_Ehdr eh;

	memset(map, 0, sizeof(*map));
	if (len < sizeof(eh))
		return;
	memcpy(&eh, buf, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_phentsize != sizeof(Elf64_Phdr))
		return;
	for (size_t i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		uint64_t off = eh.e_phoff + i * sizeof(ph);

		if (off > len || len - off < sizeof(ph))
			return;
		memcpy(&ph, buf + off, sizeof(ph));
		if (ph.p_type != PT_LOAD || ph.p_paddr == NO_PADDR)
			continue;
		if (ph.p_vaddr >= KERNEL_TEXT_BASE && !map->have_text) {
			map->have_text = true;
			map->text_vaddr = ph.p_vaddr;
			map->text_paddr = ph.p_paddr;
			map->text_size = ph.p_memsz;
		} else if (ph.p_vaddr < KERNEL_TEXT_BASE && !map->have_page_offset) {
			map->have_page_offset = true;
			map->page_offset = ph.p_vaddr - ph.p_paddr;
		}
	}
}
