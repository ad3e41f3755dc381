/* SPDX-License-Identifier: GPL-2.0-only */
/* The table of image loaders for this architecture (kexec-tools' struct file_type). */
#ifndef KEXEC_FILE_TYPE_H
#define KEXEC_FILE_TYPE_H

#include "image-file.h"
#include "load-request.h"
#include "plan.h"

struct file_type {
	const char *name;	/* -t/--type value */
	const char *alias;	/* kexec-tools' name for the same images, or NULL */
	/* 0 if this loader takes the image; else err says why not. Never prints. */
	int (*probe)(const struct image_file *f, struct kx_error *err);
	int (*plan)(const struct image_file *f, const struct load_request *req,
		    const struct load_env *env, struct kx_plan *plan, struct kx_error *err);
};

extern const struct file_type file_types[];
extern const size_t nr_file_types;

/* kexec_load flags naming this architecture (KEXEC_ARCH_*). */
extern const unsigned long kexec_arch_flags;

/*
 * Pick the loader: by name when type is given, else the first whose probe
 * accepts f.  When none does, err carries the most specific reason (a
 * truncated bzImage says "truncated", not "unknown format").
 */
const struct file_type *file_type_select(const struct image_file *f, const char *type,
					 struct kx_error *err);

#endif /* KEXEC_FILE_TYPE_H */
