/* SPDX-License-Identifier: GPL-2.0-only */
/* The purgatory segment: a copy of the embedded blob with its parameter block filled in. */
#ifndef KEXEC_X86_PURGATORY_H
#define KEXEC_X86_PURGATORY_H

#include <stdbool.h>
#include <stdint.h>

#include "load-request.h"
#include "plan.h"

struct purgatory_setup {
	uint64_t jump_addr;	/* where purgatory jumps: the kernel's 64-bit entry */
	uint64_t rsi;		/* RSI at the jump: boot_params */
	uint16_t serial_port;	/* 0 = silent */
	bool verify_digests;
	bool own_page_tables;	/* switch to purgatory's identity map of 0-4 GiB */
	uint64_t status_addr;	/* purgatory's status record, 0 = none */
	uint64_t madt_addr;	/* a one-CPU MADT purgatory makes name its CPU, 0 = none */
};

/*
 * Add purgatory as the last segment: hashes every segment placed so far,
 * records the digests in the parameter block, places the blob below
 * env->max_end and sets plan->entry.
 */
int x86_add_purgatory(struct kx_plan *plan, const struct load_env *env,
		      const struct purgatory_setup *ps, struct kx_error *err);

#endif /* KEXEC_X86_PURGATORY_H */
