// SPDX-License-Identifier: GPL-2.0-only
/* The x86-64 loaders, in probe order. */
#include "file-type.h"
#include "kexec-bzImage64.h"
#include "kexec-elf-x86_64.h"

#define KEXEC_ARCH_X86_64 (62ul << 16)	/* EM_X86_64 << 16 */

static int bzimage64_probe_only(const struct image_file *f, struct kx_error *err)
{
	struct bzimage bz;

	return bzimage64_probe(f, &bz, err);
}

const struct file_type file_types[] = {
	/* kexec-tools' "bzImage" enters at 32 bits; any kernel we take has the 64-bit entry. */
	{ "bzImage64", "bzImage", bzimage64_probe_only, bzimage64_plan },
	{ "elf-x86_64", NULL, elf_x86_64_probe, elf_x86_64_plan },
};
const size_t nr_file_types = sizeof(file_types) / sizeof(file_types[0]);

const unsigned long kexec_arch_flags = KEXEC_ARCH_X86_64;
