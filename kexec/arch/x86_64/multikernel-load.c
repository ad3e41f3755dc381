// SPDX-License-Identifier: GPL-2.0-only
/*
 * kexec -l --multikernel (and the load of -f): the load's part of the
 * plan (multikernel-plan.h), decided without touching anything.
 *
 *   the rules (multikernel-rules.c: one image at a time, the CPU free,
 *   present, not CPU 0, offline or to be offlined)
 *   -> a free part of the reservation around the running instances
 *      (multikernel-memory.c; if there is none, say who holds it)
 *   -> the TSC frequency and the default command line
 *      (multikernel-cmdline.c) -> the segment table -> the rules again (no
 *      neighbour's console reset, no segment on a running instance)
 *   -> the "loaded" record the executor (multikernel-exec.c) writes once
 *      kexec_load took the plan.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline-params.h"
#include "kexec-bzImage64.h"
#include "kexec-syscall.h"
#include "load-pipeline.h"
#include "multikernel-load.h"
#include "sha256.h"

/*
 * Which kernel took a load that set kexec_loaded (0 -> 1) on a kernel
 * without /proc/multikernel.  The decision rule (kexec(8), Host
 * requirements): the kernel has multikernel code iff
 * /proc/kallsyms names multikernel_kexec, the function behind
 * reboot(MULTIKERNEL) in every kernel kind that has one.  Names survive
 * kptr_restrict; a kernel that reads 0x10 as KEXEC_DEBUG has no such
 * function.  Unreadable kallsyms (no CONFIG_KALLSYMS) proves nothing, so it
 * counts as the KEXEC_DEBUG kind: a refusal, never a guess.
 */
static bool kernel_is_seed(const struct host_facts *hf)
{
	return host_kernel_has_symbol(hf, "multikernel_kexec") == 1;
}

/*
 * The TSC frequency for tsc_early_khz= (tsc-freq.h says from where); the
 * rule tsc-rate-known refuses a Linux kernel without one.
 */
static void mk_tsc(const struct kexec_options *o, const struct host_facts *hf,
		   struct mk_load_plan *l)
{
	if (cmdline_has_param(o->append, "tsc_early_khz")) {
		l->tsc = (struct tsc_freq){ 0, TSC_SRC_APPEND };
		return;
	}
	/* Only this load needs them: the whole kernel log, CPUID. */
	host_tsc_sources_read(hf, &l->tsc_src);
	l->tsc = tsc_freq_choose(&l->tsc_src, 0);
	/* The measurement costs 50 ms: only when nothing better is known. */
	if (l->tsc.source == TSC_SRC_NONE && tsc_measurement_allowed(&l->tsc_src))
		l->tsc = tsc_freq_choose(&l->tsc_src, host_tsc_measure_khz(hf, &l->tsc_src));
}

/*
 * The reservation exists but running instances own all of it (within
 * --mem-min/--mem-max): name one of them rather than "no reservation".
 */
static int explain_taken(const struct kexec_options *o, const struct host_facts *hf,
			 const struct mk_registry *reg, struct kx_error *err)
{
	const struct mk_named_range *r;
	const struct mk_instance *in;
	struct kx_error ignored;
	struct mk_memory all;
	char what[PATH_MAX + 96];

	if (mk_memory_find(hf, o->mem_min, o->mem_max, NULL, &all, &ignored))
		return -1;
	in = mk_registry_overlap(reg, all.main.start, all.main.end, &r);
	if (!in)
		return -1;
	mk_instance_describe(in, what, sizeof(what));
	return kx_fail(err, KX_EINSTANCE, "no free part of the multikernel reservation%s is left: "
		       "%s owns [0x%" PRIx64 ", 0x%" PRIx64 ") (%s memory); give --mem-min/--mem-max "
		       "a free part, or if that kernel is dead, 'kexec --multikernel --forget=%d'",
		       o->mem_min || o->mem_max ? " between --mem-min and --mem-max" : "", what,
		       r->start, r->end, r->name, in->cpu);
}

/*
 * A segment that must go at a fixed address (an ELF payload, a
 * non-relocatable kernel) found no room: if it would fit in the
 * reservation but for a running instance, say which one is in the way.
 * Replaces err only then.
 */
static void explain_fixed_overlap(const struct kexec_options *o, const struct host_facts *hf,
				  const struct mk_registry *reg, const struct loaded_inputs *in,
				  struct kx_error *err)
{
	struct kx_error ignored;
	struct mk_memory all;
	struct load_env env;
	struct kx_plan plan;

