// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a kernel spawned beside the host is told before the user's
 * --append: the words that keep it on its own CPU, in its own memory and
 * away from the host's devices.  Every word was checked against the
 * parser in Linux 6.12 and against the boot log of a stock Debian 6.12
 * kernel spawned in QEMU (tests/multikernel/test-debian-confined.sh);
 * doc/kexec.8 (MULTIKERNEL, Default command line) explains each one at
 * length.  The user's --append comes after these, and
 * --no-default-param=NAME leaves one out, e.g. to hand a device over.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "cmdline-params.h"
#include "legacy-uart.h"
#include "multikernel-cmdline.h"

#define MK_DEFAULT_SERIAL 0x2f8		/* ttyS1: ttyS0 is usually the host's console */

/* A computed word: fills word and returns true, or false when it does not apply. */
typedef bool (*mk_word_fn)(const struct mk_cmdline_in *in, char *word, size_t size);

struct mk_word {
	const char *text;	/* the word itself, or NULL when make() computes it */
	mk_word_fn make;
	const char *why;	/* one line, printed by -d and --dry-run */
};

static bool word_console(const struct mk_cmdline_in *in, char *word, size_t size)
{
	/* Another I/O base than the legacy ports gets no such word. */
	int i = legacy_uart_index(in->serial_port);

	return i >= 0 && snprintf(word, size, "console=ttyS%d,115200", i) > 0;
}

static bool word_nr_uarts(const struct mk_cmdline_in *in, char *word, size_t size)
{
	/* Another I/O base than the legacy ports gets no such word. */
	int i = legacy_uart_index(in->serial_port);

	return i >= 0 && snprintf(word, size, "8250.nr_uarts=%d", i + 1) > 0;
}

/*
 * Without tables of its own (a boot protocol before 2.14 has no
 * acpi_rsdp_addr, so the kernel would find the host's RSDP): no ACPI at
 * all.  With them (acpi-tables.h) ACPI stays on and needs no word: it
 * reads only what kexec built.
 */
static bool word_acpi_off(const struct mk_cmdline_in *in, char *word, size_t size)
{
	return !in->own_acpi && snprintf(word, size, "acpi=off") > 0;
}

/*
 * Whether the kernel will read the tables kexec built: not when the
 * user's own words turn ACPI off (the words come after ours, and no later
 * acpi= undoes an acpi=off).  Then the words for a kernel without tables
 * apply, whatever the image could have been given.
 */
static bool reads_own_tables(const struct mk_cmdline_in *in)
{
	return in->own_acpi && !in->acpi_off_asked;
}

/*
 * Without its tables, the kernel takes its I/O APIC from the MP table in
 * the host's low memory: the host's chip, which it must not program.  So
 * too with acpi=noirq or acpi=ht of the user's, which skip the MADT's I/O
 * APIC.  Otherwise the MADT lists an I/O APIC of the instance's own (a
 * window in its memory, wired to nothing), and a kernel that has one from
 * ACPI never reads the MP table for another.
 */
static bool word_noapic(const struct mk_cmdline_in *in, char *word, size_t size)
{
	return (!reads_own_tables(in) || in->acpi_noirq_asked) &&
	       snprintf(word, size, "noapic") > 0;
}

/*
 * Without its tables, the only CPUs it could find are the host's (the MP
 * table): nosmp, so it never sends INIT or SIPI to any.  With them
 * (always so for --cpu=LIST), its MADT lists only the instance's CPUs and,
 * for several, a phantom it never starts (acpi-tables.c): no start-up
 * signal can reach a host CPU, and one CPU has none to start.  nosmp
 * would also cost the instance its own I/O APIC: on x86 it turns I/O APIC
 * support off (arch_disable_smp_support), and the kernel then takes the
 * host's from the MP table.
 */
static bool word_nosmp(const struct mk_cmdline_in *in, char *word, size_t size)
{
	return !reads_own_tables(in) && snprintf(word, size, "nosmp") > 0;
}

/*
 * Several CPUs: once every CPU it has is up, Linux sends an IPI meant for
 * "every CPU but this one" (a function call, a stop on panic) as the
 * local APIC's all-excluding-self shorthand (arch/x86/kernel/apic/ipi.c,
 * apic_smt_update), which every CPU of the machine receives: the host's
 * too.  no_ipi_broadcast=1 keeps each IPI addressed to its own CPUs.  One
 * CPU never sends one.
 */
static bool word_no_ipi_broadcast(const struct mk_cmdline_in *in, char *word, size_t size)
{
	return in->several_cpus && snprintf(word, size, "no_ipi_broadcast=1") > 0;
}

static bool word_tsc_khz(const struct mk_cmdline_in *in, char *word, size_t size)
{
	return in->tsc_khz && snprintf(word, size, "tsc_early_khz=%" PRIu32, in->tsc_khz) > 0;
}

static bool word_shared_mem(const struct mk_cmdline_in *in, char *word, size_t size)
{
	return in->shared_mem_addr &&
	       snprintf(word, size, "mk_shared_memory=0x%" PRIx64, in->shared_mem_addr) > 0;
}

/*
 * In command-line order.  What no word can prevent in 6.12 is in
 * doc/kexec.8: the PIC and PIT are programmed by every x86 kernel at boot,
 * and the wall clock is read once from the CMOS RTC.
 */
