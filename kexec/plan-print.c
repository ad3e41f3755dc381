// SPDX-License-Identifier: GPL-2.0-only
#include <inttypes.h>

#include "plan-print.h"

void plan_print(FILE *out, const struct kx_plan *plan)
{
	fprintf(out, "flags 0x%08lx  entry 0x%016" PRIx64 "  segments %zu\n",
		plan->flags, plan->entry, plan->nr);
	fprintf(out, "%-2s  %-18s  %-18s  %-10s  %-10s  %-12s  %-8s  %s\n",
		"#", "mem", "end", "memsz", "bufsz", "purpose", "sha256", "source");
	for (size_t i = 0; i < plan->nr; i++) {
		const struct kx_segment *s = &plan->seg[i];
		char digest[9] = "-";

		if (s->hashed)
			snprintf(digest, sizeof(digest), "%02x%02x%02x%02x",
				 s->sha256[0], s->sha256[1], s->sha256[2], s->sha256[3]);
		fprintf(out, "%-2zu  0x%016" PRIx64 "  0x%016" PRIx64 "  0x%08" PRIx64
			"  0x%08zx  %-12s  %-8s  %s\n",
			i, s->mem, s->mem + s->memsz, s->memsz, s->bufsz, s->purpose, digest,
			s->source);
	}
	if (plan->jump_addr)
		fprintf(out, "purgatory jumps to 0x%016" PRIx64 " with rsi 0x%016" PRIx64 "\n",
			plan->jump_addr, plan->jump_rsi);
}
