/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host's serial ports around a multikernel start: reading them from
 * /sys/class/tty, telling whether one is open, and which of them the new
 * kernel's 8250 driver will reset for a given command line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "host-facts.h"
#include "mk-instance.h"
#include "multikernel-serial.h"
#include "status.h"
#include "unit-helpers.h"

static void write_port(const char *root, const char *name, const char *type, const char *port,
		       const char *dev)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "sys/class/tty/%s/type", name);
	unit_sysroot_write(root, rel, type);
	snprintf(rel, sizeof(rel), "sys/class/tty/%s/port", name);
	unit_sysroot_write(root, rel, port);
	snprintf(rel, sizeof(rel), "sys/class/tty/%s/dev", name);
	unit_sysroot_write(root, rel, dev);
}

/*
 * A host whose legacy ports are numbered ttyS0..ttyS3 except that 0x3e8
 * has no UART (type 0), plus a memory-mapped ttyS4 (port 0) and a tty
 * that is not a serial port.
 */
static struct host_facts *read_host(const char *root)
{
	struct host_facts *hf = calloc(1, sizeof(*hf));
	struct kx_error err = { 0 };

	assert_non_null(hf);
	write_port(root, "ttyS0", "4\n", "0x3F8\n", "4:64\n");
	write_port(root, "ttyS1", "4\n", "0x2F8\n", "4:65\n");
	write_port(root, "ttyS2", "0\n", "0x3E8\n", "4:66\n");
	write_port(root, "ttyS3", "4\n", "0x2E8\n", "4:67\n");
	write_port(root, "ttyS4", "4\n", "0x0\n", "4:68\n");
	write_port(root, "tty1", "4\n", "0x3F8\n", "4:1\n");
	unit_sysroot_write(root, "sys/class/tty/console/active", "tty0 ttyS0\n");
	if (host_facts_read(root, hf, &err))
		fail_msg("host_facts_read: %s", err.msg);
	return hf;
}

static const struct host_serial *find(const struct host_serial_ports *ports, const char *name)
{
	for (unsigned int i = 0; i < ports->nr; i++)
		if (strcmp(ports->port[i].name, name) == 0)
			return &ports->port[i];
	return NULL;
}

static void test_read_ports(void **state)
{
	char *root = unit_sysroot_new();
	struct host_facts *hf = read_host(root);
	struct host_serial_ports ports;
	const struct host_serial *s0, *s3;

	(void)state;
	host_serial_ports_read(hf, &ports);
	s0 = find(&ports, "ttyS0");
	s3 = find(&ports, "ttyS3");
	assert_int_equal(ports.nr, 3);	/* ttyS0, ttyS1, ttyS3 */
	assert_non_null(s0);
	assert_int_equal(s0->io_port, 0x3f8);
	assert_int_equal(s0->major, 4);
	assert_int_equal(s0->minor, 64);
	assert_true(s0->console);
	assert_non_null(s3);
	assert_int_equal(s3->io_port, 0x2e8);
	assert_false(s3->console);
	assert_null(find(&ports, "ttyS2"));
	assert_null(find(&ports, "ttyS4"));
	free(hf);
	unit_sysroot_remove(root);
}

/* A process's fd is a character device with the port's numbers: open.  /dev/null is 1:3. */
static void test_in_use(void **state)
{
	char *root = unit_sysroot_new();
	struct host_facts *hf;
	char link[4200];
	struct host_serial null_port = { "ttyS9", 0x3f8, 1, 3, false };

	(void)state;
	hf = read_host(root);
	assert_false(host_serial_in_use(hf, &null_port));
	unit_sysroot_write(root, "proc/42/fd/.keep", "");
	snprintf(link, sizeof(link), "%s/proc/42/fd/0", root);
	assert_int_equal(symlink("/dev/null", link), 0);
	unit_sysroot_write(root, "proc/self-is-not-a-pid/fd/.keep", "");
	assert_true(host_serial_in_use(hf, &null_port));
	null_port.minor = 4;
	assert_false(host_serial_in_use(hf, &null_port));
	free(hf);
	unit_sysroot_remove(root);
}

