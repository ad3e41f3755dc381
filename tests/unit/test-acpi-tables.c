/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * acpi-tables.c: the spawned kernel's tables read back as bytes at the
 * offsets of ACPI 6.5 chapter 5.2 -- signatures, lengths, revisions, both
 * RSDP checksums and each table's, the pointers between them, and in the
 * MADT the instance's own I/O APIC (its window on the block's second
 * page), then one entry per CPU of the instance and nothing else but, for
 * several CPUs, the phantom first (never enabled, never one of the CPUs'
 * ids).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "acpi-tables.h"

#define BASE 0x2ffe0000ull
#define CPUS 56		/* the first processor entry: after the header (44) and the I/O APIC (12) */

static uint8_t buf[8192];

static uint32_t get32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* The table a physical address points to, checked to lie inside the block. */
static const uint8_t *at(uint64_t addr, const struct acpi_layout *lay)
{
	assert_true(addr >= BASE && addr - BASE + 36 <= lay->size);
	return buf + (addr - BASE);
}

static void build(const uint32_t *ids, size_t n, struct acpi_layout *lay)
{
	memset(buf, 0xcc, sizeof(buf));
	acpi_tables_layout(n, lay);
	assert_true(lay->size <= sizeof(buf));
	assert_int_equal(acpi_tables_build(buf, BASE, ids, n, -1, 0), 0);
}

static void check_sdt(const uint8_t *t, const char *sig, uint8_t revision)
{
	assert_memory_equal(t, sig, 4);
	assert_int_equal(t[8], revision);
	assert_int_equal(acpi_sum(t, get32(t + 4)), 0);
}

static void rsdp_both_checksums(void **state)
{
	static const uint32_t ids[] = { 1 };
	struct acpi_layout lay;

	(void)state;
	build(ids, 1, &lay);
	assert_memory_equal(buf, "RSD PTR ", 8);
	assert_int_equal(buf[15], 2);
	assert_int_equal(get32(buf + 20), 36);
	assert_int_equal(acpi_sum(buf, 20), 0);
	assert_int_equal(acpi_sum(buf, 36), 0);
	assert_int_equal(get32(buf + 16), 0);		/* no RSDT */
	assert_int_equal(get64(buf + 24), BASE + lay.xsdt_off);
}

static void xsdt_lists_fadt_and_madt(void **state)
{
	static const uint32_t ids[] = { 1 };
	struct acpi_layout lay;
	const uint8_t *x;

	(void)state;
	build(ids, 1, &lay);
	x = at(get64(buf + 24), &lay);
	check_sdt(x, "XSDT", 1);
	assert_int_equal(get32(x + 4), 36 + 16);
	check_sdt(at(get64(x + 36), &lay), "FACP", 6);
	check_sdt(at(get64(x + 44), &lay), "APIC", 5);
}

static void fadt_hardware_reduced(void **state)
{
	static const uint32_t ids[] = { 1 };
	struct acpi_layout lay;
	const uint8_t *f, *d;
	uint16_t boot_arch;

	(void)state;
	build(ids, 1, &lay);
	f = buf + lay.fadt_off;
	check_sdt(f, "FACP", 6);
	assert_int_equal(f[131], 3);		/* 6.3: Linux 6.9+ reads the online-capable bit */
	assert_int_equal(get32(f + 4), 276);
	assert_true(get32(f + 112) & (1u << 20));		/* HW_REDUCED_ACPI */
	boot_arch = (uint16_t)(f[109] | f[110] << 8);
	assert_int_equal(boot_arch & 0x3, 0);			/* no legacy devices, no 8042 */
	assert_true(boot_arch & (1u << 2));			/* no VGA */
	assert_true(boot_arch & (1u << 5));			/* no CMOS RTC */
	assert_int_equal(f[46] | f[47] << 8, 0);		/* no SCI */
	assert_int_equal(get32(f + 76), 0);			/* no PM timer */
	assert_int_equal(f[208], 0);				/* X_PM_TMR_BLK not in I/O space */
	assert_int_equal(get32(f + 56) | get32(f + 64) | get32(f + 80), 0);	/* PM1, GPE0 */
	assert_int_equal(get32(f + 36), 0);			/* no FACS */
	assert_int_equal(get64(f + 140), BASE + lay.dsdt_off);
	assert_int_equal(get32(f + 40), BASE + lay.dsdt_off);
	d = at(get64(f + 140), &lay);
	check_sdt(d, "DSDT", 2);
	assert_int_equal(get32(d + 4), 36);			/* no AML */
}

