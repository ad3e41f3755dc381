/* SPDX-License-Identifier: GPL-2.0-only */
/* The x86-64 bzImage loader: header checks (probe) and segment planning (load). */
#ifndef KEXEC_X86_BZIMAGE64_H
#define KEXEC_X86_BZIMAGE64_H

#include "bootparam.h"
#include "image-file.h"
#include "load-request.h"
#include "plan.h"

struct bzimage {
	struct setup_header hdr;	/* copy of the image's header */
	size_t hdr_len;			/* bytes of hdr present in the image */
	size_t setup_size;		/* real-mode part: (setup_sects + 1) * 512 */
	const uint8_t *kernel;		/* protected-mode part */
	size_t kernel_size;
};

/* Validate the setup header; names the field that fails. */
int bzimage64_probe(const struct image_file *f, struct bzimage *bz, struct kx_error *err);

int bzimage64_plan(const struct image_file *f, const struct load_request *req,
		   const struct load_env *env, struct kx_plan *plan, struct kx_error *err);

#endif /* KEXEC_X86_BZIMAGE64_H */
