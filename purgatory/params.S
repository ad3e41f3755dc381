/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The parameter block, placed at offset 0 of the blob by purgatory.lds.
 *
 * The build fills magic, version, size, entry_offset and mem_size; the
 * loader fills the rest (see purgatory-params.h).  The two offsets are
 * differences from the block itself, which the assembler turns into
 * PC-relative relocations: they hold at any link base, and the link
 * check can insist that the blob has no absolute relocation at all.
 */
#include "purgatory-params.h"

	.section .data.params, "aw", @progbits
	.globl	purgatory_params
	.hidden	purgatory_params
	.type	purgatory_params, @object
	.balign	8
purgatory_params:
	.long	PURGATORY_PARAMS_MAGIC			/* 0x00 magic */
	.short	PURGATORY_PARAMS_VERSION		/* 0x04 version */
	.short	PURGATORY_PARAMS_SIZE			/* 0x06 size */
	.long	purgatory_start - purgatory_params	/* 0x08 entry_offset */
	.long	__purgatory_end - purgatory_params	/* 0x0c mem_size */
	.fill	PURGATORY_PARAMS_SIZE - 16, 1, 0	/* 0x10 loader's fields */
	.size	purgatory_params, . - purgatory_params

	.section .note.GNU-stack, "", @progbits