/*
 * The console UART in the DSDT, byte for byte as decoded by hand from ACPI
 * 6.5 chapter 20 (and checked once with iasl -d, which prints it back as
 * Device (UAR1) { Name (_HID, EisaId ("PNP0501")) Name (_UID, One)
 * Name (_CRS, ResourceTemplate () { IO (Decode16, 0x02F8, 0x02F8, 0x01, 0x08) }) }).
 */
static void dsdt_console_uart_without_irq(void **state)
{
	static const uint32_t ids[] = { 1 };
	static const uint8_t aml[] = {
		0x10, 0x31, '\\', '_', 'S', 'B', '_',			/* Scope (\_SB), 49 bytes */
		0x5b, 0x82, 0x29, 'U', 'A', 'R', '1',			/* Device (UAR1), 41 bytes */
		0x08, '_', 'H', 'I', 'D', 0x0c, 0x41, 0xd0, 0x05, 0x01,	/* PNP0501 */
		0x08, '_', 'U', 'I', 'D', 0x0a, 0x01,
		0x08, '_', 'C', 'R', 'S', 0x11, 0x0d, 0x0a, 0x0a,	/* Buffer (10) */
		0x47, 0x01, 0xf8, 0x02, 0xf8, 0x02, 0x01, 0x08,		/* IO, no IRQ descriptor */
		0x79, 0x00,
	};
	struct acpi_layout lay;
	const uint8_t *d;

	(void)state;
	memset(buf, 0xcc, sizeof(buf));
	acpi_tables_layout(1, &lay);
	assert_int_equal(acpi_tables_build(buf, BASE, ids, 1, -1, 0x2f8), 0);
	d = at(get64(buf + lay.fadt_off + 140), &lay);
	check_sdt(d, "DSDT", 2);
	assert_int_equal(get32(d + 4), 36 + sizeof(aml));
	assert_int_equal(sizeof(aml), ACPI_UART_AML_LEN);
	assert_memory_equal(d + 36, aml, sizeof(aml));
	assert_true(lay.dsdt_off + 36 + sizeof(aml) <= lay.madt_off);
	/* ttyS3: the name and _UID follow the index, the ports the address. */
	assert_int_equal(acpi_tables_build(buf, BASE, ids, 1, -1, 0x2e8), 0);
	assert_int_equal(d[36 + 13], '3');
	assert_int_equal(d[36 + 30], 3);
	assert_int_equal(d[36 + 42] | d[36 + 43] << 8, 0x2e8);
	check_sdt(d, "DSDT", 2);
}

static void madt_one_lapic_per_cpu(void **state)
{
	static const uint32_t ids[] = { 2, 1, 6 };
	struct acpi_layout lay;
	const uint8_t *m;

	(void)state;
	build(ids, 3, &lay);
	m = buf + lay.madt_off;
	check_sdt(m, "APIC", 5);
	assert_int_equal(get32(m + 4), CPUS + 3 * 8);
	assert_int_equal(get32(m + 36), 0xfee00000u);
	assert_int_equal(get32(m + 40), 0);			/* no 8259 pair */
	for (size_t i = 0; i < 3; i++) {
		const uint8_t *e = m + CPUS + 8 * i;

		assert_int_equal(e[0], 0);
		assert_int_equal(e[1], 8);
		assert_int_equal(e[2], i);
		assert_int_equal(e[3], ids[i]);
		assert_int_equal(get32(e + 4), 1);
	}
}

static void madt_x2apic_for_wide_ids(void **state)
{
	static const uint32_t ids[] = { 0x1ff, 3, 0xff };
	struct acpi_layout lay;
	const uint8_t *m, *e;

	(void)state;
	build(ids, 3, &lay);
	m = buf + lay.madt_off;
	check_sdt(m, "APIC", 5);
	assert_int_equal(get32(m + 4), CPUS + 16 + 8 + 16);
	assert_true(get32(m + 4) <= lay.madt_len);
	e = m + CPUS;
	assert_int_equal(e[0], 9);
	assert_int_equal(get32(e + 4), 0x1ff);
	assert_int_equal(get32(e + 12), 0);
	e += 16;
	assert_int_equal(e[0], 0);
	assert_int_equal(e[3], 3);
	e += 8;
	assert_int_equal(e[0], 9);				/* 0xff is broadcast in 8 bits */
	assert_int_equal(get32(e + 4), 0xff);
	assert_int_equal(get32(e + 12), 2);
}

