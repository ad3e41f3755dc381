/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The purgatory sequence, between entry64.S loading our GDT and stack
 * and entry64.S jumping to the kernel: own page tables if asked, serial
 * banner, digest check (SHA-NI when the CPU has it), this CPU's APIC id
 * into the new kernel's MADT.  It returns only when the jump may happen.
 */
#include "purgatory.h"

void purgatory_halt(void)
{
	/* No IDT: an NMI would triple-fault anyway, so just stop here. */
	for (;;)
		__asm__ volatile("cli; hlt" ::: "memory");
}

/*
 * The status record (purgatory-params.h): how far we got, for the loader
 * waiting on the host.  Volatile: each store must reach memory in order.
 */
static void report_stage(const struct purgatory_params *params, uint32_t stage,
			 uint32_t bad_digest)
{
	volatile struct purgatory_status *st;
	uint32_t eax = 1, ebx, ecx = 0, edx;

	if (!params->status_addr)
		return;
	st = (volatile struct purgatory_status *)(uintptr_t)params->status_addr;
	if (stage == PURGATORY_STAGE_ARRIVED) {
		uint64_t total = 0;

		/* CPUID leaf 1: EBX[31:24] is the initial APIC id. */
		__asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
		st->apic_id = ebx >> 24;
		/* What the check will hash; a count over the bound halts before hashing. */
		if ((params->flags & PURGATORY_VERIFY_DIGESTS) &&
		    params->nr_digests <= PURGATORY_MAX_DIGESTS)
			for (uint32_t i = 0; i < params->nr_digests; i++)
				total += params->digests[i].size;
		st->bytes_total = total;
		st->bytes_done = 0;
	}
	if (stage == PURGATORY_STAGE_MISMATCH) {
		st->bad_digest = bad_digest;
		st->bad_addr = params->digests[bad_digest].addr;
	}
	st->magic = PURGATORY_STATUS_MAGIC;
	st->stage = stage;
}

/* A sign of life while hashing: the count first, then magic and stage. */
void purgatory_report_progress(const struct purgatory_params *params, uint64_t done)
{
	volatile struct purgatory_status *st;

	if (!params->status_addr)
		return;
	st = (volatile struct purgatory_status *)(uintptr_t)params->status_addr;
	st->bytes_done = done;
	st->magic = PURGATORY_STATUS_MAGIC;
	st->stage = PURGATORY_STAGE_ARRIVED;
}

/* Ends the last line before the jump: "..., jumping to 0x<jump_addr>". */
static void report_jump(uint64_t jump_addr)
{
	serial_puts(", jumping to 0x");
	serial_put_hex(jump_addr);
	serial_puts("\r\n");
}

static void check_digests(const struct purgatory_params *params)
{
	int bad;

	if (params->nr_digests > PURGATORY_MAX_DIGESTS) {
		serial_puts("kexec purgatory: bad digest count ");
		serial_put_dec(params->nr_digests);
		serial_puts("; halting\r\n");
		purgatory_halt();
	}
	/* Which hashing the check's time (the gap to the next line) went to. */
	serial_puts("kexec purgatory: checking ");
	serial_put_dec(params->nr_digests);
	serial_puts(digest_use_shani() ? " digests with sha-ni\r\n" : " digests in portable C\r\n");
	bad = digest_find_mismatch(params);
	if (bad >= 0) {
		serial_puts("kexec purgatory: sha256 mismatch in digest ");
		serial_put_dec((uint64_t)bad);
		serial_puts(" at 0x");
		serial_put_hex(params->digests[bad].addr);
		serial_puts(" size 0x");
		serial_put_hex(params->digests[bad].size);
		serial_puts("; halting\r\n");
		report_stage(params, PURGATORY_STAGE_MISMATCH, (uint32_t)bad);
		purgatory_halt();
	}
}

void purgatory_main(void)
{
	const struct purgatory_params *params = &purgatory_params;

	/* First: the trampoline's tables are host memory (doc/multikernel-abi.md 4.3). */
	if (params->flags & PURGATORY_OWN_PAGE_TABLES)
		page_tables_install();

	report_stage(params, PURGATORY_STAGE_ARRIVED, 0);
	serial_init(params->serial_port);
	serial_puts("kexec purgatory: started\r\n");

	if (!(params->flags & PURGATORY_VERIFY_DIGESTS)) {
		serial_puts("kexec purgatory: digest check skipped");
	} else {
		check_digests(params);
		serial_puts("kexec purgatory: ");
		serial_put_dec(params->nr_digests);
		serial_puts(" digests ok");
	}
	report_stage(params, PURGATORY_STAGE_DIGESTS_OK, 0);
	/* After the check: it hashed the MADT as the loader built it. */
	if (params->madt_addr)
		madt_claim(params->madt_addr, cpu_apic_id());
	report_jump(params->jump_addr);
	report_stage(params, PURGATORY_STAGE_JUMPED, 0);
}
