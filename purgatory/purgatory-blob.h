/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The purgatory binary, embedded in the loader by purgatory-blob.S.
 *
 * It begins with struct purgatory_params (purgatory-params.h).  The
 * loader copies the blob, fills in the loader's fields of the copy and
 * loads it unrelocated at any page-aligned physical address below 4 GiB:
 *   segment bufsz = purgatory_blob_size,
 *   segment memsz = params.mem_size rounded up to a page,
 *   kexec entry   = load address + params.entry_offset.
 */
#ifndef PURGATORY_BLOB_H
#define PURGATORY_BLOB_H

#include <stddef.h>

extern const unsigned char purgatory_blob[];
extern const size_t purgatory_blob_size;

#endif /* PURGATORY_BLOB_H */