/* Several CPUs: the phantom first, online-capable and not enabled, then each CPU enabled. */
static void madt_phantom_first(void **state)
{
	static const uint32_t ids[] = { 1, 2 };
	struct acpi_layout lay;
	const uint8_t *m, *e;

	(void)state;
	memset(buf, 0xcc, sizeof(buf));
	acpi_tables_layout(3, &lay);
	assert_int_equal(acpi_tables_build(buf, BASE, ids, 2, 0xfe, 0x2f8), 0);
	m = at(get64(at(get64(buf + 24), &lay) + 44), &lay);
	check_sdt(m, "APIC", 5);
	assert_int_equal(get32(m + 4), CPUS + 3 * 8);
	assert_true(get32(m + 4) <= lay.madt_len);
	e = m + CPUS;
	assert_int_equal(e[0], 0);
	assert_int_equal(e[1], 8);
	assert_int_equal(e[2], 0);			/* UID 0 */
	assert_int_equal(e[3], 0xfe);
	assert_int_equal(get32(e + 4), 2);		/* online-capable, not enabled */
	for (size_t i = 0; i < 2; i++) {
		e = m + CPUS + 8 * (i + 1);
		assert_int_equal(e[0], 0);
		assert_int_equal(e[2], i + 1);
		assert_int_equal(e[3], ids[i]);
		assert_int_equal(get32(e + 4), 1);	/* enabled */
	}
	/* Each CPU once, the phantom never one of them. */
	for (size_t i = 0; i < 3; i++)
		for (size_t j = i + 1; j < 3; j++)
			assert_int_not_equal(m[CPUS + 8 * i + 3], m[CPUS + 8 * j + 3]);
}

/*
 * The instance's own I/O APIC, first in the MADT: one entry, GSIs from 0,
 * its address the block's second page (never the host's chip at
 * 0xfec00000), whose data register reads as version 0x11 with 24 entries;
 * no interrupt source override and no other I/O APIC.
 */
static void madt_own_ioapic_first(void **state)
{
	static const uint32_t ids[] = { 1, 2 };
	struct acpi_layout lay;
	const uint8_t *m, *w = buf + ACPI_IOAPIC_WINDOW_OFF;
	size_t ioapics = 0;

	(void)state;
	memset(buf, 0xcc, sizeof(buf));
	acpi_tables_layout(3, &lay);
	assert_true(lay.size <= ACPI_IOAPIC_WINDOW_OFF);
	assert_int_equal(acpi_tables_build(buf, BASE, ids, 2, 0xfe, 0), 0);
	m = at(get64(at(get64(buf + 24), &lay) + 44), &lay);
	assert_int_equal(m[44], 1);
	assert_int_equal(m[45], 12);
	assert_int_equal(m[46], ACPI_IOAPIC_ID);
	assert_int_equal(get32(m + 48), BASE + ACPI_IOAPIC_WINDOW_OFF);
	assert_int_equal(get32(m + 52), 0);
	for (size_t off = 44; off < get32(m + 4); off += m[off + 1]) {
		assert_int_not_equal(m[off], 2);		/* no override */
		ioapics += m[off] == 1;
	}
	assert_int_equal(ioapics, 1);
	/* The window: index 0, data 0x00170011, the rest of its page zero. */
	assert_int_equal(get32(w), 0);
	assert_int_equal(get32(w + 0x10), 0x00170011);
	assert_int_equal(get32(w + 0x10), ACPI_IOAPIC_REG_VALUE);
	for (size_t i = 0x14; i < ACPI_BLOCK_SIZE - ACPI_IOAPIC_WINDOW_OFF; i++)
		assert_int_equal(w[i], 0);
	/* The MADT's address field has 32 bits: the block must end below 4 GiB. */
	assert_int_equal(acpi_tables_build(buf, 0x100000000ull - ACPI_BLOCK_SIZE, ids, 2, 0xfe, 0), 0);
	assert_int_equal(acpi_tables_build(buf, 0x100000000ull - 4096, ids, 2, 0xfe, 0), -1);
	assert_int_equal(acpi_tables_build(buf, 0x100000000ull, ids, 2, 0xfe, 0), -1);
}

/* A phantom that is one of the CPUs, or no 8-bit id, is refused. */
static void madt_phantom_refused(void **state)
{
	static const uint32_t ids[] = { 1, 2 };

	(void)state;
	assert_int_equal(acpi_tables_build(buf, BASE, ids, 2, 2, 0), -1);
	assert_int_equal(acpi_tables_build(buf, BASE, ids, 2, 1, 0), -1);
	assert_int_equal(acpi_tables_build(buf, BASE, ids, 2, 0xff, 0), -1);
	assert_int_equal(acpi_tables_build(buf, BASE, ids, ACPI_MAX_CPUS, 3, 0), -1);
}

/* The phantom's id: the highest 8-bit id below 0xff that nothing uses. */
static void phantom_id_choice(void **state)
{
	bool used[0xff] = { false };

	(void)state;
	assert_int_equal(acpi_phantom_apic_id(used), 0xfe);
	used[0xfe] = used[0xfd] = true;
	assert_int_equal(acpi_phantom_apic_id(used), 0xfc);
	memset(used, 1, sizeof(used));
	used[0] = false;
	assert_int_equal(acpi_phantom_apic_id(used), 0);
	used[0] = true;
	assert_int_equal(acpi_phantom_apic_id(used), -1);
}

