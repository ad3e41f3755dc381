/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Embeds build/purgatory/purgatory.bin in the loader (purgatory-blob.h).
 * Assembled with -Wa,-I<dir of purgatory.bin> by purgatory/Makefile.frag.
 */
	.section .rodata.purgatory, "a", @progbits
	.globl	purgatory_blob
	.type	purgatory_blob, @object
	.balign	64
purgatory_blob:
	.incbin	"purgatory.bin"
purgatory_blob_end:
	.size	purgatory_blob, . - purgatory_blob

	.globl	purgatory_blob_size
	.type	purgatory_blob_size, @object
	.balign	8
purgatory_blob_size:
	.quad	purgatory_blob_end - purgatory_blob
	.size	purgatory_blob_size, 8

	.section .note.GNU-stack, "", @progbits
