// SPDX-License-Identifier: GPL-2.0-only
/*
 * Building the spawned kernel's ACPI tables (acpi-tables.h says which and
 * why).  Offsets are those of ACPI 6.5, chapter 5.2; every multi-byte
 * field is little-endian and written with put*() so the build is the same
 * on any host and no struct padding can creep in.
 */
#include <string.h>

#include "acpi-tables.h"
#include "legacy-uart.h"

#define SDT_HEADER_LEN	36	/* signature .. creator revision (5.2.6) */
#define RSDP_LEN	36	/* revision 2: with the XSDT address (5.2.5.3) */
#define FADT_LEN	276	/* revision 6: up to the hypervisor vendor id (5.2.9) */
#define MADT_HDR_LEN	44	/* SDT header, local APIC address, flags (5.2.12) */
#define MADT_LAPIC_LEN	8	/* Processor Local APIC structure, type 0 */
#define MADT_X2APIC_LEN	16	/* Processor Local x2APIC structure, type 9 */
#define MADT_IOAPIC_LEN	12	/* I/O APIC structure, type 1 */
#define IOAPIC_DATA_OFF	0x10	/* the window's data register (the index register is at 0) */

#define LAPIC_DEFAULT_ADDR	0xfee00000u
#define MADT_ENABLED		1u	/* local APIC flags bit 0: the CPU is usable */
#define MADT_ONLINE_CAPABLE	2u	/* bit 1 (ACPI 6.3): not enabled, may be brought online */

/* FADT boot architecture flags (IAPC_BOOT_ARCH, 5.2.9.3): what is absent is 0. */
#define IAPC_NO_VGA		(1u << 2)	/* do not probe VGA: the host's screen */
#define IAPC_NO_MSI		(1u << 3)	/* no MSI: nothing of ours signals with one */
#define IAPC_NO_ASPM		(1u << 4)	/* PCIe link power is the host's to set */
#define IAPC_NO_CMOS_RTC	(1u << 5)	/* the RTC is the host's */
/* LEGACY_DEVICES (bit 0) and 8042 (bit 1) stay clear: no ISA devices, no keyboard controller. */

/* FADT fixed feature flags (5.2.9.1). */
#define FADT_WBINVD		(1u << 0)	/* required of every x86 FADT */
#define FADT_PWR_BUTTON		(1u << 4)	/* 1: no fixed power button */
#define FADT_SLP_BUTTON		(1u << 5)	/* 1: no fixed sleep button */
#define FADT_HW_REDUCED		(1u << 20)	/* no SCI, PM timer, GPE or PM1/PM2 blocks */

static const char oem_id[6] = { 'K', 'E', 'X', 'E', 'C', ' ' };
static const char oem_table_id[8] = { 'M', 'U', 'L', 'T', 'I', 'K', 'R', 'N' };

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

uint8_t acpi_sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

/* A byte that makes the n bytes at p sum to 0, written at p[at]. */
static void set_checksum(uint8_t *p, size_t n, size_t at)
{
	p[at] = 0;
	p[at] = (uint8_t)(0x100 - acpi_sum(p, n));
}

static size_t align16(size_t n)
{
	return (n + 15) & ~(size_t)15;
}

static size_t madt_entry_len(uint32_t apic_id)
{
	/* An 8-bit id of 0xff means "broadcast": such ids need the x2APIC form. */
	return apic_id < 0xff ? MADT_LAPIC_LEN : MADT_X2APIC_LEN;
}

void acpi_tables_layout(size_t nr_entries, struct acpi_layout *lay)
{
	/* The worst case for the size; the build fills what the ids need. */
	lay->rsdp_off = 0;
	lay->xsdt_off = align16(lay->rsdp_off + RSDP_LEN);
	lay->fadt_off = align16(lay->xsdt_off + SDT_HEADER_LEN + 2 * 8);
	lay->dsdt_off = align16(lay->fadt_off + FADT_LEN);
	lay->madt_off = align16(lay->dsdt_off + SDT_HEADER_LEN + ACPI_UART_AML_LEN);
	lay->madt_len = MADT_HDR_LEN + MADT_IOAPIC_LEN + nr_entries * MADT_X2APIC_LEN;
	lay->size = lay->madt_off + lay->madt_len;
}

