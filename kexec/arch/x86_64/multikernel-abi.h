/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The seam between what a multikernel load and start decide (the CPU, the
 * rules, the words and why, the ports to re-arm, the waits) and how a
 * kernel takes them: one struct mk_abi per kernel interface, chosen once
 * from the host facts (mk_abi_choose) by the front door
 * (kexec-multikernel.c), which then goes through it alone.
 *
 * Today there is one: RFC v1 (multikernel-abi-v1.c, doc/multikernel-abi.md):
 * kexec_load(KEXEC_MULTIKERNEL) of purgatory and the image into the
 * memmap= reservation, reboot(MULTIKERNEL, {cpu}), purgatory's status
 * record.  The multikernel tree's later interface (instances in
 * /sys/fs/multikernel, kexec_file_load with an instance id, an ELF vmlinux,
 * no purgatory) would be a second struct mk_abi beside it, listed in
 * mk_abis[] (multikernel-abi.c) before it; until then such a kernel is
 * refused (status 17), whatever the action.
 */
#ifndef KEXEC_X86_MULTIKERNEL_ABI_H
#define KEXEC_X86_MULTIKERNEL_ABI_H

#include <stdbool.h>
#include <stdio.h>

#include "host-facts.h"
#include "mk-instance.h"
#include "multikernel-plan.h"
#include "options.h"
#include "status.h"

struct mk_abi {
	const char *name;		/* for -d: "RFC v1 (kexec_load, reboot(MULTIKERNEL))" */
	/* Does the running kernel take this interface?  Host facts only, no probe. */
	bool (*speaks)(const struct host_facts *hf);
	/*
	 * Fill p for o (a load, a start, or both) and ask the rules; never
	 * changes anything.  On a refusal -1 with err set, and what was
	 * decided before it stays in p for print.
	 */
	int (*plan)(const struct kexec_options *o, const struct host_facts *hf,
		    const struct mk_registry *reg, struct mk_plan *p, struct kx_error *err);
	/* For --dry-run and -d; would: also the actions, for --dry-run. */
	void (*print)(FILE *f, const struct mk_plan *p, bool would);
	/* Carry p out, undoing what it did if a step before the start fails. */
	int (*execute)(const struct mk_plan *p, const struct kexec_options *o,
		       struct host_facts *hf, struct mk_registry *reg, struct kx_error *err);
	/* -u: let every image loaded and not started go (running instances stay). */
	int (*unload)(struct kx_error *err);
	/* Release what plan took (files, buffers); p itself is the caller's. */
	void (*plan_free)(struct mk_plan *p);
};

/* The implementations (one file each). */
extern const struct mk_abi mk_abi_rfc_v1;

/*
 * The interface the running kernel speaks, chosen once; NULL with err set
 * (status 17) when it speaks none this kexec drives.
 */
const struct mk_abi *mk_abi_choose(const struct host_facts *hf, struct kx_error *err);

#endif /* KEXEC_X86_MULTIKERNEL_ABI_H */
