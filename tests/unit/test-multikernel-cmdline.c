/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * multikernel-cmdline.c: the spawned kernel's default words, and which of
 * them --no-default-param=NAME drops (a word equal to NAME, or whose
 * parameter name is NAME; a NAME matching nothing is named by
 * mk_cmdline_unknown_dropped, which the rule dropped-words-known refuses).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "multikernel-cmdline.h"
#include "unit-helpers.h"

/* The words every load gets, between the console words and the host facts. */
#define FIXED "acpi=off nosmp noapic nokaslr pci=off initcall_blacklist=virtio_pci_driver_init " \
	      "initcall_blacklist=i8042_init initcall_blacklist=cmos_init panic=0 tsc=nowatchdog"

struct mkc_row {
	const char *name;
	uint16_t port;
	uint32_t khz;
	uint64_t shared;
	const char *dropped[4];
	bool several_cpus;
	bool own_acpi;		/* the load builds its ACPI tables (boot protocol 2.14+) */
	enum kx_status status;
	const char *want;	/* the command line, or the unknown name (KX_EUSAGE) */
};

static const struct mkc_row mkc_rows[] = {
	{ "defaults_ttyS1", 0x2f8, 2596088, 0, { NULL }, false, false, KX_OK,
	  "console=ttyS1,115200 8250.nr_uarts=2 " FIXED " tsc_early_khz=2596088" },
	{ "console_ttyS2_registers_three_ports", 0x3e8, 0, 0, { NULL }, false, false, KX_OK,
	  "console=ttyS2,115200 8250.nr_uarts=3 " FIXED },
	{ "other_port_no_console_words", 0x3000, 0, 0, { NULL }, false, false, KX_OK, FIXED },
	{ "shared_memory_named", 0x2f8, 0, 0x7f000000, { NULL }, false, false, KX_OK,
	  "console=ttyS1,115200 8250.nr_uarts=2 " FIXED " mk_shared_memory=0x7f000000" },
	{ "drop_by_parameter_name", 0x2f8, 0, 0, { "pci" }, false, false, KX_OK,
	  "console=ttyS1,115200 8250.nr_uarts=2 acpi=off nosmp noapic nokaslr "
	  "initcall_blacklist=virtio_pci_driver_init initcall_blacklist=i8042_init "
	  "initcall_blacklist=cmos_init panic=0 tsc=nowatchdog" },
	{ "drop_one_of_a_repeated_parameter", 0x2f8, 0, 0,
	  { "initcall_blacklist=virtio_pci_driver_init", "pci=off" }, false, false, KX_OK,
	  "console=ttyS1,115200 8250.nr_uarts=2 acpi=off nosmp noapic nokaslr "
	  "initcall_blacklist=i8042_init initcall_blacklist=cmos_init panic=0 tsc=nowatchdog" },
	{ "drop_every_word_of_a_parameter", 0x2f8, 0, 0, { "initcall_blacklist" }, false, false, KX_OK,
	  "console=ttyS1,115200 8250.nr_uarts=2 acpi=off nosmp noapic nokaslr pci=off panic=0 tsc=nowatchdog" },
	{ "drop_computed_word", 0x2f8, 2596088, 0, { "tsc_early_khz", "console" }, false, false, KX_OK,
	  "8250.nr_uarts=2 " FIXED },
	/* "tsc" names tsc=nowatchdog, not tsc_early_khz= (another parameter). */
	{ "drop_tsc_watchdog_word", 0x2f8, 2596088, 0, { "tsc" }, false, false, KX_OK,
	  "console=ttyS1,115200 8250.nr_uarts=2 acpi=off nosmp noapic nokaslr pci=off "
	  "initcall_blacklist=virtio_pci_driver_init initcall_blacklist=i8042_init "
	  "initcall_blacklist=cmos_init panic=0 tsc_early_khz=2596088" },
	/*
	 * Tables of its own (every bzImage of boot protocol 2.14 or later):
	 * ACPI on with no word, and neither nosmp nor noapic, which would each
	 * send it to the host's MP table for an I/O APIC; nothing to drop.
	 */
	{ "own_tables_one_cpu", 0x2f8, 2596088, 0, { NULL }, false, true, KX_OK,
	  "console=ttyS1,115200 8250.nr_uarts=2 nokaslr pci=off "
	  "initcall_blacklist=virtio_pci_driver_init initcall_blacklist=i8042_init "
	  "initcall_blacklist=cmos_init panic=0 tsc=nowatchdog tsc_early_khz=2596088" },
	{ "own_tables_nosmp_not_droppable", 0x2f8, 0, 0, { "nosmp" }, false, true, KX_EUSAGE, "nosmp" },
	{ "own_tables_noapic_not_droppable", 0x2f8, 0, 0, { "noapic" }, false, true, KX_EUSAGE, "noapic" },
	{ "own_tables_acpi_not_droppable", 0x2f8, 0, 0, { "acpi" }, false, true, KX_EUSAGE, "acpi" },
	/* Several CPUs (--cpu=LIST, always with tables of its own): its IPIs go to its own CPUs. */
	{ "several_cpus_no_ipi_broadcast", 0x2f8, 0, 0, { NULL }, true, true, KX_OK,
	  "console=ttyS1,115200 8250.nr_uarts=2 no_ipi_broadcast=1 nokaslr pci=off "
	  "initcall_blacklist=virtio_pci_driver_init initcall_blacklist=i8042_init "
	  "initcall_blacklist=cmos_init panic=0 tsc=nowatchdog" },
	{ "unknown_name_refused", 0x2f8, 0, 0, { "pcie" }, false, false, KX_EUSAGE,
	  "pcie" },
	{ "prefix_of_a_name_refused", 0x2f8, 0, 0, { "acp" }, false, false, KX_EUSAGE, "acp" },
	{ "other_value_refused", 0x2f8, 0, 0, { "pci=on" }, false, false, KX_EUSAGE, "pci=on" },
	{ "absent_computed_word_refused", 0x2f8, 0, 0, { "tsc_early_khz" }, false, false, KX_EUSAGE,
	  "tsc_early_khz" },
};