/* The common header of every table but the RSDP (5.2.6); the checksum comes last. */
static void sdt_header(uint8_t *t, const char sig[4], uint32_t len, uint8_t revision)
{
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = revision;
	memcpy(t + 10, oem_id, sizeof(oem_id));
	memcpy(t + 16, oem_table_id, sizeof(oem_table_id));
	put32(t + 24, 1);			/* OEM revision */
	memcpy(t + 28, "KXMK", 4);		/* creator id */
	put32(t + 32, 1);			/* creator revision */
}

static void build_rsdp(uint8_t *p, uint64_t xsdt_addr)
{
	memcpy(p, "RSD PTR ", 8);
	memcpy(p + 9, oem_id, sizeof(oem_id));
	p[15] = 2;			/* revision 2: ACPI 2.0+, the XSDT is used */
	put32(p + 16, 0);		/* no RSDT: a 64-bit kernel reads the XSDT */
	put32(p + 20, RSDP_LEN);
	put64(p + 24, xsdt_addr);
	set_checksum(p, 20, 8);		/* the ACPI 1.0 part */
	set_checksum(p, RSDP_LEN, 32);	/* the whole structure */
}

static void build_xsdt(uint8_t *t, uint64_t fadt_addr, uint64_t madt_addr)
{
	uint32_t len = SDT_HEADER_LEN + 2 * 8;

	sdt_header(t, "XSDT", len, 1);
	put64(t + 36, fadt_addr);
	put64(t + 44, madt_addr);
	set_checksum(t, len, 9);
}

/*
 * Hardware-reduced: every I/O block, the SCI and the FACS are zero, and
 * the X_PM_TMR_BLK's address space is not I/O, so Linux finds no PM timer.
 * preferred_pm_profile 0: unspecified.
 */
static void build_fadt(uint8_t *t, uint64_t dsdt_addr)
{
	sdt_header(t, "FACP", FADT_LEN, 6);
	put32(t + 40, dsdt_addr < (1ull << 32) ? (uint32_t)dsdt_addr : 0);
	put16(t + 109, IAPC_NO_VGA | IAPC_NO_MSI | IAPC_NO_ASPM | IAPC_NO_CMOS_RTC);
	put32(t + 112, FADT_WBINVD | FADT_PWR_BUTTON | FADT_SLP_BUTTON | FADT_HW_REDUCED);
	/*
	 * FADT 6.3: the revision from which Linux 6.9+ reads the MADT's
	 * online-capable bit (acpi_support_online_capable), so the phantom
	 * entry counts as a CPU it enumerates (build_madt).
	 */
	t[131] = 3;
	put64(t + 140, dsdt_addr);	/* X_DSDT */
	set_checksum(t, FADT_LEN, 9);
}

/* AML opcodes and prefixes (ACPI 6.5, chapter 20). */
#define AML_NAME_OP	0x08
#define AML_BYTE_PREFIX	0x0a
#define AML_DWORD_PREFIX 0x0c
#define AML_SCOPE_OP	0x10
#define AML_BUFFER_OP	0x11
#define AML_EXT_PREFIX	0x5b
#define AML_DEVICE_OP	0x82	/* after AML_EXT_PREFIX */
#define AML_ROOT_CHAR	0x5c	/* '\\' */
#define EISA_PNP0501	0x0105d041u	/* EisaId("PNP0501"): a 16550-compatible UART */

/* NameOp NAME: the 5 bytes that open a Name(). */
static uint8_t *aml_name(uint8_t *p, const char name[4])
{
	*p++ = AML_NAME_OP;
	memcpy(p, name, 4);
	return p + 4;
}

/*
 * The console UART as the namespace's one device:
 *
 *   Scope (\_SB) { Device (UARn) {
 *       Name (_HID, EisaId ("PNP0501"))  Name (_UID, n)
 *       Name (_CRS, ResourceTemplate () { IO (Decode16, io, io, 1, 8) }) } }
 *
 * Its resources name the eight I/O ports and no interrupt, so Linux's
 * 8250_pnp takes over ttySn with IRQ 0 and polls it: a hardware-reduced
 * platform has no 8259 to deliver IRQ3 or IRQ4, and the MADT's I/O APIC
 * is wired to nothing.  Every package here is under 64 bytes: one-byte PkgLengths.
 * Returns the AML's length.
 */
