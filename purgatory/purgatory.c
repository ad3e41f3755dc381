/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The purgatory sequence, between entry64.S loading our GDT and stack
 * and entry64.S jumping to the kernel: own page tables if asked, serial
 * banner, digest check.  It returns only when the jump may happen.
 */
#include "purgatory.h"

void purgatory_halt(void)
{
	/* No IDT: an NMI would triple-fault anyway, so just stop here. */
	for (;;)
		__asm__ volatile("cli; hlt" ::: "memory");
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
	bad = digest_find_mismatch(params);
	if (bad >= 0) {
		serial_puts("kexec purgatory: sha256 mismatch in segment ");
		serial_put_dec((uint64_t)bad);
		serial_puts(" at 0x");
		serial_put_hex(params->digests[bad].addr);
		serial_puts(" size 0x");
		serial_put_hex(params->digests[bad].size);
		serial_puts("; halting\r\n");
		purgatory_halt();
	}
}

void purgatory_main(void)
{
	const struct purgatory_params *params = &purgatory_params;

	/* First: the trampoline's tables are host memory (ABI.md 1.2). */
	if (params->flags & PURGATORY_OWN_PAGE_TABLES)
		page_tables_install();

	serial_init(params->serial_port);
	serial_puts("kexec purgatory: started\r\n");

	if (!(params->flags & PURGATORY_VERIFY_DIGESTS)) {
		serial_puts("kexec purgatory: digest check skipped");
		report_jump(params->jump_addr);
		return;
	}
	check_digests(params);
	serial_puts("kexec purgatory: ");
	serial_put_dec(params->nr_digests);
	serial_puts(" digests ok");
	report_jump(params->jump_addr);
}
