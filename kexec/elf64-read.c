// SPDX-License-Identifier: GPL-2.0-only
#include <inttypes.h>
#include <string.h>

#include "elf64-read.h"

/* The identification bytes and e_type/e_machine sit at the same offsets in both classes. */
#define ELF32_EHDR_SIZE	52
#define ELF_TYPE_AT	16
#define ELF_MACHINE_AT	18

static uint16_t get16(const uint8_t *p, int data)
{
	return data == ELFDATA2MSB ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

/* Valid identification bytes: a class, a byte order and version 1, as libelf demands. */
static int check_ident(const struct elf64_file *e, struct kx_error *err)
{
	const uint8_t *id = e->data;
	size_t need;

	if (e->size < EI_NIDENT)
		return kx_fail(err, KX_ETRUNCATED, "%s: ELF header is truncated or corrupt: the "
			       "file is %zu bytes", e->path, e->size);
	if (id[EI_CLASS] != ELFCLASS32 && id[EI_CLASS] != ELFCLASS64)
		return kx_fail(err, KX_ETRUNCATED, "%s: ELF header is truncated or corrupt: "
			       "class byte %u", e->path, id[EI_CLASS]);
	if (id[EI_DATA] != ELFDATA2LSB && id[EI_DATA] != ELFDATA2MSB)
		return kx_fail(err, KX_ETRUNCATED, "%s: ELF header is truncated or corrupt: "
			       "byte order byte %u", e->path, id[EI_DATA]);
	if (id[EI_VERSION] != EV_CURRENT)
		return kx_fail(err, KX_ETRUNCATED, "%s: ELF header is truncated or corrupt: "
			       "version %u", e->path, id[EI_VERSION]);
	need = id[EI_CLASS] == ELFCLASS64 ? sizeof(Elf64_Ehdr) : ELF32_EHDR_SIZE;
	if (e->size < need)
		return kx_fail(err, KX_ETRUNCATED, "%s: ELF header is truncated or corrupt: the "
			       "file is %zu bytes, the header %zu", e->path, e->size, need);
	return 0;
}

static int check_kind(const struct elf64_file *e, struct kx_error *err)
{
	const uint8_t *id = e->data;
	uint16_t type = get16(e->data + ELF_TYPE_AT, id[EI_DATA]);
	uint16_t machine = get16(e->data + ELF_MACHINE_AT, id[EI_DATA]);

	if (id[EI_CLASS] != ELFCLASS64 || machine != EM_X86_64 || type != ET_EXEC)
		return kx_fail(err, KX_EUNSUPPORTED, "%s: ELF class %d machine %u type %u; an "
			       "ELF64 x86-64 executable is needed", e->path, id[EI_CLASS],
			       machine, type);
	if (id[EI_DATA] != ELFDATA2LSB)
		return kx_fail(err, KX_EUNSUPPORTED, "%s: a big-endian ELF file; an ELF64 "
			       "x86-64 executable is little-endian", e->path);
	return 0;
}

/* Does [off, off + nr * entsize) lie inside the file? */
static int table_fits(const struct elf64_file *e, uint64_t off, uint64_t nr, uint64_t entsize)
{
	return off <= e->size && nr <= (e->size - off) / entsize;
}

/* e_phnum, or with PN_XNUM the real count from section header 0's sh_info. */
static int count_phdrs(struct elf64_file *e, struct kx_error *err)
{
	Elf64_Shdr sh0;

	e->phnum = e->eh.e_phnum;
	if (e->eh.e_phnum != PN_XNUM)
		return 0;
	if (!e->eh.e_shoff || e->eh.e_shentsize != sizeof(sh0) ||
	    !table_fits(e, e->eh.e_shoff, 1, sizeof(sh0)))
		return kx_fail(err, KX_ETRUNCATED, "%s: program headers are unreadable: e_phnum "
			       "is PN_XNUM and section header 0 lies outside the file", e->path);
	memcpy(&sh0, e->data + e->eh.e_shoff, sizeof(sh0));
	e->phnum = sh0.sh_info;
	return 0;
}

int elf64_open(struct elf64_file *e, const char *path, const uint8_t *data, size_t size,
	       struct kx_error *err)
{
	*e = (struct elf64_file){ .path = path, .data = data, .size = size };
	if (size < SELFMAG || memcmp(data, ELFMAG, SELFMAG) != 0)
		return kx_fail(err, KX_EFORMAT, "%s: not an ELF file", path);
	if (check_ident(e, err) || check_kind(e, err))
		return -1;
	memcpy(&e->eh, data, sizeof(e->eh));
	if (count_phdrs(e, err))
		return -1;
	if (e->phnum && (e->eh.e_phentsize != sizeof(Elf64_Phdr) ||
			 !table_fits(e, e->eh.e_phoff, e->phnum, sizeof(Elf64_Phdr))))
		return kx_fail(err, KX_ETRUNCATED, "%s: program headers are unreadable: %zu "
			       "entries of %u bytes at offset 0x%" PRIx64 " in a file of %zu bytes",
			       path, e->phnum, e->eh.e_phentsize, (uint64_t)e->eh.e_phoff, size);
	return 0;
}

void elf64_phdr(const struct elf64_file *e, size_t i, Elf64_Phdr *ph)
{
	memcpy(ph, e->data + e->eh.e_phoff + i * sizeof(*ph), sizeof(*ph));
}
