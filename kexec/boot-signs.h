/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a kernel's own log says about its boot, record by record (pure):
 * it ran its init ("Run /init as init process": init/main.c's
 * run_init_process, the same words from 5.7 through 6.12), an init that
 * failed ("Failed to execute /init (error -2)"), a panic ("Kernel panic -
 * not syncing: ...") or an oops ("Oops: ...", "BUG: ...", "general
 * protection fault, ..."), and when its 8250 driver registered its ports.  The lines from the first panic or oops on are
 * kept for the report.
 */
#ifndef KEXEC_BOOT_SIGNS_H
#define KEXEC_BOOT_SIGNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "printk-ring.h"

#define BOOT_PANIC_LINES 24

struct boot_signs {
	bool init_run;			/* "Run X as init process" seen */
	char init[64];			/* X */
	uint64_t init_ts_nsec;		/* that line's timestamp */
	uint64_t init_seq;
	bool init_failed;		/* "Failed to execute X" after it */
	bool after_init;		/* a later record that is no failure: exec went through */
	bool panicked;			/* a panic or an oops */
	bool panic_line;		/* "Kernel panic - not syncing" itself */
	size_t nr_panic;
	char panic[BOOT_PANIC_LINES][160];	/* the first panic/oops line and those after it */
	bool have_last;
	char last[160];			/* the newest line */
	uint64_t last_ts_nsec;
	uint64_t next_seq;		/* fold records from here on */
	/*
	 * The 8250 driver's registration (issue 23): serial8250_init prints
	 * "Serial: 8250/16550 driver, N ports, ..." and then one "ttySn at
	 * I/O 0x..." line per UART it found and reset; the first other line
	 * after them means it has returned, and resets no more ports.
	 */
	bool serial_driver;		/* its first line seen */
	bool serial_done;		/* and a line after its port lines */
	unsigned int serial_ports;	/* bit n: "ttySn at ..." seen */
	uint64_t serial_done_ts_nsec;	/* the first line after them */
	bool serial_late;		/* the driver came after its init ran (a module):
					   after a start's watch had ended */
};

/* Fold one record in (records in order; records already folded are skipped). */
void boot_signs_add(struct boot_signs *b, const struct printk_record *rec);

#endif /* KEXEC_BOOT_SIGNS_H */