	if (mk_memory_find(hf, o->mem_min, o->mem_max, NULL, &all, &ignored) == 0 &&
	    mk_memory_env(hf, &all, &env, &ignored) == 0 &&
	    plan_build(in, &env, KEXEC_MULTIKERNEL, &plan, &ignored) == 0) {
		mk_rules_plan_clear(&plan, reg, err);
		plan_free(&plan);
	}
}

/*
 * The "loaded" record: what a later start needs to know and to claim, and
 * what it starts (the command line the kernel was given, its memory).
 */
static void record_loaded(const struct host_facts *hf, const struct loaded_inputs *in,
			  const struct mk_memory *mem, const struct load_env *env,
			  const struct kx_plan *plan, struct mk_instance *rec)
{
	uint8_t digest[SHA256_DIGEST_SIZE];

	memset(rec, 0, sizeof(*rec));
	rec->cpu = -1;
	rec->state = MK_LOADED;
	snprintf(rec->file, sizeof(rec->file), "%s", MK_INSTANCE_LOADED);
	snprintf(rec->boot_id, sizeof(rec->boot_id), "%s", hf->boot_id);
	if (!realpath(in->kernel.path, rec->image))
		snprintf(rec->image, sizeof(rec->image), "%s", in->kernel.path);
	sha256_digest(in->kernel.data, in->kernel.size, digest);
	for (size_t i = 0; i < sizeof(digest); i++)
		snprintf(rec->sha256 + 2 * i, 3, "%02x", digest[i]);
	snprintf(rec->cmdline, sizeof(rec->cmdline), "%s", in->req.cmdline);
	rec->status_addr = env->status_addr;
	rec->serial_port = in->req.serial_port;
	rec->ranges[rec->nr_ranges++] = (struct mk_named_range){ "main", mem->main.start,
								  mem->main.end };
	if (mem->have_low)
		rec->ranges[rec->nr_ranges++] = (struct mk_named_range){ "low", mem->low.start,
									  mem->low.end };
	for (size_t i = 0; i < plan->nr && i < 16; i++)
		rec->segments[rec->nr_segments++] = (struct mem_range){
			plan->seg[i].mem, plan->seg[i].mem + plan->seg[i].memsz, MEM_RAM };
}

/* Several CPUs: the image's MADT lists them, so its record does (a start must name them). */
static void record_cpus(const struct mk_plan *p, struct mk_instance *rec)
{
	if (p->nr_cpus < 2)
		return;
	rec->nr_cpus = p->nr_cpus;
	memcpy(rec->cpus, p->cpus, p->nr_cpus * sizeof(p->cpus[0]));
}

/*
 * Can the new kernel find ACPI tables of its own?  A bzImage of boot
 * protocol 2.14 (Linux 4.20) or later reads boot_params.acpi_rsdp_addr;
 * an older one, or another kind of image, would search low memory and
 * find the host's RSDP, so it gets none (and acpi=off).
 */
static bool reads_rsdp_addr(const struct loaded_inputs *in)
{
	struct kx_error ignored;
	struct bzimage bz;

	return strcmp(in->type->name, "bzImage64") == 0 &&
	       bzimage64_probe(&in->kernel, &bz, &ignored) == 0 && bz.hdr.version >= 0x020e;
}

/* The CPUs the new kernel's MADT lists (load_env's acpi_* fields). */
static void acpi_cpus(const struct mk_plan *p, struct load_env *env)
{
	env->acpi_nr_cpus = p->nr_cpus > 1 ? p->nr_cpus : 1;
	env->acpi_apic_known = p->nr_cpus > 0 && p->apic_ids[0] >= 0;
	env->acpi_apic_ids[0] = env->acpi_apic_known ? (uint32_t)p->apic_ids[0] : 0;
	for (size_t i = 1; i < p->nr_cpus; i++)
		env->acpi_apic_ids[i] = (uint32_t)p->apic_ids[i];
	env->acpi_phantom = p->nr_cpus > 1;
	env->acpi_phantom_apic_id = p->phantom_apic_id >= 0 ? (uint32_t)p->phantom_apic_id : 0;
}

/*
 * Where it goes, what it is told, the segment table; each step's rules
 * (multikernel-rules.c) are asked as soon as it is decided.
 */
