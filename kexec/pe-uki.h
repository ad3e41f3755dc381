/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A systemd Unified Kernel Image: a PE file (an EFI stub) whose .linux
 * section is the kernel, .initrd the initramfs and .cmdline the command
 * line (systemd's UKI specification).  Pure: finds the sections in the
 * mapped bytes, copies nothing.
 */
#ifndef KEXEC_PE_UKI_H
#define KEXEC_PE_UKI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

struct uki_section {
	size_t offset;		/* in the file */
	size_t size;		/* 0: absent */
};

struct uki_sections {
	struct uki_section linux_, initrd, cmdline;
};

/*
 * 1 if data is a PE file with a .linux section (a UKI), 0 if it is not
 * (a plain bzImage is a PE file too, but has no .linux), -1 if it is a
 * UKI whose section table or sections lie outside the file (err set).
 */
int uki_find_sections(const uint8_t *data, size_t size, const char *path,
		      struct uki_sections *out, struct kx_error *err);

#endif /* KEXEC_PE_UKI_H */
