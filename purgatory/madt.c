// SPDX-License-Identifier: GPL-2.0-only
/*
 * The spawned kernel's MADT names the CPU it runs on: the loader cannot
 * always know that CPU's local APIC id (Linux lists only online CPUs in
 * /proc/cpuinfo, and the CPU is offline by the time it is started), but
 * purgatory runs on it.  So the loader builds a one-CPU MADT
 * (kexec/arch/x86_64/acpi-tables.c) whose processor entry comes last, after
 * its I/O APIC, with room for the wider x2APIC form; purgatory, after the
 * digest check passed, writes its own id there and the table's length and
 * checksum again.  The offsets are ACPI 6.5's (5.2.12): the MADT header is
 * 44 bytes, then the entries, each with its type and length first.
 */
#include "purgatory.h"

#define MADT_HDR_LEN	44
#define MADT_LEN_OFF	4
#define MADT_SUM_OFF	9

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	uint32_t eax = leaf, ecx = 0;

	__asm__ volatile("cpuid" : "+a"(eax), "=b"(*b), "+c"(ecx), "=d"(*d));
	*a = eax;
	*c = ecx;
}

uint32_t cpu_apic_id(void)
{
	uint32_t a, b, c, d;

	cpuid(0, &a, &b, &c, &d);
	if (a >= 0xb) {
		/* Leaf 0xB: EDX is the x2APIC id, valid when EBX (logical CPUs at level 0) is not 0. */
		cpuid(0xb, &a, &b, &c, &d);
		if (b & 0xffff)
			return d;
	}
	cpuid(1, &a, &b, &c, &d);
	return b >> 24;		/* the 8-bit initial APIC id */
}

/* Type 0 (local APIC) or 9 (local x2APIC): an entry that names a CPU. */
static int is_processor(const uint8_t *e)
{
	return e[0] == 0 || e[0] == 9;
}

void madt_claim(uint64_t madt_addr, uint32_t apic_id)
{
	uint8_t *t = (uint8_t *)(uintptr_t)madt_addr;
	uint8_t *e = t + MADT_HDR_LEN;
	uint8_t *end = t + (t[MADT_LEN_OFF] | (uint32_t)t[MADT_LEN_OFF + 1] << 8);
	uint32_t len;
	uint8_t sum = 0;

	/*
	 * The loader's table, checked by digest: skip what precedes the
	 * processor entry.  A table without one is left as it is.
	 */
	while (e + 2 <= end && e[1] >= 2 && !is_processor(e))
		e += e[1];
	if (e + 2 > end || e[1] < 2)
		return;
	if (apic_id < 0xff) {		/* 0xff is "broadcast" in the 8-bit form */
		e[0] = 0;		/* Processor Local APIC */
		e[1] = 8;
		e[2] = 0;		/* ACPI processor UID */
		e[3] = (uint8_t)apic_id;
		put32(e + 4, 1);	/* enabled */
		len = (uint32_t)(e - t) + 8;
	} else {
		e[0] = 9;		/* Processor Local x2APIC */
		e[1] = 16;
		e[2] = e[3] = 0;
		put32(e + 4, apic_id);
		put32(e + 8, 1);	/* enabled */
		put32(e + 12, 0);	/* ACPI processor UID */
		len = (uint32_t)(e - t) + 16;
	}
	put32(t + MADT_LEN_OFF, len);
	t[MADT_SUM_OFF] = 0;
	for (uint32_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + t[i]);
	t[MADT_SUM_OFF] = (uint8_t)(0x100 - sum);
}
