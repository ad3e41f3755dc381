// SPDX-License-Identifier: GPL-2.0-only
/* The rows of /proc/multikernel (mk-images.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "mk-images.h"

/* "%-10s  0x%012lx  %8lu" (doc/multikernel-abi.md 3.4). */
size_t mk_images(const struct host_facts *hf, struct mk_image *out, size_t max)
{
	const char *p = hf->proc_multikernel;
	size_t n = 0;

	while (p && *p && n < max) {
		struct mk_image im;

		if (sscanf(p, "%15s 0x%" SCNx64 " %lu", im.type, &im.entry, &im.segments) == 3)
			out[n++] = im;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return n;
}

bool mk_loaded(const struct host_facts *hf, struct mk_image *first)
{
	struct mk_image im[16];
	size_t n = mk_images(hf, im, 16);

	for (size_t i = 0; i < n; i++) {
		if (strcmp(im[i].type, "multikernel") == 0) {
			if (first)
				*first = im[i];
			return true;
		}
	}
	return false;
}
