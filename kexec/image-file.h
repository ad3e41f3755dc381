/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Input files (kernel, initrd), mapped rather than copied: a 256 MiB initrd
 * costs page cache, not anonymous memory.  A gzip or xz compressed kernel
 * A gzip, xz or zstd compressed kernel is decompressed into memory once, as
 * kexec-tools does.
 *
 * The hashing threads map a file's pages in just before they read them
 * (kexec/plan.c map_ahead): on a warm page cache, faulting a 256 MiB
 * initrd in 64 KiB at a time costs more than the calls that map it.
 */
#ifndef KEXEC_IMAGE_FILE_H
#define KEXEC_IMAGE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

struct image_file {
	const char *path;
	const uint8_t *data;	/* what the loaders read */
	size_t size;
	const char *compression;	/* NULL, "gzip", "xz", "zstd", or "UKI .linux" */
	void *map;		/* private to image-file.c */
	size_t map_size;
	void *owned;
};

/* Map path; with decompress, a gzip/xz/zstd file is expanded (up to 1 GiB). */
int image_file_open(const char *path, bool decompress, struct image_file *f,
		    struct kx_error *err);
void image_file_close(struct image_file *f);

#endif /* KEXEC_IMAGE_FILE_H */
