/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An ELF64 little-endian file in memory: its file header and program
 * headers, read and bounds-checked in place.  All the ELF loader needs, so
 * kexec does not link libelf (which the small static build cannot afford).
 * Pure: no I/O, copies only the headers it returns.
 */
#ifndef KEXEC_ELF64_READ_H
#define KEXEC_ELF64_READ_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

struct elf64_file {
	const char *path;	/* for messages */
	const uint8_t *data;
	size_t size;
	Elf64_Ehdr eh;
	size_t phnum;		/* e_phnum, or section 0's sh_info when e_phnum is PN_XNUM */
};

/*
 * Reads data as an ELF64 x86-64 executable.  Fails (err set) with
 * KX_EFORMAT: no ELF magic; KX_ETRUNCATED: the file or program header table
 * is cut short or the identification bytes are invalid; KX_EUNSUPPORTED: a
 * valid ELF file of another class, byte order, machine or type.
 */
int elf64_open(struct elf64_file *e, const char *path, const uint8_t *data, size_t size,
	       struct kx_error *err);

/* Program header i (< e->phnum); checked to lie inside the file at open. */
void elf64_phdr(const struct elf64_file *e, size_t i, Elf64_Phdr *ph);

#endif /* KEXEC_ELF64_READ_H */