static void test_defaults(void **state)
{
	const struct mkc_row *row = *state;
	size_t nr = 0;
	struct mk_cmdline_in in = { .serial_port = row->port, .tsc_khz = row->khz,
				    .shared_mem_addr = row->shared, .dropped = row->dropped,
				    .several_cpus = row->several_cpus, .own_acpi = row->own_acpi };
	struct kx_error err = { 0 };
	char out[1024];
	int ret;

	while (nr < 4 && row->dropped[nr])
		nr++;
	in.nr_dropped = nr;
	if (row->status != KX_OK) {
		assert_non_null(mk_cmdline_unknown_dropped(&in));
		assert_string_equal(mk_cmdline_unknown_dropped(&in), row->want);
		return;
	}
	assert_null(mk_cmdline_unknown_dropped(&in));
	ret = mk_cmdline_defaults(&in, out, sizeof(out), &err);
	assert_int_equal(ret, 0);
	assert_string_equal(out, row->want);
}

/*
 * The user's own acpi= words (--append, --reuse-cmdline) decide what the
 * kernel reads: acpi=off anywhere means it never reads its tables, so the
 * words of a kernel without them come back (nosmp, noapic; acpi=off is the
 * user's); acpi=noirq or acpi=ht skip the MADT's I/O APIC: noapic.
 */
static void test_user_acpi(void **state)
{
	struct mk_cmdline_in in = { .serial_port = 0x2f8, .own_acpi = true };
	struct kx_error err = { 0 };
	char out[1024];

	(void)state;
	assert_int_equal(mk_cmdline_defaults(&in, out, sizeof(out), &err), 0);
	assert_null(strstr(out, "nosmp"));
	assert_null(strstr(out, "noapic"));
	in.acpi_off_asked = true;
	assert_int_equal(mk_cmdline_defaults(&in, out, sizeof(out), &err), 0);
	assert_non_null(strstr(out, " nosmp "));
	assert_non_null(strstr(out, " noapic "));
	assert_null(strstr(out, "acpi=off"));
	in.acpi_off_asked = false;
	in.acpi_noirq_asked = true;
	assert_int_equal(mk_cmdline_defaults(&in, out, sizeof(out), &err), 0);
	assert_null(strstr(out, "nosmp"));
	assert_non_null(strstr(out, " noapic "));
	in.several_cpus = true;
	assert_int_equal(mk_cmdline_defaults(&in, out, sizeof(out), &err), 0);
	assert_non_null(strstr(out, " noapic "));
	assert_non_null(strstr(out, "no_ipi_broadcast=1"));
}

/* A buffer too small for the defaults is an error, never a cut-off guard. */
static void test_too_long(void **state)
{
	struct mk_cmdline_in in = { .serial_port = 0x2f8 };
	struct kx_error err = { 0 };
	char out[64];

	(void)state;
	assert_int_equal(mk_cmdline_defaults(&in, out, sizeof(out), &err), -1);
	assert_int_equal(err.status, KX_ECMDLINE);
}

int main(void)
{
	struct CMUnitTest tests[N(mkc_rows) + 2];
	size_t n = 0;

	ROWS(mkc_rows, test_defaults);
	tests[n++] = (struct CMUnitTest){ .name = "too_long", .test_func = test_too_long };
	tests[n++] = (struct CMUnitTest){ .name = "user_acpi", .test_func = test_user_acpi };
	return _cmocka_run_group_tests("multikernel-cmdline", tests, n, NULL, NULL);
}
