// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmcore-check [FILE [MARKER]]: runs in a capture kernel and says what its
 * /proc/vmcore holds, as fs/proc/vmcore.c exports it: an ELF64 core whose
 * PT_NOTE segment carries one NT_PRSTATUS note per CPU of the crashed
 * kernel and a VMCOREINFO note, and PT_LOADs for its memory.  Prints
 *   vmcore: elf64 core, N prstatus notes, vmcoreinfo yes|no, M loads, B bytes of memory
 * and the VMCOREINFO line OSRELEASE=...; exits 1 if FILE is not an ELF64 core.
 * With MARKER, also searches the crashed kernel's memory (every PT_LOAD) for
 * it and prints "marker: found at paddr 0x..." or "marker: not found".
 */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int read_at(int fd, void *buf, size_t len, off_t off)
{
	return pread(fd, buf, len, off) == (ssize_t)len ? 0 : -1;
}

static void scan_notes(const uint8_t *p, size_t len, unsigned int *prstatus, int *vmcoreinfo)
{
	size_t off = 0;

	while (off + sizeof(Elf64_Nhdr) <= len) {
		Elf64_Nhdr nh;
		const char *name;
		size_t desc;

		memcpy(&nh, p + off, sizeof(nh));
		if (nh.n_namesz == 0 && nh.n_descsz == 0)
			break;
		name = (const char *)p + off + sizeof(nh);
		desc = off + sizeof(nh) + ((nh.n_namesz + 3) & ~3u);
		if (desc + nh.n_descsz > len)
			break;
		if (nh.n_type == NT_PRSTATUS && nh.n_namesz == 5 && !memcmp(name, "CORE", 5))
			(*prstatus)++;
		if (nh.n_namesz == 11 && !memcmp(name, "VMCOREINFO", 11)) {
			const char *d = (const char *)p + desc, *rel;

			*vmcoreinfo = 1;
			rel = memmem(d, nh.n_descsz, "OSRELEASE=", 10);
			if (rel)
				printf("vmcoreinfo: %.*s\n", (int)strcspn(rel, "\n"), rel);
		}
		off = desc + ((nh.n_descsz + 3) & ~3u);
	}
}

#define CHUNK (1u << 20)

/* Search one PT_LOAD in chunks; the last mlen-1 bytes of each start the next. */
static int find_in_load(int fd, const Elf64_Phdr *ph, const char *marker, uint64_t *paddr)
{
	size_t mlen = strlen(marker), keep = 0;
	char *buf = malloc(CHUNK + mlen);
	uint64_t done = 0;
	int found = 0;

	while (buf && !found && done < ph->p_filesz) {
		size_t want = ph->p_filesz - done < CHUNK ? (size_t)(ph->p_filesz - done) : CHUNK;
		ssize_t n = pread(fd, buf + keep, want, (off_t)(ph->p_offset + done));
		size_t len;
		char *hit;

		if (n <= 0)
			break;
		len = keep + (size_t)n;
		hit = memmem(buf, len, marker, mlen);
		if (hit) {
			*paddr = ph->p_paddr + done - keep + (uint64_t)(hit - buf);
			found = 1;
		}
		done += (uint64_t)n;
		keep = len < mlen - 1 ? len : mlen - 1;
		memmove(buf, buf + len - keep, keep);
	}
	free(buf);
	return found;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/proc/vmcore";
	unsigned int prstatus = 0, loads = 0;
	uint64_t bytes = 0;
	const char *marker = argc > 2 ? argv[2] : NULL;
	uint64_t marker_paddr = 0;
	int vmcoreinfo = 0, marker_found = 0;
	Elf64_Ehdr eh;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || read_at(fd, &eh, sizeof(eh), 0) || memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_type != ET_CORE) {
		printf("vmcore: %s is not an ELF64 core\n", path);
		return 1;
	}
	for (unsigned int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		if (read_at(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + i * sizeof(ph))))
			return 1;
		if (ph.p_type == PT_LOAD) {
			loads++;
			bytes += ph.p_memsz;
			if (marker && !marker_found && marker[0])
				marker_found = find_in_load(fd, &ph, marker, &marker_paddr);
		} else if (ph.p_type == PT_NOTE && ph.p_filesz < (1u << 24)) {
			uint8_t *n = malloc(ph.p_filesz);

			if (n && !read_at(fd, n, ph.p_filesz, (off_t)ph.p_offset))
				scan_notes(n, ph.p_filesz, &prstatus, &vmcoreinfo);
			free(n);
		}
	}
	printf("vmcore: elf64 core, %u prstatus notes, vmcoreinfo %s, %u loads, %llu bytes of memory\n",
	       prstatus, vmcoreinfo ? "yes" : "no", loads, (unsigned long long)bytes);
	if (marker && marker_found)
		printf("marker: found at paddr 0x%llx\n", (unsigned long long)marker_paddr);
	else if (marker)
		printf("marker: not found\n");
	close(fd);
	return 0;
}
