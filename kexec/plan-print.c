// SPDX-License-Identifier: GPL-2.0-only
#include <inttypes.h>
#include <string.h>

#include "plan-print.h"
#include "purgatory-params.h"

/*
 * The fields of purgatory's parameter block that options decide (-i,
 * --console-serial, --serial, --multikernel), read back from the bytes
 * of the purgatory segment itself: the table shows what purgatory will
 * really do, not what the loader meant to write.
 */
static void print_purgatory_params(FILE *out, const struct purgatory_params *block)
{
	struct purgatory_params p;
	char names[64] = "";

	memcpy(&p, block, sizeof(p));
	if (p.flags & PURGATORY_VERIFY_DIGESTS)
		strcat(names, " verify-digests");
	if (p.flags & PURGATORY_OWN_PAGE_TABLES)
		strcat(names, " own-page-tables");
	if (p.flags & ~(PURGATORY_VERIFY_DIGESTS | PURGATORY_OWN_PAGE_TABLES))
		strcat(names, " unknown");
	fprintf(out, "purgatory params: flags 0x%04x (%s), serial_port 0x%04x, nr_digests %" PRIu32,
		p.flags, names[0] ? names + 1 : "none", p.serial_port, p.nr_digests);
	/* Multikernel only: where purgatory reports its progress (purgatory-params.h). */
	if (p.status_addr)
		fprintf(out, ", status record 0x%" PRIx64, p.status_addr);
	/* And the MADT it makes name its CPU (purgatory/madt.c). */
	if (p.madt_addr)
		fprintf(out, ", its APIC id into the MADT at 0x%" PRIx64, p.madt_addr);
	fprintf(out, "\n");
}

void plan_print(FILE *out, const struct kx_plan *plan)
{
	fprintf(out, "flags 0x%08lx  entry 0x%016" PRIx64 "  segments %zu\n",
		plan->flags, plan->entry, plan->nr);
	fprintf(out, "%-2s  %-18s  %-18s  %-10s  %-10s  %-12s  %-8s  %s\n",
		"#", "mem", "end", "memsz", "bufsz", "purpose", "sha256", "source");
	for (size_t i = 0; i < plan->nr; i++) {
		const struct kx_segment *s = &plan->seg[i];
		char digest[32] = "-";

		/* The first chunk's digest; "+N" says N more chunks are checked. */
		if (s->nr_digests) {
			const uint8_t *d = plan->digests[s->digest].sha256;

			snprintf(digest, sizeof(digest), "%02x%02x%02x%02x", d[0], d[1], d[2], d[3]);
			if (s->nr_digests > 1)
				snprintf(digest + 8, sizeof(digest) - 8, "+%zu", s->nr_digests - 1);
		}
		fprintf(out, "%-2zu  0x%016" PRIx64 "  0x%016" PRIx64 "  0x%08" PRIx64
			"  0x%08zx  %-12s  %-8s  %s\n",
			i, s->mem, s->mem + s->memsz, s->memsz, s->bufsz, s->purpose, digest,
			s->source);
	}
	if (plan->jump_addr)
		fprintf(out, "purgatory jumps to 0x%016" PRIx64 " with rsi 0x%016" PRIx64 "\n",
			plan->jump_addr, plan->jump_rsi);
	if (plan->purgatory)
		print_purgatory_params(out, plan->purgatory);
}
