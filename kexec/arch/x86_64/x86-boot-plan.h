/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What every x86-64 Linux-style load adds after its kernel bytes: the initrd,
 * the zero page with the command line (and e820 overflow), and purgatory.
 */
#ifndef KEXEC_X86_BOOT_PLAN_H
#define KEXEC_X86_BOOT_PLAN_H

#include "bootparam.h"
#include "load-request.h"
#include "plan.h"

struct x86_boot_target {
	const struct setup_header *hdr;	/* copied into the zero page */
	size_t hdr_len;
	uint64_t kernel_addr;		/* protected-mode load address */
	uint64_t jump_addr;		/* where purgatory jumps */
	uint64_t initrd_end_max;	/* exclusive: the initrd must end below this */
};

int x86_plan_boot(struct kx_plan *plan, const struct load_env *env,
		  const struct load_request *req, const struct x86_boot_target *target,
		  struct kx_error *err);

#endif /* KEXEC_X86_BOOT_PLAN_H */
