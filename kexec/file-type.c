// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>

#include "file-type.h"

const struct file_type *file_type_select(const struct image_file *f, const char *type,
					 struct kx_error *err)
{
	struct kx_error best = { .status = KX_OK };

	for (size_t i = 0; i < nr_file_types; i++) {
		const struct file_type *ft = &file_types[i];
		struct kx_error e = { .status = KX_OK };

		if (type && strcmp(type, ft->name) != 0 && !(ft->alias && strcmp(type, ft->alias) == 0))
			continue;
		if (ft->probe(f, &e) == 0)
			return ft;
		if (type) {
			*err = e;
			return NULL;
		}
		/* A loader that recognised the format explains better than one that did not. */
		if (best.status == KX_OK || (best.status == KX_EFORMAT && e.status != KX_EFORMAT))
			best = e;
	}
	if (type) {
		kx_fail(err, KX_EUSAGE, "unknown image type '%s'; see 'kexec --help' for the types",
			type);
		return NULL;
	}
	if (best.status == KX_EFORMAT || best.status == KX_OK)
		kx_fail(err, KX_EFORMAT, "%s: unrecognised image format (not a bzImage or an "
			"ELF64 x86-64 executable)", f->path);
	else
		*err = best;
	return NULL;
}
