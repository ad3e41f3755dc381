// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <string.h>

#include "boot-signs.h"

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A line as the report shows it: the first line, control bytes as '?'. */
static void copy_line(char *out, size_t size, const char *text)
{
	size_t n = 0;

	for (; text[n] && text[n] != '\n' && n + 1 < size; n++)
		out[n] = (text[n] >= 0x20 && text[n] < 0x7f) ? text[n] : '?';
	out[n] = '\0';
}

static bool oops_line(const char *t)
{
	return starts(t, "Kernel panic - not syncing") || starts(t, "Oops: ") ||
	       starts(t, "BUG: ") || starts(t, "general protection fault") ||
	       starts(t, "kernel BUG at ");
}

/* "serial8250: ttyS0 at I/O 0x3f8 (irq = 4, base_baud = 115200) is a 16550A" (any prefix). */
static int tty_line(const char *t)
{
	const char *p = strstr(t, "ttyS");

	if (!p || p[4] < '0' || p[4] > '9' || strncmp(p + 5, " at ", 4))
		return -1;
	return p[4] - '0';
}

static void serial_sign(struct boot_signs *b, const struct printk_record *rec)
{
	int n;

	if (starts(rec->text, "Serial: 8250/16550 driver")) {
		b->serial_driver = true;
		b->serial_late = b->init_run;
		return;
	}
	if (!b->serial_driver || b->serial_done)
		return;
	n = tty_line(rec->text);
	if (n >= 0 && n < 32) {
		b->serial_ports |= 1u << n;
		return;
	}
	b->serial_done = true;
	b->serial_done_ts_nsec = rec->ts_nsec;
}

void boot_signs_add(struct boot_signs *b, const struct printk_record *rec)
{
	const char *t = rec->text;
	const char *as;

	if (rec->seq < b->next_seq)
		return;
	b->next_seq = rec->seq + 1;
	copy_line(b->last, sizeof(b->last), t);
	b->have_last = true;
	b->last_ts_nsec = rec->ts_nsec;
	serial_sign(b, rec);
	if (oops_line(t)) {
		b->panicked = true;
		b->panic_line |= starts(t, "Kernel panic - not syncing");
	}
	if (b->panicked) {
		/* each line of a multi-line record, up to the cap */
		for (const char *p = t; *p && b->nr_panic < BOOT_PANIC_LINES; ) {
			const char *nl = strchr(p, '\n');

			copy_line(b->panic[b->nr_panic++], sizeof(b->panic[0]), p);
			if (!nl)
				break;
			p = nl + 1;
		}
		return;
	}
	if (starts(t, "Run ") && (as = strstr(t, " as init process")) && as > t + 4) {
		size_t n = (size_t)(as - (t + 4));

		if (n >= sizeof(b->init))
			n = sizeof(b->init) - 1;
		memcpy(b->init, t + 4, n);
		b->init[n] = '\0';
		b->init_run = true;
		b->init_failed = false;
		b->after_init = false;
		b->init_ts_nsec = rec->ts_nsec;
		b->init_seq = rec->seq;
		return;
	}
	/*
	 * run_init_process lists the arguments and environment ("  with
	 * arguments:", "    /init", ...) before its exec: no proof it went through.
	 */
	if (!b->init_run || starts(t, "  "))
		return;
	if (starts(t, "Failed to execute ") || starts(t, "Starting init: "))
		b->init_failed = true;
	else if (!b->init_failed)
		b->after_init = true;
}
