// SPDX-License-Identifier: GPL-2.0-only
/*
 * The planned reservation as text.  The words are the same in every
 * spelling; only the '$' of memmap=SIZE$ADDR changes: GRUB's grub.cfg
 * expands $NAME, so a linux line needs \$; /etc/default/grub is shell,
 * sourced by update-grub, which copies GRUB_CMDLINE_LINUX's value into
 * grub.cfg as it is, so the value must hold \$, written "\\\$" inside
 * the shell's double quotes.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include "multikernel-memory.h"
#include "multikernel-reserve-print.h"

/* memparse's own suffixes where exact (512M, 1G), else hex: what the kernel reads back. */
static void size_word(uint64_t v, char *buf, size_t size)
{
	if (v % (1ull << 30) == 0)
		snprintf(buf, size, "%" PRIu64 "G", v >> 30);
	else if (v % (1ull << 20) == 0)
		snprintf(buf, size, "%" PRIu64 "M", v >> 20);
	else
		snprintf(buf, size, "0x%" PRIx64, v);
}

/* For the report's size column: 256M, 384K. */
static void size_short(uint64_t v, char *buf, size_t size)
{
	if (v % (1ull << 20) == 0)
		size_word(v, buf, size);
	else if (v % 1024 == 0)
		snprintf(buf, size, "%" PRIu64 "K", v >> 10);
	else
		snprintf(buf, size, "0x%" PRIx64, v);
}

static const char *dollar(enum mk_reserve_spelling s)
{
	switch (s) {
	case MK_SPELL_GRUB_CFG:		return "\\$";
	case MK_SPELL_DEFAULT_GRUB:	return "\\\\\\$";
	case MK_SPELL_CMDLINE:		break;
	}
	return "$";
}

int mk_reserve_words(const struct mk_reserve_plan *p, enum mk_reserve_spelling spelling,
		     char *out, size_t size)
{
	size_t used = 0;

	if (size)
		out[0] = '\0';
	for (size_t i = 0; i < p->nr_words; i++) {
		char sz[32];
		int n;

		size_word(p->word[i].end - p->word[i].start, sz, sizeof(sz));
		n = snprintf(out + used, size - used, "%smemmap=%s%s0x%" PRIx64, i ? " " : "", sz,
			     dollar(spelling), p->word[i].start);
		if (n < 0 || (size_t)n >= size - used)
			return -1;
		used += (size_t)n;
	}
	return 0;
}

/* One row of the report: what, where (inclusive last, as --mem-max takes it), how much. */
static void row(FILE *out, const char *what, const struct mem_range *r, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void row(FILE *out, const char *what, const struct mem_range *r, const char *fmt, ...)
{
	char where[48], sz[32];
	va_list ap;

	snprintf(where, sizeof(where), "0x%" PRIx64 "-0x%" PRIx64, r->start, r->end - 1);
	size_short(r->end - r->start, sz, sizeof(sz));
	fprintf(out, "  %-12s %-24s %6s  ", what, where, sz);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}

void mk_reserve_print(FILE *out, const struct mk_reserve_plan *p)
{
	char words[512], sz[32], left[32], low_left[32];

	size_short(p->instance_size, sz, sizeof(sz));
	fprintf(out, "Reservation for %u multikernel instance%s of %s on this machine "
		"(kexec(8), MULTIKERNEL):\n", p->instances, p->instances == 1 ? "" : "s", sz);
	row(out, "low memory", &p->low, "the trampolines, %" PRIu64 "K per instance",
	    (uint64_t)MK_LOW_SIZE >> 10);
	for (unsigned int i = 0; i < p->instances; i++) {
		char what[24];

		snprintf(what, sizeof(what), "instance %u", i + 1);
		row(out, what, &p->instance[i], "--mem-min=0x%" PRIx64 " --mem-max=0x%" PRIx64,
		    p->instance[i].start, p->instance[i].end - 1);
	}
	snprintf(left, sizeof(left), "%" PRIu64 "M", p->host_ram_left >> 20);	/* at least */
	size_short(p->host_low_left, low_left, sizeof(low_left));
	fprintf(out, "  the host keeps %s of RAM below 4 GiB (crash kernel areas aside) and %s "
		"in one piece below 1 MiB\n", left, low_left);
	if (p->instance_size == MK_INSTANCE_SIZE && p->nr_words == 2)
		fprintf(out, "  (a load without --mem-min/--mem-max takes the lowest free %s: the "
			"instances in this order)\n", sz);
	else
		fprintf(out, "  (give each load its instance's --mem-min/--mem-max: without them "
			"a load takes up to 256M of the largest free piece)\n");

	fputs("\nKernel command line:\n", out);
	mk_reserve_words(p, MK_SPELL_CMDLINE, words, sizeof(words));
	fprintf(out, "  %s\n", words);
	fputs("grub.cfg (a linux line; GRUB expands $, so \\$):\n", out);
	mk_reserve_words(p, MK_SPELL_GRUB_CFG, words, sizeof(words));
	fprintf(out, "  %s\n", words);
	fputs("/etc/default/grub (add the line at its end, or use --write-grub; then run "
	      "update-grub and reboot):\n", out);
	mk_reserve_words(p, MK_SPELL_DEFAULT_GRUB, words, sizeof(words));
	fprintf(out, "  GRUB_CMDLINE_LINUX=\"$GRUB_CMDLINE_LINUX %s\"\n", words);
}

int mk_reserve_dropin(const struct mk_reserve_plan *p, char *out, size_t size)
{
	char words[512], sz[32];
	int n;

	if (mk_reserve_words(p, MK_SPELL_DEFAULT_GRUB, words, sizeof(words)))
		return -1;
	size_short(p->instance_size, sz, sizeof(sz));
	n = snprintf(out, size,
		     MK_DROPIN_MARK "=%u,%s\n"
		     "# Memory set aside at boot for %u multikernel instance%s of %s and their\n"
		     "# trampolines (kexec(8), MULTIKERNEL).  kexec may replace this file; run\n"
		     "# update-grub after any change, then reboot.\n"
		     "GRUB_CMDLINE_LINUX=\"$GRUB_CMDLINE_LINUX %s\"\n",
		     p->instances, sz, p->instances, p->instances == 1 ? "" : "s", sz, words);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}