struct plan_row {
	const char *name;
	const char *cmdline;
	uint16_t own_port;
	const char *want;
	const char *why;	/* the start's reason not to wait, none of the host's ports open */
};

static const struct plan_row plan_rows[] = {
	{ "plan_default_ttyS1", "console=ttyS1,115200 8250.nr_uarts=2 acpi=off", 0x2f8,
	  "ttyS0 (0x3f8)", "the host's ports its 8250 driver resets, ttyS0 (0x3f8), are not "
	  "open (an open sets a port up afresh)" },
	{ "plan_ttyS3_skips_port_without_uart", "console=ttyS3,115200 8250.nr_uarts=4", 0x2e8,
	  "ttyS0 (0x3f8), ttyS1 (0x2f8)", "ttyS0 (0x3f8), ttyS1 (0x2f8), are not open" },
	{ "plan_append_raises_nr_uarts", "8250.nr_uarts=2 8250.nr_uarts=4", 0x2f8,
	  "ttyS0 (0x3f8), ttyS3 (0x2e8)", "are not open" },
	{ "plan_append_nr_uarts_zero", "8250.nr_uarts=2 8250.nr_uarts=0", 0x2f8, "none",
	  "its command line gives its 8250 driver no port (8250.nr_uarts=0), so it resets "
	  "none of the host's" },
	{ "plan_own_ttyS0", "console=ttyS0,115200 8250.nr_uarts=1", 0x3f8, "none",
	  "its 8250 driver resets ttyS0, and the host has none of them (the new kernel's own "
	  "console port aside)" },
	{ "plan_core_name", "8250_core.nr_uarts=2", 0x2e8, "ttyS0 (0x3f8), ttyS1 (0x2f8)",
	  "are not open" },
	{ "plan_core_name_zero", "8250_core.nr_uarts=0", 0x2f8, "none", "(8250.nr_uarts=0)" },
	/* No nr_uarts word (a port outside the legacy four): the driver's default of 4. */
	{ "plan_driver_default", "acpi=off", 0x2f0,
	  "ttyS0 (0x3f8), ttyS1 (0x2f8), ttyS3 (0x2e8)", "are not open" },
};

static void test_plan(void **state)
{
	const struct plan_row *row = *state;
	char *root = unit_sysroot_new();
	struct host_facts *hf = read_host(root);
	struct host_serial_ports ports;
	struct mk_serial_rearm r;
	char text[256];

	host_serial_ports_read(hf, &ports);
	mk_serial_rearm_plan(&ports, row->cmdline, row->own_port, &r);
	mk_serial_rearm_describe(&r, text, sizeof(text));
	assert_string_equal(text, row->want);
	/* Nothing open (the plan leaves r.open clear): a reason not to wait, always. */
	assert_int_equal(mk_serial_rearm_none_why(&r, text, sizeof(text)), 1);
	unit_assert_contains(text, row->why);
	/* One planned port open: the start waits to re-arm it, and gives no such reason. */
	if (r.nr) {
		r.open[r.nr - 1] = true;
		text[0] = '\0';
		assert_int_equal(mk_serial_rearm_none_why(&r, text, sizeof(text)), 0);
		assert_string_equal(text, "");
	}
	free(hf);
	unit_sysroot_remove(root);
}

