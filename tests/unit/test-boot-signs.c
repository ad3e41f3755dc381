/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * boot-signs.c: what a log says about a boot, on sequences of lines as
 * 6.1 and 6.12 print them: init run, an init that failed before the
 * next was tried, a panic after "Run ..." (init=/nonexistent), an oops,
 * the panic's lines kept (multi-line records split), records folded once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "boot-signs.h"
#include "unit-helpers.h"

static void feed(struct boot_signs *b, const char *const *lines, size_t n)
{
	static struct printk_record rec;

	for (size_t i = 0; i < n; i++) {
		rec.seq = i;
		rec.ts_nsec = 1000000000ull * i;
		rec.text_len = strlen(lines[i]);
		memcpy(rec.text, lines[i], rec.text_len + 1);
		boot_signs_add(b, &rec);
	}
}

static void init_run(void **state)
{
	static const char *const l[] = { "Freeing unused kernel image (initmem) memory: 3000K",
					 "Run /init as init process", "  with arguments:",
					 "    /init", "  with environment:", "    HOME=/",
					 "random: crng init done" };
	struct boot_signs b = { 0 };

	(void)state;
	feed(&b, l, 2);
	assert_true(b.init_run);
	assert_false(b.after_init);
	assert_string_equal(b.init, "/init");
	assert_int_equal(b.init_ts_nsec, 1000000000ull);
	feed(&b, l, N(l) - 1);	/* seq 0 and 1 again: folded once */
	assert_false(b.after_init);	/* run_init_process's own listing, before its exec */
	assert_string_equal(b.last, "    HOME=/");
	feed(&b, l, N(l));
	assert_true(b.after_init);
	assert_false(b.panicked);
	assert_string_equal(b.last, "random: crng init done");
}

/* A failed /init, then /sbin/init tried and run. */
static void failed_then_next(void **state)
{
	static const char *const l[] = { "Run /init as init process",
					 "Failed to execute /init (error -2)",
					 "Run /sbin/init as init process" };
	struct boot_signs b = { 0 };

	(void)state;
	feed(&b, l, 2);
	assert_true(b.init_failed);
	assert_false(b.after_init);
	feed(&b, l, 3);
	assert_false(b.init_failed);
	assert_string_equal(b.init, "/sbin/init");
}

static void panic_after_run(void **state)
{
	static const char *const l[] = {
		"Run /nonexistent as init process",
		"  with arguments:",
		"Kernel panic - not syncing: Requested init /nonexistent failed (error -2).",
		"CPU: 0 UID: 0 PID: 1 Comm: swapper/0 Not tainted 6.12.57+deb13-amd64 #1\nCall Trace:\n <TASK>",
		"---[ end Kernel panic - not syncing: Requested init /nonexistent failed (error -2). ]---" };
	struct boot_signs b = { 0 };

	(void)state;
	feed(&b, l, N(l));
	assert_true(b.panicked);
	assert_true(b.panic_line);
	assert_int_equal(b.nr_panic, 5);
	assert_string_equal(b.panic[0], l[2]);
	assert_string_equal(b.panic[2], "Call Trace:");
	assert_false(b.after_init);	/* the panic is no proof the exec went through */
}

static void oops_counts(void **state)
{
	static const char *const l[] = { "BUG: kernel NULL pointer dereference, address: 0000000000000000",
					 "#PF: supervisor read access in kernel mode" };
	struct boot_signs b = { 0 };

	(void)state;
	feed(&b, l, N(l));
	assert_true(b.panicked);
	assert_false(b.panic_line);
	assert_int_equal(b.nr_panic, 2);
}

/* Lines that merely mention the words are not signs. */
static void look_alikes(void **state)
{
	static const char *const l[] = { "Kernel command line: panic=0 init=/sbin/init",
					 "rcu: Hierarchical RCU implementation. BUG: no",
					 "Running /init as init process is what we do" };
	struct boot_signs b = { 0 };

	(void)state;
	feed(&b, l, N(l));
	assert_false(b.panicked);
	assert_false(b.init_run);
	/* control bytes in the last line are not passed on */
	{
		static const char *const esc[] = { "evil \x1b[2J line" };
		struct boot_signs e = { 0 };

		feed(&e, esc, 1);
		assert_string_equal(e.last, "evil ?[2J line");
	}
}

/* The panic's lines stop at the cap, however long the report. */
static void panic_lines_capped(void **state)
{
	static const char *l[60];
	struct boot_signs b = { 0 };

	(void)state;
	l[0] = "Kernel panic - not syncing: x";
	for (size_t i = 1; i < N(l); i++)
		l[i] = "trace line";
	feed(&b, l, N(l));
	assert_int_equal(b.nr_panic, BOOT_PANIC_LINES);
}

/* The 8250 driver is done once a line follows its port lines (Debian 6.12's log). */
static void serial_registration(void **state)
{
	static const char *const l[] = {
		"initcall virtio_pci_driver_init blacklisted",
		"Serial: 8250/16550 driver, 2 ports, IRQ sharing enabled",
		"serial8250: ttyS0 at I/O 0x3f8 (irq = 4, base_baud = 115200) is a 16550A",
		"serial8250: ttyS1 at I/O 0x2f8 (irq = 3, base_baud = 115200) is a 16550A",
		"Linux agpgart interface v0.103" };
	struct boot_signs b = { 0 };

	(void)state;
	feed(&b, l, 1);
	assert_false(b.serial_driver);
	feed(&b, l, 3);
	assert_true(b.serial_driver);
	assert_false(b.serial_done);	/* ttyS1 is still to be probed (and reset) */
	assert_int_equal(b.serial_ports, 1);
	feed(&b, l, 4);
	assert_false(b.serial_done);
	feed(&b, l, N(l));
	assert_true(b.serial_done);
	assert_int_equal(b.serial_ports, 3);
	assert_int_equal(b.serial_done_ts_nsec, 4000000000ull);
}

/* No 8250 line before init: the driver is a module, or absent. */
static void no_serial_driver(void **state)
{
	static const char *const l[] = { "Freeing unused kernel image (initmem) memory: 764K",
					 "Run /init as init process" };
	struct boot_signs b = { 0 };

	(void)state;
	feed(&b, l, N(l));
	assert_false(b.serial_driver);
	assert_false(b.serial_done);
	assert_true(b.init_run);
	assert_false(b.serial_late);
}

/* An 8250 module loaded by the init: registered after kexec stopped watching. */
static void late_serial_driver(void **state)
{
	static const char *const l[] = { "Run /init as init process",
					 "Serial: 8250/16550 driver, 4 ports, IRQ sharing enabled",
					 "serial8250: ttyS0 at I/O 0x3f8 (irq = 4, base_baud = 115200) is a 16550A" };
	struct boot_signs b = { 0 };

	(void)state;
	feed(&b, l, N(l));
	assert_true(b.serial_late);
	assert_int_equal(b.serial_ports, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(init_run),
		cmocka_unit_test(failed_then_next),
		cmocka_unit_test(panic_after_run),
		cmocka_unit_test(oops_counts),
		cmocka_unit_test(look_alikes),
		cmocka_unit_test(panic_lines_capped),
		cmocka_unit_test(serial_registration),
		cmocka_unit_test(no_serial_driver),
		cmocka_unit_test(late_serial_driver),
	};

	return cmocka_run_group_tests_name("boot-signs", tests, NULL, NULL);
}
