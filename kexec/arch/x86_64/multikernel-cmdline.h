/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The spawned kernel's default command line: a table of words, each with
 * the reason it is there, which keep a kernel started beside the host away
 * from the host's devices.  Pure: no I/O, the caller hands in the facts.
 */
#ifndef KEXEC_MULTIKERNEL_CMDLINE_H
#define KEXEC_MULTIKERNEL_CMDLINE_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "host-facts.h"
#include "options.h"
#include "status.h"

struct mk_cmdline_in {
	uint16_t serial_port;		/* the spawned kernel's console, an I/O base */
	uint32_t tsc_khz;		/* the host's TSC rate, 0 unknown */
	uint64_t shared_mem_addr;	/* "Multikernel Shared Memory" start, 0 none */
	bool own_acpi;			/* it gets, and can find, ACPI tables of its own */
	bool acpi_off_asked;		/* the user's words (--append, --reuse-cmdline) have acpi=off */
	bool acpi_noirq_asked;		/* ... acpi=noirq or acpi=ht: no I/O APIC from ACPI */
	bool several_cpus;		/* --cpu=LIST names more than one: no_ipi_broadcast=1 */
	const char *const *dropped;	/* --no-default-param values */
	size_t nr_dropped;
};

/* The I/O port the new kernel and its purgatory write to (--serial, or ttyS1). */
uint16_t mk_serial(const struct kexec_options *o);

/* The facts the default words depend on, from the options and the host (pure). */
struct mk_cmdline_in mk_cmdline_facts(const struct kexec_options *o,
				      const struct host_facts *hf, uint32_t tsc_khz);

/*
 * The first --no-default-param value that names no default word of this
 * load, or NULL: the rule dropped-words-known (multikernel-rules.c) refuses
 * it, since a typo must not silently leave a device guard in place (or
 * take one away).
 */
const char *mk_cmdline_unknown_dropped(const struct mk_cmdline_in *in);

/* The default words, minus the dropped ones, space separated in out. */
int mk_cmdline_defaults(const struct mk_cmdline_in *in, char *out, size_t size,
			struct kx_error *err);

/* For -d and --dry-run: every default word with its reason, dropped ones marked. */
void mk_cmdline_explain(FILE *f, const struct mk_cmdline_in *in);

#endif /* KEXEC_MULTIKERNEL_CMDLINE_H */
