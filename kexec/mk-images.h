/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The running kernel's list of loaded kexec images, /proc/multikernel
 * (doc/multikernel-abi.md 3.4), as host-facts.c read it.  Pure: no I/O.
 * Both the ordinary path ('kexec -e' is refused while a multikernel image
 * is loaded) and the multikernel stages read it.
 */
#ifndef KEXEC_MK_IMAGES_H
#define KEXEC_MK_IMAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host-facts.h"

/* One row of /proc/multikernel. */
struct mk_image {
	char type[16];
	uint64_t entry;
	unsigned long segments;
};

/* The rows of /proc/multikernel, at most max of them. */
size_t mk_images(const struct host_facts *hf, struct mk_image *out, size_t max);

/*
 * The first multikernel image listed, if any: the one the kernel would
 * start (copied to first unless it is NULL).
 */
bool mk_loaded(const struct host_facts *hf, struct mk_image *first);

#endif /* KEXEC_MK_IMAGES_H */