static const struct mk_word mk_words[] = {
	{ NULL, word_console,
	  "its console, on the port purgatory reports on" },
	{ NULL, word_nr_uarts,
	  "the 8250 driver resets every port it registers: none above its own" },
	{ NULL, word_acpi_off,
	  "no ACPI: before boot protocol 2.14 it cannot be given tables and would find the host's" },
	{ NULL, word_nosmp,
	  "without its ACPI tables the MP table's CPUs are the host's: start none" },
	{ NULL, word_no_ipi_broadcast,
	  "several CPUs: an all-but-self IPI shorthand would reach the host's CPUs too" },
	{ NULL, word_noapic,
	  "without its MADT's I/O APIC it takes the MP table's, the host's: program none" },
	{ "nokaslr", NULL,
	  "a randomised address could fall outside the reservation" },
	{ "pci=off", NULL,
	  "no PCI config access: enumerating resets and reprograms the host's devices" },
	{ "initcall_blacklist=virtio_pci_driver_init", NULL,
	  "built-in virtio_pci resets the host's virtio disks and NICs if PCI is back on" },
	{ "initcall_blacklist=i8042_init", NULL,
	  "the keyboard controller is the host's: do not probe or reprogram it" },
	{ "initcall_blacklist=cmos_init", NULL,
	  "the CMOS RTC is the host's: no rtc0, no clock set or alarms from it" },
	{ "panic=0", NULL,
	  "a panic must hang its CPU, never reset the machine the host runs on" },
	{ "tsc=nowatchdog", NULL,
	  "jiffies, its only other clock, lag when its CPU is held up: keep a good TSC" },
	{ NULL, word_tsc_khz,
	  "the host's TSC rate: it cannot calibrate without timers the host owns" },
	{ NULL, word_shared_mem,
	  "the host's multikernel shared memory range" },
};

#define MK_NR_WORDS (sizeof(mk_words) / sizeof(mk_words[0]))

/* The word for row i, or false when it does not apply to this load. */
static bool mk_word_text(const struct mk_cmdline_in *in, size_t i, char *word, size_t size)
{
	if (mk_words[i].make)
		return mk_words[i].make(in, word, size);
	snprintf(word, size, "%s", mk_words[i].text);
	return true;
}

/* NAME drops a word it equals, or whose parameter name (before '=') it is. */
static bool mk_name_matches(const char *name, const char *word)
{
	size_t n = strlen(name);

	return strcmp(name, word) == 0 || (strncmp(name, word, n) == 0 && word[n] == '=');
}

static bool mk_dropped(const struct mk_cmdline_in *in, const char *word)
{
	for (size_t d = 0; d < in->nr_dropped; d++)
		if (mk_name_matches(in->dropped[d], word))
			return true;
	return false;
}

const char *mk_cmdline_unknown_dropped(const struct mk_cmdline_in *in)
{
	char word[96];

	for (size_t d = 0; d < in->nr_dropped; d++) {
		bool found = false;

		for (size_t i = 0; i < MK_NR_WORDS && !found; i++)
			found = mk_word_text(in, i, word, sizeof(word)) &&
				mk_name_matches(in->dropped[d], word);
		if (!found)
			return in->dropped[d];
	}
	return NULL;
}

int mk_cmdline_defaults(const struct mk_cmdline_in *in, char *out, size_t size,
			struct kx_error *err)
{
	char word[96];

	out[0] = '\0';
	for (size_t i = 0; i < MK_NR_WORDS; i++) {
		if (!mk_word_text(in, i, word, sizeof(word)) || mk_dropped(in, word))
			continue;
		if (cmdline_append(out, size, word))
			return kx_fail(err, KX_ECMDLINE, "the spawned kernel's default command line "
				       "exceeds %zu bytes", size - 1);
	}
	return 0;
}

void mk_cmdline_explain(FILE *f, const struct mk_cmdline_in *in)
{
	char word[96];

	fprintf(f, "default words for the spawned kernel (--no-default-param=NAME drops one):\n");
	for (size_t i = 0; i < MK_NR_WORDS; i++) {
		if (!mk_word_text(in, i, word, sizeof(word)))
			continue;
		fprintf(f, "  %-42s %s%s\n", word, mk_dropped(in, word) ? "DROPPED: " : "",
			mk_words[i].why);
	}
}

uint16_t mk_serial(const struct kexec_options *o)
{
	return o->serial_port ? o->serial_port : MK_DEFAULT_SERIAL;
}

struct mk_cmdline_in mk_cmdline_facts(const struct kexec_options *o,
				      const struct host_facts *hf, uint32_t tsc_khz)
{
	const char *reused = o->reuse_cmdline ? hf->cmdline : "";

	return (struct mk_cmdline_in){
		.serial_port = mk_serial(o),
		.acpi_off_asked = cmdline_has_value(o->append, "acpi", "off") ||
				  cmdline_has_value(reused, "acpi", "off"),
		.acpi_noirq_asked = cmdline_has_value(o->append, "acpi", "noirq") ||
				    cmdline_has_value(o->append, "acpi", "ht") ||
				    cmdline_has_value(reused, "acpi", "noirq") ||
				    cmdline_has_value(reused, "acpi", "ht"),
		.tsc_khz = tsc_khz,
		.shared_mem_addr = hf->iomem.mk_shared.nr ? hf->iomem.mk_shared.r[0].start : 0,
		.several_cpus = o->nr_cpus > 1,
		.dropped = o->no_default_param,
		.nr_dropped = o->nr_no_default_param,
	};
}
