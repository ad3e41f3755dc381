// SPDX-License-Identifier: GPL-2.0-only
/*
 * kexec -l --multikernel: the first stage of a spawned kernel's life.
 *
 *   the rules (multikernel-rules.c: one image at a time, the CPU free,
 *   present, not CPU 0, offline)
 *   -> a free part of the reservation around the running instances
 *      (multikernel-memory.c; if there is none, say who holds it)
 *   -> the default command line (multikernel-cmdline.c) and the TSC
 *      frequency for it -> plan -> the rules again (no neighbour's console
 *      reset, no segment on a running instance) -> offline the CPU on request
 *   -> kexec_load(KEXEC_MULTIKERNEL), recorded as "loaded" (mk-instance.c)
 *
 * A load that cannot be recorded is unloaded again: unrecorded memory
 * would look free to the next load.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline-params.h"
#include "kexec-bzImage64.h"
#include "kexec-syscall.h"
#include "load-pipeline.h"
#include "multikernel-cmdline.h"
#include "multikernel-cpu.h"
#include "multikernel-load.h"
#include "multikernel-memory.h"
#include "multikernel-rules.h"
#include "multikernel-serial.h"
#include "sha256.h"
#include "tsc-freq.h"

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
 * Without the listing, the load itself is the probe (the rule
 * ordinary-slot-empty guarded the slot before it); mk_check_taken_as_ordinary()
 * tells afterwards which kernel took it.  For --dry-run and -d: what it will tell.
 */
static void explain_unlisted_load(const struct kexec_options *o, const struct host_facts *hf)
{
	if (hf->have_proc_multikernel)
		return;
	if (o->dry_run || o->debug)
		printf("multikernel support: not listed (no /proc/multikernel); the load itself "
		       "will tell: if it sets kexec_loaded, %s\n", kernel_is_seed(hf) ?
		       "the image is in the ordinary slot (the seed's ABI: /proc/kallsyms names "
		       "multikernel_kexec), so -l alone is refused and a start unloads it at once" :
		       "the kernel read 0x10 as KEXEC_DEBUG (/proc/kallsyms names no "
		       "multikernel_kexec) and the load is undone and refused");
}

/*
 * RFC 6/7 keeps multikernel images on a list: kexec_loaded stays 0.  If it
 * went 0 -> 1, the image sits in kexec_image, where 'kexec -e' and
 * systemd's final reboot (reboot(LINUX_REBOOT_CMD_KEXEC)) would boot it as
 * an ordinary kernel:
 *   - a kernel that read 0x10 as KEXEC_DEBUG holds an ordinary image: undo,
 *     refuse;
 *   - the seed (RFC 1/7 alone) holds a multikernel image with no control
 *     page, and its kernel_kexec() would shut the host down and crash in
 *     machine_kexec(): keep it only for the start in this same command
 *     (mk_start unloads it right after the kick); a load alone is undone
 *     and refused.
 * Returns 0 when the load may stay.
 */
static int mk_check_taken_as_ordinary(const struct kexec_options *o, const struct host_facts *hf,
				      struct kx_error *err)
{
	struct kx_error undo;

	if (hf->have_proc_multikernel || hf->kexec_loaded != 0 || host_kexec_loaded_now(hf) != 1)
		return 0;
	if (kernel_is_seed(hf)) {
		if (o->action != ACT_LOAD)
			return 0;
		kx_sys_kexec_unload(KEXEC_MULTIKERNEL, KX_CALL_UNLOAD_MULTIKERNEL, &undo);
		return kx_fail(err, KX_ENOSUPPORT, "the running kernel keeps a multikernel image "
			       "in the ordinary kexec slot (the seed's ABI: kexec_loaded read 1), "
			       "where 'kexec -e' or a kexec reboot would crash this kernel, so it "
			       "is started in the same command only: use 'kexec --multikernel "
			       "--cpu=N' without -l; the image was unloaded again");
	}
	kx_sys_kexec_unload(0, KX_CALL_UNLOAD, &undo);
	return kx_fail(err, KX_ENOSUPPORT, "the running kernel took the load as an ordinary "
		       "kexec image (flag 0x10 read as KEXEC_DEBUG: /proc/kallsyms names no "
		       "multikernel_kexec), so it has no multikernel support; the image was "
		       "unloaded again");
}

/*
 * The TSC frequency for tsc_early_khz= (tsc-freq.h says from where).  A
 * Linux kernel without a trustworthy one would run every clock off by the
 * error for its whole life: refuse, unless the user passed one.  Other
 * payloads get the word only if a value is known.
 */
static int mk_tsc(const struct kexec_options *o, const struct host_facts *hf, bool is_linux,
		  struct tsc_freq *f, struct kx_error *err)
{
	struct tsc_sources src = { 0 };