/* The host numbers its ports its own way: the plan names the host's tty at each address. */
static void test_plan_host_names(void **state)
{
	char *root = unit_sysroot_new();
	struct host_facts *hf = calloc(1, sizeof(*hf));
	struct kx_error err = { 0 };
	struct host_serial_ports ports;
	struct mk_serial_rearm r;
	char text[128];

	(void)state;
	assert_non_null(hf);
	write_port(root, "ttyS4", "4\n", "0x3F8\n", "4:68\n");
	assert_int_equal(host_facts_read(root, hf, &err), 0);
	host_serial_ports_read(hf, &ports);
	mk_serial_rearm_plan(&ports, "8250.nr_uarts=2", 0x2f8, &r);
	mk_serial_rearm_describe(&r, text, sizeof(text));
	assert_string_equal(text, "ttyS4 (0x3f8)");
	/* No ports at all (a recorded machine without /sys/class/tty). */
	unit_sysroot_remove(root);
	root = unit_sysroot_new();
	assert_int_equal(host_facts_read(root, hf, &err), 0);
	memset(&ports, 0xff, sizeof(ports));	/* every field must be written */
	host_serial_ports_read(hf, &ports);
	assert_int_equal(ports.nr, 0);
	mk_serial_rearm_plan(&ports, "8250.nr_uarts=4", 0x2f8, &r);
	assert_int_equal(r.nr, 0);
	assert_int_equal(mk_serial_rearm_none_why(&r, text, sizeof(text)), 1);
	assert_string_equal(text, "its 8250 driver resets ttyS0 to ttyS3, and the host has none "
			    "of them (the new kernel's own console port aside)");
	free(hf);
	unit_sysroot_remove(root);
}

/* The schedule is bounded and increasing: the start returns within its last step. */
static void test_schedule(void **state)
{
	(void)state;
	for (unsigned int i = 1; i < MK_REARM_STEPS; i++)
		assert_true(mk_rearm_at_ms[i] > mk_rearm_at_ms[i - 1]);
	assert_true(mk_rearm_at_ms[MK_REARM_STEPS - 1] <= 10000);
}

/* A neighbour's console port, and whether a new kernel's 8250 driver resets it. */
static void test_neighbour_ports(void **state)
{
	(void)state;
	assert_int_equal(mk_serial_console_of("a console=ttyS1,115200 b"), 0x2f8);
	assert_int_equal(mk_serial_console_of("console=ttyS1 console=ttyS3,9600n8"), 0x2e8);
	assert_int_equal(mk_serial_console_of("console=ttyS2"), 0x3e8);
	assert_int_equal(mk_serial_console_of("console=ttyS1 console=tty0"), 0);
	assert_int_equal(mk_serial_console_of("console=ttyS4"), 0);
	assert_int_equal(mk_serial_console_of("console=ttyS12"), 0);
	assert_int_equal(mk_serial_console_of("quiet"), 0);
	/* 8250.nr_uarts=N registers ttyS0..ttyS(N-1); without it, the driver's 4. */
	assert_true(mk_serial_resets("8250.nr_uarts=4", 0x2f8));
	assert_true(mk_serial_resets("8250.nr_uarts=2", 0x2f8));
	assert_false(mk_serial_resets("8250.nr_uarts=2", 0x3e8));
	assert_false(mk_serial_resets("8250.nr_uarts=4 8250.nr_uarts=1", 0x2f8));
	assert_true(mk_serial_resets("quiet", 0x2e8));
	assert_false(mk_serial_resets("8250_core.nr_uarts=0", 0x3f8));
}

/* check_neighbours: NEW (a command line) beside one running instance given THEIRS. */
static int neighbour_verdict(const char *theirs, enum mk_state state, const char *mine,
			     char *msg, size_t size)
{
	static struct mk_instance in;
	struct mk_registry reg = { .nr = 1, .inst = &in };
	struct kx_error err = { 0 };
	int ret;

	memset(&in, 0, sizeof(in));
	in.cpu = 1;
	in.state = state;
	snprintf(in.image, sizeof(in.image), "/boot/A");
	snprintf(in.cmdline, sizeof(in.cmdline), "%s", theirs);
	ret = mk_serial_check_neighbours(&reg, mine, &err);
	snprintf(msg, size, "%s", ret ? err.msg : "");
	if (ret)
		assert_int_equal(err.status, KX_ESERIAL);
	return ret;
}

/*
 * Another console than a running instance's is refused: for the reset
 * when the new kernel's 8250 driver reaches their port, else for the 8259.
 */
