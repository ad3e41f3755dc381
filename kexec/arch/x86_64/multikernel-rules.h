/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The multikernel preconditions, one named rule each, in one table
 * (multikernel-rules.c), as kexec/plan-check.c holds the kernel's rules
 * for a segment list.  A load and a start ask the table before they
 * touch anything; a refusal names its rule, and --dry-run and -d list
 * the rules that passed.  Rules only look: they never offline a CPU,
 * load, unload or write a record (the stage does that after they pass).
 */
#ifndef KEXEC_MULTIKERNEL_RULES_H
#define KEXEC_MULTIKERNEL_RULES_H

#include <stddef.h>
#include <stdio.h>

#include "host-facts.h"
#include "mk-instance.h"
#include "multikernel-cmdline.h"
#include "multikernel-memory.h"
#include "options.h"
#include "plan.h"
#include "status.h"
#include "tsc-freq.h"

/* Which stage asks. */
enum mk_rule_stage {
	MK_RULE_LOAD = 1 << 0,		/* kexec -l --multikernel (and the load of -f), first */
	MK_RULE_PLACED = 1 << 1,	/* the load, its memory looked for */
	MK_RULE_TOLD = 1 << 2,		/* the load, its TSC rate and default words chosen */
	MK_RULE_PLANNED = 1 << 3,	/* the load again, its command line and plan made */
	MK_RULE_START = 1 << 4,		/* kexec -e --multikernel (and the start of -f) */
};

/* What the rules look at; none of it is changed. */
struct mk_rule_in {
	enum mk_rule_stage stage;
	const struct kexec_options *o;
	const struct host_facts *hf;
	const struct mk_registry *reg;
	const struct mk_instance *loaded;	/* the "loaded" record, NULL when there is none */
	/* The load: each --cpu's local APIC id (-1 unknown), the MADT's phantom id (-1 none). */
	const int64_t *apic_ids;
	int phantom_apic_id;
	/* The new kernel's command line: for the load once composed
	 * (MK_RULE_PLANNED), for a start the record's; NULL when unknown. */
	const char *cmdline;
	const struct kx_plan *plan;		/* MK_RULE_PLANNED: the load's plan */
	/* From MK_RULE_PLACED on: the load's image, and where it goes. */
	bool is_linux;				/* a bzImage: low memory and a TSC rate */
	const struct mk_memory *mem;		/* NULL: no free part found, mem_why says why */
	const struct kx_error *mem_why;
	/* From MK_RULE_TOLD on: what it is told. */
	const struct tsc_freq *tsc;		/* TSC_SRC_NONE: no trustworthy rate */
	const struct tsc_sources *tsc_src;	/* what the host offered */
	const struct mk_cmdline_in *words;	/* the default words' facts, the dropped names */
};

#define MK_RULES_MAX 24

/* The names of the rules that were asked and passed, in table order. */
struct mk_rules_passed {
	const char *name[MK_RULES_MAX];
	size_t nr;
};

/*
 * Ask every rule of the table that applies to in->stage, in order; the
 * first refusal returns -1 with err set, its message led by the rule's
 * name ("multikernel rule 'cpu-free' failed: ...").  The names of the
 * rules that passed are added to passed (may be NULL; start it zeroed).
 */
int mk_rules_check(const struct mk_rule_in *in, struct mk_rules_passed *passed,
		   struct kx_error *err);

/*
 * No segment of plan may touch memory a running instance owns (the rule
 * segments-clear-of-instances); also names the instance in a fixed
 * segment's way when a plan found no room (multikernel-load.c).
 */
int mk_rules_plan_clear(const struct kx_plan *plan, const struct mk_registry *reg,
			struct kx_error *err);

/* For --dry-run and -d: "multikernel rules passed: a, b, c". */
void mk_rules_print(FILE *f, const struct mk_rules_passed *passed);

#endif /* KEXEC_MULTIKERNEL_RULES_H */
