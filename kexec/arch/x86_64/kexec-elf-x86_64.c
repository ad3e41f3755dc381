// SPDX-License-Identifier: GPL-2.0-only
/*
 * An ELF64 x86-64 executable: every PT_LOAD goes to its p_paddr, straight
 * from the mapped file (a segment that starts mid-page carries the file
 * bytes before it, so nothing is copied).  Purgatory jumps to e_entry with
 * RSI = a zero page, as the 64-bit boot protocol wants for a vmlinux; a
 * bare-metal payload may ignore it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "elf64-read.h"
#include "kexec-elf-x86_64.h"
#include "x86-boot-plan.h"

/* vmlinux carries no setup header: describe what its 64-bit entry accepts. */
#define ELF_CMDLINE_SIZE	2048	/* x86 COMMAND_LINE_SIZE */
#define ELF_INITRD_END_MAX	0x80000000ull

int elf_x86_64_probe(const struct image_file *f, struct kx_error *err)
{
	struct elf64_file e;

	return elf64_open(&e, f->path, f->data, f->size, err);
}

/* e_entry may be virtual (vmlinux); translate it through the PT_LOAD that holds it. */
static int entry_phys(const struct elf64_file *e, uint64_t *out)
{
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < e->phnum; i++) {
			Elf64_Phdr ph;
			uint64_t base;

			elf64_phdr(e, i, &ph);
			if (ph.p_type != PT_LOAD)
				continue;
			base = pass == 0 ? ph.p_paddr : ph.p_vaddr;
			if (e->eh.e_entry >= base && e->eh.e_entry < base + ph.p_memsz) {
				*out = e->eh.e_entry - base + ph.p_paddr;
				return 0;
			}
		}
	}
	return -1;
}

static int place_loads(const struct image_file *f, const struct elf64_file *e,
		       struct kx_plan *plan, uint64_t *lowest, struct kx_error *err)
{
	*lowest = UINT64_MAX;
	for (size_t i = 0; i < e->phnum; i++) {
		Elf64_Phdr ph;
		uint64_t delta;
		char source[96];

		elf64_phdr(e, i, &ph);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		delta = ph.p_paddr & (KX_PAGE_SIZE - 1);
		if (ph.p_filesz > ph.p_memsz || ph.p_offset > f->size ||
		    ph.p_filesz > f->size - ph.p_offset)
			return kx_fail(err, KX_ETRUNCATED, "%s: PT_LOAD %zu (offset 0x%" PRIx64
				       ", filesz 0x%" PRIx64 ") runs past the end of the file",
				       f->path, i, ph.p_offset, ph.p_filesz);
		if (ph.p_memsz > UINT64_MAX - ph.p_paddr)
			return kx_fail(err, KX_ETRUNCATED, "%s: PT_LOAD %zu (paddr 0x%" PRIx64
				       ", memsz 0x%" PRIx64 ") ends past the top of the address space",
				       f->path, i, ph.p_paddr, ph.p_memsz);
		if (ph.p_filesz && ph.p_offset < delta)
			return kx_fail(err, KX_EUNSUPPORTED, "%s: PT_LOAD %zu: p_offset and p_paddr "
				       "disagree modulo the page size", f->path, i);
		snprintf(source, sizeof(source), "%s+0x%" PRIx64, f->path, ph.p_offset - delta);
		if (plan_place_fixed(plan, ph.p_filesz ? f->data + ph.p_offset - delta : NULL,
				     ph.p_filesz ? ph.p_filesz + delta : 0, ph.p_paddr - delta,
				     ph.p_memsz + delta, "elf-load", source, err))
			return -1;
		if (ph.p_paddr < *lowest)
			*lowest = ph.p_paddr;
	}
	if (*lowest == UINT64_MAX)
		return kx_fail(err, KX_EUNSUPPORTED, "%s: no PT_LOAD segment to load", f->path);
	return 0;
}

int elf_x86_64_plan(const struct image_file *f, const struct load_request *req,
		    const struct load_env *env, struct kx_plan *plan, struct kx_error *err)
{
	struct setup_header hdr = {
		.boot_flag = BP_BOOT_FLAG,
		.header = BP_HDRS_MAGIC,
		.version = BP_MIN_PROTOCOL,
		.loadflags = LOADED_HIGH,
		.xloadflags = XLF_KERNEL_64,
		.cmdline_size = ELF_CMDLINE_SIZE,
		.initrd_addr_max = (uint32_t)(ELF_INITRD_END_MAX - 1),
	};
	struct x86_boot_target t;
	uint64_t lowest, entry;
	struct elf64_file e;

	if (elf64_open(&e, f->path, f->data, f->size, err))
		return -1;
	if (strlen(req->cmdline) > ELF_CMDLINE_SIZE)
		return kx_fail(err, KX_ECMDLINE, "command line is %zu bytes; an ELF kernel accepts "
			       "at most %d", strlen(req->cmdline), ELF_CMDLINE_SIZE);
	if (place_loads(f, &e, plan, &lowest, err))
		return -1;
	if (entry_phys(&e, &entry))
		return kx_fail(err, KX_EUNSUPPORTED, "%s: e_entry 0x%" PRIx64 " is in no PT_LOAD "
			       "segment", f->path, (uint64_t)e.eh.e_entry);
	t = (struct x86_boot_target){
		.hdr = &hdr,
		.hdr_len = sizeof(hdr),
		.kernel_addr = lowest,
		.jump_addr = entry,
		.initrd_end_max = ELF_INITRD_END_MAX,
	};
	return x86_plan_boot(plan, env, req, &t, err);
}