static int plan_segments(const struct kexec_options *o, const struct host_facts *hf,
			 const struct mk_registry *reg, struct mk_plan *p, struct kx_error *err)
{
	static const char *const host_only[] = { "memmap", "mem", "crashkernel", "initrd",
						 "console" };
	struct mk_load_plan *l = &p->l;
	struct loaded_inputs *in = &l->in;
	struct mem_ranges *held = malloc(sizeof(*held));
	struct mk_rule_in rules = { .stage = MK_RULE_PLACED, .o = o, .hf = hf, .reg = reg };
	struct kx_error mem_why = { .status = KX_OK };
	char prefix[1024];

	if (!held)
		return kx_fail(err, KX_EHOST, "out of memory");
	rules.is_linux = strcmp(in->type->name, "bzImage64") == 0;
	mk_registry_held(reg, held);
	if (mk_memory_find(hf, o->mem_min, o->mem_max, held, &l->mem, &mem_why))
		explain_taken(o, hf, reg, &mem_why);	/* replaces why only if an instance is in the way */
	else
		rules.mem = &l->mem;
	free(held);
	rules.mem_why = &mem_why;
	if (mk_rules_check(&rules, &l->passed, err) || mk_memory_env(hf, &l->mem, &l->env, err))
		return -1;
	/*
	 * Its own ACPI tables, when it can find them.  One CPU: the id read
	 * from /proc/cpuinfo while the CPU was online, else 0 until
	 * purgatory, on that CPU, writes the id it has (purgatory/madt.c); it
	 * writes it either way.  Several: every id read from /proc/cpuinfo
	 * (the rule cpu-apic-ids-known), behind the phantom entry.
	 */
	if (reads_rsdp_addr(in))
		acpi_cpus(p, &l->env);
	in->req.serial_port = mk_serial(o);
	mk_tsc(o, hf, l);
	/* A rate, or none that this payload needs: decided, so printed even if a word is refused. */
	if (l->tsc.source != TSC_SRC_NONE || !rules.is_linux)
		l->reached = MK_LOAD_TSC;
	l->words = mk_cmdline_facts(o, hf, l->tsc.khz);
	l->words.own_acpi = l->env.acpi_nr_cpus > 0;
	rules.stage = MK_RULE_TOLD;
	rules.tsc = &l->tsc;
	rules.tsc_src = &l->tsc_src;
	rules.words = &l->words;
	if (mk_rules_check(&rules, &l->passed, err) ||
	    mk_cmdline_defaults(&l->words, prefix, sizeof(prefix), err) ||
	    compose_cmdline(o, hf, host_only, sizeof(host_only) / sizeof(host_only[0]), prefix,
			    in->req.cmdline, sizeof(in->req.cmdline), err))
		return -1;
	/* Its console, as its ACPI namespace's one device (acpi-tables.h). */
	l->env.acpi_uart_io = mk_serial_console_of(in->req.cmdline);
	l->reached = MK_LOAD_WORDS;
	if (plan_build(in, &l->env, KEXEC_MULTIKERNEL, &l->segs, err)) {
		if (err->status == KX_ENOROOM && reg->nr)
			explain_fixed_overlap(o, hf, reg, in, err);
		return -1;
	}
	l->reached = MK_LOAD_SEGMENTS;
	rules.stage = MK_RULE_PLANNED;
	rules.cmdline = in->req.cmdline;
	rules.plan = &l->segs;
	if (mk_rules_check(&rules, &l->passed, err))
		return -1;
	record_loaded(hf, in, &l->mem, &l->env, &l->segs, &l->rec);
	record_cpus(p, &l->rec);
	l->reached = MK_LOAD_CHECKED;
	return 0;
}

int mk_plan_load(const struct kexec_options *o, const struct host_facts *hf,
		 const struct mk_registry *reg, struct mk_plan *p, struct kx_error *err)
{
	struct mk_rule_in rules = { .stage = MK_RULE_LOAD, .o = o, .hf = hf, .reg = reg,
				    .apic_ids = p->apic_ids, .phantom_apic_id = p->phantom_apic_id };
	struct mk_load_plan *l = &p->l;

	if (mk_rules_check(&rules, &l->passed, err))
		return -1;
	l->unlisted = !hf->have_proc_multikernel;
	l->seed = l->unlisted && kernel_is_seed(hf);
	if (inputs_open(o, &l->in, err))
		return -1;
	l->have_inputs = true;
	return plan_segments(o, hf, reg, p, err);
}

void mk_load_plan_free(struct mk_load_plan *l)
{
	plan_free(&l->segs);	/* also what a failed plan_build kept: nothing on a zeroed plan */
	if (l->have_inputs)
		inputs_close(&l->in);
	l->reached = MK_LOAD_NOTHING;
	l->have_inputs = false;
}