/*
 * The host's MADT read for the ids the phantom avoids: every processor
 * entry's id, enabled or not, 8-bit and x2APIC; the walk stops at an entry
 * that does not fit, and anything but a MADT marks nothing.
 */
static void host_madt_ids_marked(void **state)
{
	static const uint32_t ids[] = { 3, 0x1ff, 7 };
	struct acpi_layout lay;
	bool used[0xff] = { false };
	uint8_t *m;

	(void)state;
	memset(buf, 0xcc, sizeof(buf));
	acpi_tables_layout(4, &lay);
	assert_int_equal(acpi_tables_build(buf, BASE, ids, 3, 0xfe, 0), 0);
	m = buf + lay.madt_off;
	assert_int_equal(acpi_madt_mark_apic_ids(m, get32(m + 4), used), 4);
	for (size_t id = 0; id < 0xff; id++)
		assert_int_equal(used[id], id == 3 || id == 7 || id == 0xfe);
	/* Cut inside the last entry: the entries before it still count. */
	memset(used, 0, sizeof(used));
	assert_int_equal(acpi_madt_mark_apic_ids(m, get32(m + 4) - 1, used), 3);
	assert_false(used[7]);
	assert_true(used[3]);
	/* An entry of length 0 stops the walk (no endless loop). */
	memset(used, 0, sizeof(used));
	m[CPUS + 8 + 1] = 0;
	assert_int_equal(acpi_madt_mark_apic_ids(m, get32(m + 4), used), 1);
	assert_true(used[0xfe]);
	assert_false(used[3]);
	/* Found by fuzz-madt: a Processor Local APIC entry of 6 bytes, too short for its id. */
	{
		static const uint8_t cut[50] = {
			'A', 'P', 'I', 'C', 0x5c, [44] = 0, 6, 0, 0, 0, 0,
		};

		memset(used, 0, sizeof(used));
		assert_int_equal(acpi_madt_mark_apic_ids(cut, sizeof(cut), used), 0);
		assert_false(used[0]);
	}
	assert_int_equal(acpi_madt_mark_apic_ids((const uint8_t *)"FACP", 4, used), -1);
	assert_int_equal(acpi_madt_mark_apic_ids(buf + lay.fadt_off, 276, used), -1);
}

static void same_inputs_same_bytes(void **state)
{
	static const uint32_t ids[] = { 1, 2 };
	struct acpi_layout lay;
	uint8_t copy[sizeof(buf)];

	(void)state;
	build(ids, 2, &lay);
	memcpy(copy, buf, lay.size);
	memset(buf, 0x5a, sizeof(buf));
	assert_int_equal(acpi_tables_build(buf, BASE, ids, 2, -1, 0), 0);
	assert_memory_equal(copy, buf, lay.size);
}

static void refuses_no_cpu_or_too_many(void **state)
{
	uint32_t ids[ACPI_MAX_CPUS + 1] = { 0 };

	(void)state;
	assert_int_equal(acpi_tables_build(buf, BASE, ids, 0, -1, 0), -1);
	assert_int_equal(acpi_tables_build(buf, BASE, ids, ACPI_MAX_CPUS + 1, -1, 0), -1);
	assert_int_equal(acpi_tables_build(buf, BASE, ids, 1, -1, 0x2f9), -1);	/* no legacy port */
}

static void one_page_for_max_cpus(void **state)
{
	struct acpi_layout lay;

	(void)state;
	acpi_tables_layout(ACPI_MAX_CPUS, &lay);
	assert_true(lay.size <= 4096);
	acpi_tables_layout(1, &lay);
	assert_true(lay.rsdp_off % 16 == 0 && lay.xsdt_off % 8 == 0 && lay.madt_off % 8 == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rsdp_both_checksums),
		cmocka_unit_test(xsdt_lists_fadt_and_madt),
		cmocka_unit_test(fadt_hardware_reduced),
		cmocka_unit_test(dsdt_console_uart_without_irq),
		cmocka_unit_test(madt_one_lapic_per_cpu),
		cmocka_unit_test(madt_x2apic_for_wide_ids),
		cmocka_unit_test(madt_phantom_first),
		cmocka_unit_test(madt_phantom_refused),
		cmocka_unit_test(madt_own_ioapic_first),
		cmocka_unit_test(phantom_id_choice),
		cmocka_unit_test(host_madt_ids_marked),
		cmocka_unit_test(same_inputs_same_bytes),
		cmocka_unit_test(refuses_no_cpu_or_too_many),
		cmocka_unit_test(one_page_for_max_cpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
