// SPDX-License-Identifier: GPL-2.0-only
/*
 * Deterministic test images for the dry-run tier, so expected segment tables
 * (sizes and sha256 prefixes) never change:
 *
 *   mkimage bzimage OUT [field=value ...]   a bzImage-shaped file whose setup
 *       header copies the values of Debian's 6.12 amd64 kernel; fields:
 *       payload (bytes), version, xloadflags, loadflags, relocatable,
 *       init_size, cmdline_size, pref_address, truncate (cut the file to N bytes)
 *   mkimage elf OUT paddr=A size=N [entry=E] [memsz=M] [filesz=F] [bss=B]
 *       an ELF64 x86-64 executable with one PT_LOAD of N file bytes at
 *       physical address A (p_memsz M, p_filesz F: default N), and with bss=B
 *       a second, bss-only PT_LOAD (p_filesz 0) of B bytes on the next page
 *   mkimage bytes OUT N                      N pseudo-random bytes (not an image)
 */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rng = 0x12345678;

static uint8_t next_byte(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return (uint8_t)rng;
}

static void put(uint8_t *b, size_t off, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		b[off + (size_t)i] = (uint8_t)(v >> (8 * i));
}

static uint64_t field(int argc, char **argv, const char *name, uint64_t def)
{
	size_t n = strlen(name);

	for (int i = 0; i < argc; i++)
		if (strncmp(argv[i], name, n) == 0 && argv[i][n] == '=')
			return strtoull(argv[i] + n + 1, NULL, 0);
	return def;
}

static int write_file(const char *path, const uint8_t *b, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(b, 1, n, f) != n || fclose(f)) {
		perror(path);
		return 1;
	}
	return 0;
}

static int bzimage(const char *out, int argc, char **argv)
{
	const size_t setup_sects = 30, setup = (setup_sects + 1) * 512;
	size_t payload = field(argc, argv, "payload", 1 << 20);
	size_t total = setup + payload;
	uint8_t *b = calloc(1, total);

	if (!b)
		return 1;
	for (size_t i = setup; i < total; i++)
		b[i] = next_byte();
	put(b, 0x1f1, setup_sects, 1);
	put(b, 0x1f4, payload / 16, 4);				/* syssize */
	put(b, 0x1fe, 0xaa55, 2);
	put(b, 0x200, 0x6aeb, 2);				/* jmp to 0x26c */
	put(b, 0x202, 0x53726448, 4);				/* "HdrS" */
	put(b, 0x206, field(argc, argv, "version", 0x020f), 2);
	put(b, 0x211, field(argc, argv, "loadflags", 0x01), 1);
	put(b, 0x214, 0x100000, 4);				/* code32_start */
	put(b, 0x22c, 0x7fffffff, 4);				/* initrd_addr_max */
	put(b, 0x230, 0x200000, 4);				/* kernel_alignment */
	put(b, 0x234, field(argc, argv, "relocatable", 1), 1);
	put(b, 0x235, 0x15, 1);					/* min_alignment */
	put(b, 0x236, field(argc, argv, "xloadflags", 0x3), 2);
	put(b, 0x238, field(argc, argv, "cmdline_size", 0x7ff), 4);
	put(b, 0x248, 0x3b0, 4);				/* payload_offset */
	put(b, 0x24c, payload - 0x400, 4);			/* payload_length */
	put(b, 0x258, field(argc, argv, "pref_address", 0x1000000), 8);
	put(b, 0x260, field(argc, argv, "init_size", 0x2e00000), 4);
	total = field(argc, argv, "truncate", total);
	return write_file(out, b, total);
}

static int elf(const char *out, int argc, char **argv)
{
	uint64_t paddr = field(argc, argv, "paddr", 0x20000000);
	size_t size = field(argc, argv, "size", 0x3000);
	uint64_t bss = field(argc, argv, "bss", 0);
	size_t off = 0x1000, total = off + size;
	uint8_t *b = calloc(1, total);
	Elf64_Ehdr eh = {
		.e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT },
		.e_type = ET_EXEC, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
		.e_entry = field(argc, argv, "entry", paddr), .e_phoff = sizeof(Elf64_Ehdr),
		.e_ehsize = sizeof(Elf64_Ehdr), .e_phentsize = sizeof(Elf64_Phdr),
		.e_phnum = bss ? 2 : 1,
	};
	Elf64_Phdr ph = {
		.p_type = PT_LOAD, .p_flags = PF_R | PF_W | PF_X, .p_offset = off,
		.p_vaddr = paddr, .p_paddr = paddr, .p_filesz = field(argc, argv, "filesz", size),
		.p_memsz = field(argc, argv, "memsz", size), .p_align = 0x1000,
	};
	uint64_t bss_addr = (paddr + size + 0xfff) & ~0xfffull;
	Elf64_Phdr bss_ph = {
		.p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = off + size,
		.p_vaddr = bss_addr, .p_paddr = bss_addr, .p_filesz = 0, .p_memsz = bss,
		.p_align = 0x1000,
	};

	if (!b)
		return 1;
	memcpy(b, &eh, sizeof(eh));
	memcpy(b + sizeof(eh), &ph, sizeof(ph));
	if (bss)
		memcpy(b + sizeof(eh) + sizeof(ph), &bss_ph, sizeof(bss_ph));
	for (size_t i = off; i < total; i++)
		b[i] = next_byte();
	return write_file(out, b, total);
}

static int bytes(const char *out, size_t n)
{
	uint8_t *b = malloc(n ? n : 1);

	if (!b)
		return 1;
	for (size_t i = 0; i < n; i++)
		b[i] = next_byte();
	return write_file(out, b, n);
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "bzimage") == 0)
		return bzimage(argv[2], argc - 3, argv + 3);
	if (argc >= 3 && strcmp(argv[1], "elf") == 0)
		return elf(argv[2], argc - 3, argv + 3);
	if (argc == 4 && strcmp(argv[1], "bytes") == 0)
		return bytes(argv[2], strtoull(argv[3], NULL, 0));
	fprintf(stderr, "usage: mkimage bzimage|elf|bytes OUT ...\n");
	return 2;
}