static size_t build_uart_aml(uint8_t *aml, uint16_t io, unsigned int index)
{
	uint8_t *p = aml, *scope_len, *dev_len, *buf_len;

	*p++ = AML_SCOPE_OP;
	scope_len = p++;
	*p++ = AML_ROOT_CHAR;
	memcpy(p, "_SB_", 4);
	p += 4;
	*p++ = AML_EXT_PREFIX;
	*p++ = AML_DEVICE_OP;
	dev_len = p++;
	memcpy(p, "UAR0", 4);
	p[3] = (uint8_t)('0' + index);
	p += 4;
	p = aml_name(p, "_HID");
	*p++ = AML_DWORD_PREFIX;
	put32(p, EISA_PNP0501);
	p += 4;
	p = aml_name(p, "_UID");
	*p++ = AML_BYTE_PREFIX;
	*p++ = (uint8_t)index;
	p = aml_name(p, "_CRS");
	*p++ = AML_BUFFER_OP;
	buf_len = p++;
	*p++ = AML_BYTE_PREFIX;
	*p++ = 10;			/* the resource template's bytes */
	*p++ = 0x47;			/* small item: I/O port descriptor, 7 bytes (6.4.2.5) */
	*p++ = 0x01;			/* decodes 16 address bits */
	put16(p, io);			/* minimum base */
	put16(p + 2, io);		/* maximum base */
	p += 4;
	*p++ = 1;			/* alignment */
	*p++ = 8;			/* length: the UART's eight registers */
	*p++ = 0x79;			/* end tag (6.4.2.9) */
	*p++ = 0;			/* its checksum: 0 means "not computed" */
	*buf_len = (uint8_t)(p - buf_len);
	*dev_len = (uint8_t)(p - dev_len);
	*scope_len = (uint8_t)(p - scope_len);
	return (size_t)(p - aml);
}

/*
 * The definition block: the console UART when it is a legacy port (its
 * index 0..3 in uart_index), else no AML at all.  Nothing of the host's
 * namespace is in it.  Returns the table's length.
 */
static uint32_t build_dsdt(uint8_t *t, uint16_t uart_io, int uart_index)
{
	uint32_t len = SDT_HEADER_LEN;

	if (uart_io && uart_index >= 0)
		len += (uint32_t)build_uart_aml(t + SDT_HEADER_LEN, uart_io, (unsigned int)uart_index);
	sdt_header(t, "DSDT", len, 2);	/* 2: 64-bit integers */
	set_checksum(t, len, 9);
	return len;
}

/* One processor entry: the 8-bit form for ids below 0xff, else x2APIC's.  Returns its length. */
static size_t put_lapic(uint8_t *e, uint32_t apic_id, uint32_t uid, uint32_t flags)
{
	if (madt_entry_len(apic_id) == MADT_LAPIC_LEN) {
		e[0] = 0;
		e[1] = MADT_LAPIC_LEN;
		e[2] = (uint8_t)uid;		/* ACPI processor UID */
		e[3] = (uint8_t)apic_id;
		put32(e + 4, flags);
	} else {
		e[0] = 9;
		e[1] = MADT_X2APIC_LEN;
		put32(e + 4, apic_id);
		put32(e + 8, flags);
		put32(e + 12, uid);		/* ACPI processor UID */
	}
	return e[1];
}

/*
 * The I/O APIC first (acpi-tables.h says why it is there and where its
 * window is), GSIs from 0; then one enabled local APIC per CPU, ACPI
 * processor UIDs in list order; no interrupt override, flags 0 (no dual
 * 8259).  The processor entries come last: purgatory rewrites the first
 * of them, which may grow it to the x2APIC form (purgatory/madt.c).
 *
 * With several CPUs, a phantom entry comes first: an id no CPU of the
 * machine has, online-capable and not enabled.  Linux 6.9+ takes the
 * first APIC the MADT enumerates for the machine's real boot CPU
 * (arch/x86/kernel/cpu/topology.c, check_for_real_bsp()); if that were
 * the instance's boot CPU, whose IA32_APIC_BASE has no BSP bit, it
 * would assume a crash kernel and limit itself to one CPU.  Enumerated
 * first, the phantom is taken for that real boot CPU and disabled ("Crash
 * kernel detected. Disabling real BSP"), and every entry after it is
 * registered.  Older kernels count a not-enabled entry as a disabled
 * CPU.  Neither ever sends it INIT or SIPI.  Revision 5 (ACPI 6.3):
 * kernels before 6.9 read the online-capable bit from revision 5 on.
 * Returns the table's length.
 */
