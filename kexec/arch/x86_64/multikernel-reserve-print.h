/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A planned reservation (multikernel-reserve.h) as text: its memmap= words
 * in the three spellings a user types them in, the report
 * --plan-reservation prints, and the GRUB drop-in --write-grub writes.
 * Formatting only; nothing here reads or writes the machine.
 */
#ifndef KEXEC_X86_MULTIKERNEL_RESERVE_PRINT_H
#define KEXEC_X86_MULTIKERNEL_RESERVE_PRINT_H

#include <stddef.h>
#include <stdio.h>

#include "multikernel-reserve.h"

enum mk_reserve_spelling {
	MK_SPELL_CMDLINE,	/* the kernel's command line: memmap=512M$0x20000000 */
	MK_SPELL_GRUB_CFG,	/* a linux line of grub.cfg: GRUB expands $, so \$ */
	MK_SPELL_DEFAULT_GRUB,	/* inside GRUB_CMDLINE_LINUX="...": the shell, then GRUB: \\\$ */
};

/* The first line of every drop-in kexec writes; a file without it is not kexec's. */
#define MK_DROPIN_MARK "# kexec-multikernel: written by kexec --multikernel --plan-reservation"

/* The memmap= words, space-separated.  -1 if they do not fit in size. */
int mk_reserve_words(const struct mk_reserve_plan *p, enum mk_reserve_spelling spelling,
		     char *out, size_t size);

/* The report: where each part lies, then the words in each spelling. */
void mk_reserve_print(FILE *out, const struct mk_reserve_plan *p);

/* The drop-in for /etc/default/grub.d/.  -1 if it does not fit in size. */
int mk_reserve_dropin(const struct mk_reserve_plan *p, char *out, size_t size);

#endif /* KEXEC_X86_MULTIKERNEL_RESERVE_PRINT_H */