	if (cmdline_has_param(o->append, "tsc_early_khz")) {
		*f = (struct tsc_freq){ 0, TSC_SRC_APPEND };
	} else {
		/* Only this load needs them: the whole kernel log, CPUID. */
		host_tsc_sources_read(hf, &src);
		*f = tsc_freq_choose(&src, 0);
		/* The measurement costs 50 ms: only when nothing better is known. */
		if (f->source == TSC_SRC_NONE && tsc_measurement_allowed(&src))
			*f = tsc_freq_choose(&src, host_tsc_measure_khz(hf, &src));
		if (f->source == TSC_SRC_NONE && is_linux)
			return tsc_freq_refuse(&src, hf->sysroot[0] != '\0', err);
	}
	if (o->dry_run || o->debug) {
		if (f->khz)
			printf("TSC frequency %" PRIu32 " kHz from %s%s\n", f->khz,
			       tsc_source_name(f->source),
			       src.log_unstable ? "; the host kernel marked its TSC unstable" : "");
		else
			printf("TSC frequency %s\n", f->source == TSC_SRC_APPEND ?
			       "from --append (tsc_early_khz=)" :
			       "unknown (this payload does not need tsc_early_khz=)");
	}
	return 0;
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

/* A Linux kernel needs low memory: none reserved (15), or running instances own it all (20). */
static int low_memory_missing(const struct mk_registry *reg, struct kx_error *err)
{
	char what[PATH_MAX + 96];

	for (size_t i = 0; i < reg->nr; i++) {
		const struct mk_instance *in = &reg->inst[i];

		for (size_t j = 0; mk_instance_holds(in) && j < in->nr_ranges; j++) {
			if (strcmp(in->ranges[j].name, "low") != 0)
				continue;
			mk_instance_describe(in, what, sizeof(what));
			return kx_fail(err, KX_EINSTANCE, "a Linux kernel needs RAM below 1 MiB for "
				       "its trampolines and running instances own all the host "
				       "reserved, %s among them [0x%" PRIx64 ", 0x%" PRIx64 "); boot "
				       "the host with more low memory (memmap=0x60000$0x20000 holds "
				       "two), or if that kernel is dead, 'kexec --multikernel "
				       "--forget=%d'", what, in->ranges[j].start, in->ranges[j].end,
				       in->cpu);
		}
	}
	return kx_fail(err, KX_ENORESERVATION, "a Linux kernel needs RAM below 1 MiB for its "
		       "trampolines and the host reserved none: boot the host with "
		       "memmap=0x60000$0x20000 as well");
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
	rec->ranges[rec->nr_ranges++] = (struct mk_named_range){ "main", mem->main.start,
								  mem->main.end };
	if (mem->have_low)
		rec->ranges[rec->nr_ranges++] = (struct mk_named_range){ "low", mem->low.start,
									  mem->low.end };
	for (size_t i = 0; i < plan->nr && i < 16; i++)
		rec->segments[rec->nr_segments++] = (struct mem_range){
			plan->seg[i].mem, plan->seg[i].mem + plan->seg[i].memsz, MEM_RAM };
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

/* For -d and --dry-run: where the new kernel's own ACPI tables went, for which CPU. */
static void explain_acpi(const struct kx_plan *plan, const struct load_env *env)
{
	if (!env->acpi_nr_cpus)
		printf("ACPI tables: none of its own (it would not find them: not a bzImage of boot "
		       "protocol 2.14 or later), so acpi=off\n");
	for (size_t i = 0; i < plan->nr; i++) {
		if (strcmp(plan->seg[i].purpose, "acpi") != 0)
			continue;
		int k = legacy_uart_index(env->acpi_uart_io);

		if (env->acpi_uart_io && k >= 0)
			printf("ACPI tables at 0x%" PRIx64 ": RSDP, XSDT, FACP (hardware-reduced), "
			       "DSDT (ttyS%d at 0x%x, no interrupt: polled), APIC (local APIC id",
			       plan->seg[i].mem, k, env->acpi_uart_io);
		else
			printf("ACPI tables at 0x%" PRIx64 ": RSDP, XSDT, FACP (hardware-reduced), "
			       "DSDT (empty), APIC (local APIC id", plan->seg[i].mem);
		if (env->acpi_apic_known)
			printf(" %" PRIu32 " from /proc/cpuinfo;", env->acpi_apic_ids[0]);
		else
			printf(":");
		printf(" purgatory writes the one it reads on the CPU; no I/O APIC)\n");
	}
}

static int mk_plan_and_load(const struct kexec_options *o, struct host_facts *hf,
			    struct mk_registry *reg, struct loaded_inputs *in,
			    const int64_t apic_id, struct mk_rule_in *rules,
			    struct mk_rules_passed *passed, struct mk_instance *rec,
			    struct kx_error *err)
{
	static const char *const host_only[] = { "memmap", "mem", "crashkernel", "initrd",
						 "console" };
	char prefix[1024];
	struct mk_cmdline_in cl;
	struct mem_ranges *held = malloc(sizeof(*held));
	struct mk_memory mem;
	struct load_env env;
	struct tsc_freq tsc;
	struct kx_plan plan;
	int ret;

	if (!held)
		return kx_fail(err, KX_EHOST, "out of memory");
	mk_registry_held(reg, held);
	ret = mk_memory_find(hf, o->mem_min, o->mem_max, held, &mem, err);
	free(held);
	if (ret) {
		explain_taken(o, hf, reg, err);	/* replaces err only if an instance is in the way */
		return -1;
	}
	if (!mem.have_low && strcmp(in->type->name, "bzImage64") == 0)
		return low_memory_missing(reg, err);
	if (mk_memory_env(hf, &mem, &env, err))
		return -1;
	/*
	 * Its own ACPI tables, for one CPU, when it can find them: the id
	 * read from /proc/cpuinfo while the CPU was online, else 0 until
	 * purgatory, on that CPU, writes the id it has (purgatory/madt.c); it
	 * writes it either way.
	 */
	if (reads_rsdp_addr(in)) {
		env.acpi_apic_ids[0] = apic_id >= 0 ? (uint32_t)apic_id : 0;
		env.acpi_nr_cpus = 1;
		env.acpi_apic_known = apic_id >= 0;
	}
	in->req.serial_port = mk_serial(o);
	if (mk_tsc(o, hf, strcmp(in->type->name, "bzImage64") == 0, &tsc, err))
		return -1;
	cl = mk_cmdline_facts(o, hf, tsc.khz);
	cl.own_acpi = env.acpi_nr_cpus > 0;
	if (mk_cmdline_defaults(&cl, prefix, sizeof(prefix), err) ||
	    compose_cmdline(o, hf, host_only, sizeof(host_only) / sizeof(host_only[0]), prefix,
			    in->req.cmdline, sizeof(in->req.cmdline), err))
		return -1;
	/* Its console, as its ACPI namespace's one device (acpi-tables.h). */
	env.acpi_uart_io = mk_serial_console_of(in->req.cmdline);
	if (o->dry_run || o->debug) {
		printf("multikernel reservation [0x%" PRIx64 ", 0x%" PRIx64 ")", mem.main.start,
		       mem.main.end);
		if (mem.have_low)
			printf(", low memory [0x%" PRIx64 ", 0x%" PRIx64 ")", mem.low.start,
			       mem.low.end);
		printf("\n");
		mk_cmdline_explain(stdout, &cl);
	}
	ret = plan_build(in, &env, KEXEC_MULTIKERNEL, &plan, err);
	if (ret == 0 && (o->dry_run || o->debug)) {
		plan_explain(stdout, in, &plan);
		explain_acpi(&plan, &env);
	}
	if (ret && err->status == KX_ENOROOM && reg->nr)
		explain_fixed_overlap(o, hf, reg, in, err);
	if (ret == 0) {
		rules->stage = MK_RULE_PLANNED;
		rules->cmdline = in->req.cmdline;
		rules->plan = &plan;
		ret = mk_rules_check(rules, passed, err);
	}
	if (ret == 0 && (o->dry_run || o->debug))
		mk_rules_print(stdout, passed);
	/* Only now, every rule passed: nothing is taken from the host for a refused load. */
	if (ret == 0 && o->cpu >= 0)
		ret = mk_cpu_take_offline(o, hf, err);
	if (ret == 0 && !o->dry_run)
		ret = kx_sys_kexec_load(&plan, KX_CALL_LOAD_MULTIKERNEL, err);
	if (ret == 0 && !o->dry_run)
		ret = mk_check_taken_as_ordinary(o, hf, err);
	if (ret == 0)
		record_loaded(hf, in, &mem, &env, &plan, rec);
	if (ret == 0 && !o->dry_run && mk_registry_put(reg, rec, err)) {
		struct kx_error undo;

		/* Unrecorded memory would be free for the next load: take it back. */
		kx_sys_kexec_unload(KEXEC_MULTIKERNEL, KX_CALL_UNLOAD_MULTIKERNEL, &undo);
		ret = -1;
	}
	plan_free(&plan);
	return ret;
}

int mk_load(const struct kexec_options *o, struct host_facts *hf, struct mk_registry *reg,
	    struct mk_instance *loaded, struct kx_error *err)
{
	struct mk_rule_in rules = { .stage = MK_RULE_LOAD, .o = o, .hf = hf, .reg = reg };
	struct mk_rules_passed passed = { .nr = 0 };
	struct loaded_inputs in;
	int64_t apic_id = -1;
	uint32_t id;
	int ret;

	if (mk_rules_check(&rules, &passed, err))
		return -1;
	explain_unlisted_load(o, hf);
	/* cpuinfo lists online CPUs only: read the id before --offline-cpu takes it away. */
	if (o->cpu >= 0 && host_cpu_apic_id(hf, (unsigned int)o->cpu, &id) == 0)
		apic_id = id;
	if (inputs_open(o, &in, err))
		return -1;
	ret = mk_plan_and_load(o, hf, reg, &in, apic_id, &rules, &passed, loaded, err);
	inputs_close(&in);
	return ret;
}