static uint32_t build_madt(uint8_t *t, const uint32_t *apic_ids, size_t nr_cpus,
			   int64_t phantom_apic_id, uint32_t ioapic_addr)
{
	uint8_t *e = t + MADT_HDR_LEN;
	uint32_t uid = 0;

	put32(t + 36, LAPIC_DEFAULT_ADDR);
	put32(t + 40, 0);
	e[0] = 1;
	e[1] = MADT_IOAPIC_LEN;
	e[2] = ACPI_IOAPIC_ID;
	put32(e + 4, ioapic_addr);
	put32(e + 8, 0);			/* global system interrupt base */
	e += MADT_IOAPIC_LEN;
	if (phantom_apic_id >= 0)
		e += put_lapic(e, (uint32_t)phantom_apic_id, uid++, MADT_ONLINE_CAPABLE);
	for (size_t i = 0; i < nr_cpus; i++)
		e += put_lapic(e, apic_ids[i], uid++, MADT_ENABLED);
	sdt_header(t, "APIC", (uint32_t)(e - t), 5);	/* 5: ACPI 6.3's MADT */
	set_checksum(t, (size_t)(e - t), 9);
	return (uint32_t)(e - t);
}

int acpi_tables_build(uint8_t *buf, uint64_t phys_addr, const uint32_t *apic_ids,
		      size_t nr_cpus, int64_t phantom_apic_id, uint16_t uart_io)
{
	size_t nr_entries = nr_cpus + (phantom_apic_id >= 0);
	struct acpi_layout lay;

	if (nr_cpus == 0 || nr_entries > ACPI_MAX_CPUS ||
	    (uart_io && legacy_uart_index(uart_io) < 0) ||
	    phys_addr + ACPI_BLOCK_SIZE > (1ull << 32))
		return -1;
	/* The phantom is never one of the instance's CPUs, nor 0xff (broadcast). */
	for (size_t i = 0; phantom_apic_id >= 0 && i < nr_cpus; i++)
		if (apic_ids[i] == phantom_apic_id)
			return -1;
	if (phantom_apic_id >= 0xff)
		return -1;
	acpi_tables_layout(nr_entries, &lay);
	if (lay.size > ACPI_TABLES_MAX)
		return -1;
	memset(buf, 0, ACPI_BLOCK_SIZE);
	put32(buf + ACPI_IOAPIC_WINDOW_OFF + IOAPIC_DATA_OFF, ACPI_IOAPIC_REG_VALUE);
	build_madt(buf + lay.madt_off, apic_ids, nr_cpus, phantom_apic_id,
		   (uint32_t)(phys_addr + ACPI_IOAPIC_WINDOW_OFF));
	build_dsdt(buf + lay.dsdt_off, uart_io, legacy_uart_index(uart_io));
	build_fadt(buf + lay.fadt_off, phys_addr + lay.dsdt_off);
	build_xsdt(buf + lay.xsdt_off, phys_addr + lay.fadt_off, phys_addr + lay.madt_off);
	build_rsdp(buf + lay.rsdp_off, phys_addr + lay.xsdt_off);
	return 0;
}

static uint32_t get32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int acpi_madt_mark_apic_ids(const uint8_t *t, size_t len, bool *used)
{
	size_t end, off = MADT_HDR_LEN;
	int n = 0;

	if (len < MADT_HDR_LEN || memcmp(t, "APIC", 4) != 0)
		return -1;
	/* The table's own length, if the bytes hold that much. */
	end = get32(t + 4) < len ? get32(t + 4) : len;
	while (off + 2 <= end && t[off + 1] >= 2 && off + t[off + 1] <= end) {
		const uint8_t *e = t + off;
		bool lapic = e[0] == 0 && e[1] >= MADT_LAPIC_LEN;
		bool x2apic = e[0] == 9 && e[1] >= MADT_X2APIC_LEN;
		uint32_t id = lapic ? e[3] : x2apic ? get32(e + 4) : 0xff;

		/* A processor entry too short for its id is none. */
		n += lapic || x2apic;
		if (id < 0xff)
			used[id] = true;
		off += e[1];
	}
	return n;
}

int acpi_phantom_apic_id(const bool *used)
{
	for (int id = 0xfe; id >= 0; id--)
		if (!used[id])
			return id;
	return -1;
}