static void test_neighbour_rule(void **state)
{
	char m[1024];

	(void)state;
	/* The same port, or neither on a legacy port: let through. */
	assert_int_equal(neighbour_verdict("console=ttyS2", MK_RUNNING, "console=ttyS2", m, sizeof(m)), 0);
	assert_int_equal(neighbour_verdict("console=tty0", MK_RUNNING, "quiet", m, sizeof(m)), 0);
	/* A higher port than theirs: its driver resets theirs. */
	assert_int_equal(neighbour_verdict("console=ttyS1", MK_RUNNING, "console=ttyS3", m, sizeof(m)), -1);
	assert_non_null(strstr(m, "would reset ttyS1, the console of the instance on CPU 1"));
	assert_non_null(strstr(m, "(--serial=ttyS1)"));
	/* A lower port: no reset; with acpi=off on either side they share the 8259's lines. */
	assert_int_equal(neighbour_verdict("console=ttyS2 acpi=off", MK_RUNNING,
					   "console=ttyS1 8250.nr_uarts=2 acpi=noirq", m, sizeof(m)), -1);
	assert_non_null(strstr(m, "prints on ttyS2 and the new kernel would print on ttyS1"));
	assert_non_null(strstr(m, "8259"));
	assert_non_null(strstr(m, "(--serial=ttyS2)"));
	/* One of the two without a legacy port: still two kernels on the 8259. */
	assert_int_equal(neighbour_verdict("console=tty0", MK_RUNNING,
					   "console=ttyS1 8250.nr_uarts=2 acpi=off", m, sizeof(m)), -1);
	assert_non_null(strstr(m, "prints on no legacy serial port and the new kernel would print on ttyS1"));
	assert_null(strstr(m, "--serial="));
	assert_int_equal(neighbour_verdict("console=ttyS3 acpi=noirq acpi=off", MK_RUNNING,
					   "console=tty0 8250.nr_uarts=0", m, sizeof(m)), -1);
	/* Both on their own ACPI tables: no 8259 between them, a lower port is fine. */
	assert_int_equal(neighbour_verdict("console=ttyS2 acpi=noirq acpi_sci=edge", MK_RUNNING,
					   "console=ttyS1 8250.nr_uarts=2 acpi=noirq", m, sizeof(m)), 0);
	assert_int_equal(neighbour_verdict("console=ttyS3", MK_RUNNING,
					   "console=tty0 8250.nr_uarts=0", m, sizeof(m)), 0);
	/* ...but never a higher one: the reset does not care about ACPI. */
	assert_int_equal(neighbour_verdict("console=ttyS1 acpi=noirq", MK_RUNNING,
					   "console=ttyS2 acpi=noirq", m, sizeof(m)), -1);
	assert_non_null(strstr(m, "would reset ttyS1"));
	/* A failed start holds nothing. */
	assert_int_equal(neighbour_verdict("console=ttyS2", MK_FAILED, "console=ttyS1", m, sizeof(m)), 0);
}

int main(void)
{
	struct CMUnitTest tests[N(plan_rows) + 6];
	size_t n = 0;

	tests[n++] = (struct CMUnitTest){ .name = "read_ports", .test_func = test_read_ports };
	tests[n++] = (struct CMUnitTest){ .name = "in_use", .test_func = test_in_use };
	ROWS(plan_rows, test_plan);
	tests[n++] = (struct CMUnitTest){ .name = "plan_host_names", .test_func = test_plan_host_names };
	tests[n++] = (struct CMUnitTest){ .name = "schedule", .test_func = test_schedule };
	tests[n++] = (struct CMUnitTest){ .name = "neighbour_ports", .test_func = test_neighbour_ports };
	tests[n++] = (struct CMUnitTest){ .name = "neighbour_rule", .test_func = test_neighbour_rule };
	return _cmocka_run_group_tests("multikernel-serial", tests, n, NULL, NULL);
}
