/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the user asked for (struct load_request) and where the new kernel may
 * live (struct load_env).  The CLI fills the request; host facts plus the
 * load kind (ordinary or multikernel) give the environment.  Image loaders
 * see only these two and never learn which kind of load they serve.
 */
#ifndef KEXEC_LOAD_REQUEST_H
#define KEXEC_LOAD_REQUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "image-file.h"
#include "mem-range.h"

#define KX_CMDLINE_MAX 4096

struct load_request {
	const struct image_file *kernel;
	const struct image_file *initrd;	/* NULL: none */
	char cmdline[KX_CMDLINE_MAX];		/* final command line for the new kernel */
	bool verify_digests;			/* purgatory checks sha256 (off with -i) */
	uint16_t serial_port;			/* purgatory's console, 0 = silent */
};

struct load_env {
	struct mem_ranges allowed;	/* every segment goes here */
	const char *allowed_name;	/* for messages: "usable RAM", "the reservation at ..." */
	const char *no_room_hint;	/* what to do when a segment does not fit */
	uint64_t max_end;		/* no segment ends above this */
	/*
	 * A relocatable kernel at the highest fit instead of the lowest: where
	 * kexec_file_load and kexec-tools put it in an ordinary load
	 * (kexec-bzImage64.c says why).
	 */
	bool kernel_top_down;
	struct mem_ranges e820;		/* the memory map the new kernel is given */
	uint64_t acpi_rsdp_addr;
	/*
	 * Local APIC ids for the new kernel's own ACPI tables (the first is
	 * the CPU it starts on); 0 CPUs: none are built and acpi_rsdp_addr
	 * is passed on as it is.  x86 only.
	 */
	uint32_t acpi_apic_ids[64];
	size_t acpi_nr_cpus;
	uint16_t acpi_uart_io;		/* the console's legacy port for its DSDT, 0 none */
	bool acpi_apic_known;		/* acpi_apic_ids[0] read from the host, not a placeholder */
	bool acpi_phantom;		/* several CPUs: the MADT's phantom entry first (acpi-tables.h) */
	uint32_t acpi_phantom_apic_id;
	uint64_t totalram_bytes;	/* host RAM, for the kernel's half-of-RAM rule */
	/*
	 * Purgatory leaves the entry page tables at once: the multikernel
	 * wake-up tables are host memory the next kick rewrites (doc/multikernel-abi.md 4.3).
	 */
	bool purgatory_own_page_tables;
	/*
	 * A page for purgatory's status record (purgatory-params.h), 0 for
	 * none.  It is a zero-filled segment of the plan, so every load
	 * starts from "never ran", and not RAM in e820: the new kernel
	 * leaves it for the host to read.
	 */
	uint64_t status_addr;
	/*
	 * A segment this load kind puts at a fixed address before the image:
	 * the crash ELF core header.  memsz 0: none.  unchecked: purgatory
	 * does not hash it, because the kernel may rewrite it (--hotplug).
	 */
	struct {
		const void *buf;
		size_t bufsz;
		uint64_t mem, memsz;
		const char *purpose, *source;
		bool unchecked;
	} fixed;
};

#endif /* KEXEC_LOAD_REQUEST_H */
