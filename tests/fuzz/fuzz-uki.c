// SPDX-License-Identifier: GPL-2.0-only
/*
 * systemd UKIs (issue 9's pe-uki.c): any bytes as a PE file.  Either it is
 * no UKI, or its .linux (and any .initrd, .cmdline) lie wholly inside the
 * file, or it is refused with a reason.
 */
#include "fuzz-common.h"
#include "pe-uki.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_section(const char *name, const struct uki_section *s, size_t size)
{
	FUZZ_ASSERT(s->size == 0 || (s->offset <= size && s->size <= size - s->offset),
		    "%s [%#zx, +%#zx) runs past the end of the %zu-byte file", name, s->offset,
		    s->size, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uki_sections u;
	struct kx_error err = { .status = KX_OK };
	int rc = uki_find_sections(data, size, "fuzz.efi", &u, &err);

	FUZZ_ASSERT(rc >= -1 && rc <= 1, "uki_find_sections returned %d", rc);
	if (rc < 0) {
		fuzz_check_failure(&err);
		return 0;
	}
	if (rc == 0)
		return 0;
	FUZZ_ASSERT(u.linux_.size > 0, "a UKI without a .linux section");
	check_section(".linux", &u.linux_, size);
	check_section(".initrd", &u.initrd, size);
	check_section(".cmdline", &u.cmdline, size);
	return 0;
}
