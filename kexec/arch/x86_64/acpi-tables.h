/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The firmware view a spawned kernel gets of its own CPUs: ACPI tables
 * the loader builds in the instance's memory, so the kernel never reads
 * the host's MADT or MP table and never learns of a CPU it does not own.
 *
 *   RSDP (revision 2) -> XSDT -> FADT (hardware-reduced) -> DSDT (its console UART)
 *                             -> MADT (an I/O APIC of its own, then the
 *                                      instance's local APICs only; with
 *                                      several, a never-started phantom first)
 *
 * The layout follows ACPI 6.x chapter 5.2.  The MADT's I/O APIC is a
 * register window in the instance's own memory (the block's second page),
 * not the host's chip: a kernel that finds an I/O APIC in the MADT never
 * reads the host's MP table for one (Linux: mpparse_get_smp_config returns
 * when ACPI gave both local and I/O APICs), so it never learns of, reads
 * or programs the I/O APIC that routes the host's interrupts.  Nothing is
 * wired to the window's pins; no interrupt ever comes from it.  The FADT says "hardware
 * reduced" (no SCI, PM timer, GPE or PM1 blocks) and "no VGA, no 8042,
 * no CMOS RTC", so Linux skips those probes; on x86 a hardware-reduced
 * platform also skips the legacy PIC and the PIT (acpi_reduced_hw_init).
 */
#ifndef KEXEC_X86_ACPI_TABLES_H
#define KEXEC_X86_ACPI_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ACPI_MAX_CPUS 64	/* MADT entries, the phantom's included */
#define ACPI_UART_AML_LEN 50	/* the DSDT's one device, the console UART */

/*
 * The block is two pages: the tables on the first (ACPI data in the
 * kernel's e820), the I/O APIC's register window on the second (reserved
 * in its e820, so the kernel maps it uncached as a device and never takes
 * it for RAM).  The window's data register (offset 0x10) holds what every
 * read of it returns until the kernel writes it: version 0x11 and 24
 * redirection entries, the layout of Intel's 82093AA.
 */
#define ACPI_TABLES_MAX		4096	/* the first page */
#define ACPI_IOAPIC_WINDOW_OFF	4096	/* the second page */
#define ACPI_BLOCK_SIZE		8192
#define ACPI_IOAPIC_ID		0
#define ACPI_IOAPIC_ENTRIES	24
#define ACPI_IOAPIC_REG_VALUE	(((ACPI_IOAPIC_ENTRIES - 1u) << 16) | 0x11u)

/* The byte offsets of each table inside the block, and the tables' size. */
struct acpi_layout {
	size_t rsdp_off, xsdt_off, fadt_off, dsdt_off, madt_off;
	size_t madt_len;
	size_t size;
};

/* Where each table goes for nr_entries MADT entries (the phantom's included).  Pure. */
void acpi_tables_layout(size_t nr_entries, struct acpi_layout *lay);

/*
 * Fill buf (ACPI_BLOCK_SIZE bytes) with the tables for the local APIC ids
 * apic_ids[0..nr_cpus) and the I/O APIC window, to be placed at phys_addr
 * (below 4 GiB: the MADT's I/O APIC address has 32 bits); the
 * first id is the boot CPU.  phantom_apic_id: -1, or an 8-bit id no CPU
 * of the machine has, listed first as online-capable and not enabled
 * (acpi-tables.c, build_madt, says why several CPUs need it).  uart_io:
 * the legacy port (0x3f8, 0x2f8, 0x3e8, 0x2e8) of the kernel's console,
 * described in the DSDT without an interrupt so the kernel polls it; 0
 * for none.  Every checksum is set.  Returns 0, or -1 when nr_cpus is 0,
 * the entries are above ACPI_MAX_CPUS, the phantom is 0xff or above or
 * one of apic_ids, uart_io is no legacy port, the tables do not fit their
 * page or phys_addr is not below 4 GiB.  Pure: same inputs, same bytes.
 */
int acpi_tables_build(uint8_t *buf, uint64_t phys_addr, const uint32_t *apic_ids,
		      size_t nr_cpus, int64_t phantom_apic_id, uint16_t uart_io);

/*
 * The phantom's id: the highest below 0xff with used[id] false (used has
 * 0xff entries: every id a CPU of the machine or the instance has).  -1
 * when every one is used.
 */
int acpi_phantom_apic_id(const bool *used);

/*
 * Mark used[id] (0xff entries) for every id below 0xff that a MADT of len
 * bytes lists in a Processor Local APIC or x2APIC entry, enabled or not
 * (a disabled one is a CPU the firmware may add later).  For the host's
 * own MADT, read from /sys/firmware/acpi/tables/APIC: untrusted bytes,
 * every entry bounds-checked; the walk stops at the first entry that does
 * not fit.  Returns the number of processor entries, or -1 when t is no
 * MADT.  Pure.
 */
int acpi_madt_mark_apic_ids(const uint8_t *t, size_t len, bool *used);

/* The 8-bit sum of n bytes (an ACPI table is valid when its sum is 0). */
uint8_t acpi_sum(const uint8_t *p, size_t n);

#endif /* KEXEC_X86_ACPI_TABLES_H */
