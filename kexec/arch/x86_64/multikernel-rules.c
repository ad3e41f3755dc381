// SPDX-License-Identifier: GPL-2.0-only
/*
 * The multikernel preconditions (multikernel-rules.h), in the order they
 * are asked.  Each rule returns 0 when it holds, NOT_ASKED when it does
 * not apply to this request, or -1 with err set.  Adding a rule is one
 * function and one row of the table below (and its mutant).
 */
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "mk-images.h"
#include "multikernel-rules.h"
#include "multikernel-serial.h"

#define NOT_ASKED 1

/*
 * Without the listing, a kernel that reads 0x10 as KEXEC_DEBUG (newer
 * kexec-tools, proposed kernels) takes the load as an ordinary image and
 * would replace one already loaded.  (After the load, multikernel-load.c
 * catches the case where none was.)
 */
static int rule_ordinary_slot_empty(const struct mk_rule_in *r, struct kx_error *err)
{
	if (r->hf->have_proc_multikernel)
		return NOT_ASKED;
	if (r->hf->kexec_loaded == 1)
		return kx_fail(err, KX_ESTATE, "an ordinary kexec image is loaded and the running "
			       "kernel has no /proc/multikernel: if it reads flag 0x10 as KEXEC_DEBUG "
			       "this load would replace that image; unload it first with 'kexec -u'");
	return 0;
}

/*
 * The RFC starts the oldest image whatever CPU is named: one at a time.
 * Without the listing the kernel cannot be asked (ordinary-slot-empty is).
 */
static int rule_one_image_at_a_time(const struct mk_rule_in *r, struct kx_error *err)
{
	struct mk_image im;

	if (!r->hf->have_proc_multikernel)
		return NOT_ASKED;
	if (mk_loaded(r->hf, &im))
		return kx_fail(err, KX_ESTATE, "a multikernel image is already loaded (entry 0x%"
			       PRIx64 "); the kernel would start it, not this one, so unload it "
			       "first with 'kexec -u --multikernel'", im.entry);
	return 0;
}

/*
 * 'kexec -e': the kernel lists the image it would start.  After our own
 * load (-f) /proc/multikernel was read before it: the load is trusted.
 * Without the listing, the record says what we loaded.
 */
static int rule_image_listed(const struct mk_rule_in *r, struct kx_error *err)
{
	if (r->o->action != ACT_EXEC || !r->hf->have_proc_multikernel)
		return NOT_ASKED;
	if (!mk_loaded(r->hf, NULL))
		return kx_fail(err, KX_ENOTLOADED, "no multikernel image is loaded; load one with "
			       "'kexec -l --multikernel' first");
	return 0;
}

/* The start needs the load's record: its memory, status page and command line. */
static int rule_image_recorded(const struct mk_rule_in *r, struct kx_error *err)
{
	if (r->o->dry_run)
		return NOT_ASKED;
	if (!r->loaded)
		return kx_fail(err, KX_ESTATE, "the loaded multikernel image has no record in %s "
			       "(loaded by another tool?), so its memory and status are unknown; "
			       "unload it with 'kexec -u --multikernel' and load it again with "
			       "kexec", r->reg->dir);
	return 0;
}

/*
 * A start starts what was loaded: purgatory reports on the port the load
 * gave it, and that is the port the start leaves to the new kernel.  A
 * --serial naming another one would be ignored, so it is refused.
 */
static int rule_serial_as_loaded(const struct mk_rule_in *r, struct kx_error *err)
{
	uint16_t was;
	char name[16] = "a port";
	int k;

	if (r->o->action != ACT_EXEC || !r->o->serial_port || !r->loaded ||
	    !r->loaded->serial_port)
		return NOT_ASKED;
	was = r->loaded->serial_port;
	if (r->o->serial_port == was)
		return 0;
	k = legacy_uart_index(was);
	if (k >= 0)
		snprintf(name, sizeof(name), "ttyS%d", k);
	return kx_fail(err, KX_EUSAGE, "--serial=0x%x is not the port the image was loaded "
		       "with (%s at 0x%x), where purgatory reports; drop --serial, or load the "
		       "image again with it", r->o->serial_port, name, was);
}

/* A load may leave the CPU to its start; a start always names one. */
static bool cpu_named(const struct mk_rule_in *r)
{
	return r->stage == MK_RULE_START || r->o->cpu >= 0;
}

/* Every CPU the command names (--cpu=LIST), the first the kick's. */
#define for_each_named_cpu(r, i, cpu) \
	for (size_t i = 0; i < (r)->o->nr_cpus && ((cpu) = (r)->o->cpus[i], 1); i++)

/* A CPU a running instance holds is not free, offline or not: every CPU of it. */
static int rule_cpu_free(const struct mk_rule_in *r, struct kx_error *err)
{
	char what[PATH_MAX + 96];
	int cpu;

	if (!cpu_named(r))
		return NOT_ASKED;
	for_each_named_cpu(r, i, cpu) {
		const struct mk_instance *in = mk_registry_cpu_holder(r->reg, cpu);

		if (!in)
			continue;
		mk_instance_describe(in, what, sizeof(what));
		return kx_fail(err, KX_EINSTANCE, "CPU %d is taken by %s; choose another CPU, or "
			       "if that kernel is dead, drop its record with 'kexec --multikernel "
			       "--forget=%d'", cpu, what, in->cpu);
	}
	return 0;
}

static int rule_cpu_lists_read(const struct mk_rule_in *r, struct kx_error *err)
{
	if (!cpu_named(r))
		return NOT_ASKED;
	if (!r->hf->have_cpu_lists)
		return kx_fail(err, KX_EHOST, "cannot read %s/sys/devices/system/cpu/{present,online}",
			       r->hf->sysroot);
	return 0;
}

static int rule_cpu_present(const struct mk_rule_in *r, struct kx_error *err)
{
	int cpu;

	if (!cpu_named(r))
		return NOT_ASKED;
	for_each_named_cpu(r, i, cpu)
		if (!cpu_set_has(&r->hf->present, (unsigned int)cpu))
			return kx_fail(err, KX_ECPU, "CPU %d is not present on this machine; see "
				       "/sys/devices/system/cpu/present", cpu);
	return 0;
}

static int rule_cpu_not_0(const struct mk_rule_in *r, struct kx_error *err)
{
	int cpu;

	if (!cpu_named(r))
		return NOT_ASKED;
	for_each_named_cpu(r, i, cpu)
		if (cpu == 0)
			return kx_fail(err, KX_ECPU, "CPU 0 cannot take a multikernel: x86 cannot "
				       "offline it; choose another CPU");
	return 0;
}

/* Offline already, or --offline-cpu asks the stage to offline it (multikernel-cpu.c). */
static int rule_cpu_offline(const struct mk_rule_in *r, struct kx_error *err)
{
	int cpu;

	if (!cpu_named(r))
		return NOT_ASKED;
	for_each_named_cpu(r, i, cpu)
		if (cpu_set_has(&r->hf->online, (unsigned int)cpu) && !r->o->offline_cpu)
			return kx_fail(err, KX_ECPU, "CPU %d is online; offline it (echo 0 > "
				       "/sys/devices/system/cpu/cpu%d/online) or pass --offline-cpu",
				       cpu, cpu);
	return 0;
}

/*
 * The host keeps at least one online CPU of its own: the instance's CPUs
 * (offlined by --offline-cpu or before) may not be all it has.
 */
static int rule_host_keeps_a_cpu(const struct mk_rule_in *r, struct kx_error *err)
{
	struct cpu_set left = r->hf->online;
	int cpu;

	if (!cpu_named(r))
		return NOT_ASKED;
	for_each_named_cpu(r, i, cpu)
		left.bits[cpu / 64] &= ~(1ull << (cpu % 64));
	for (size_t w = 0; w < CPU_SET_MAX / 64; w++)
		if (left.bits[w])
			return 0;
	return kx_fail(err, KX_ECPU, "the host would have no online CPU left: --cpu names "
		       "every CPU it runs on; leave it one");
}

/*
 * Several CPUs: the new kernel's MADT lists each one's local APIC id and
 * purgatory can claim only its own, so every id is read from
 * /proc/cpuinfo, which lists online CPUs only.  And the phantom entry
 * (acpi-tables.h) needs an 8-bit id no CPU has.
 */
static int rule_cpu_apic_ids_known(const struct mk_rule_in *r, struct kx_error *err)
{
	int cpu;

	if (r->o->nr_cpus < 2 || !r->apic_ids)
		return NOT_ASKED;
	for_each_named_cpu(r, i, cpu)
		if (r->apic_ids[i] < 0)
			return kx_fail(err, KX_ECPU, "CPU %d's local APIC id is unknown (/proc/cpuinfo "
				       "lists online CPUs only) and an instance of several CPUs needs "
				       "each in its MADT; online it (echo 1 > /sys/devices/system/cpu/"
				       "cpu%d/online) and pass --offline-cpu", cpu, cpu);
	if (r->phantom_apic_id < 0)
		return kx_fail(err, KX_ECPU, "every 8-bit local APIC id is in use on this machine, "
			       "so the new kernel's MADT has no id for its disabled first entry; "
			       "use one CPU");
	return 0;
}

/*
 * A start of an image loaded for several CPUs names those CPUs: its MADT
 * lists them and the new kernel starts them all.  An image loaded for
 * one CPU (purgatory writes that CPU's id) starts on one.
 */
static int rule_cpus_as_loaded(const struct mk_rule_in *r, struct kx_error *err)
{
	const struct mk_instance *l = r->loaded;
	char was[CPU_LIST_MAX * 6], now[CPU_LIST_MAX * 6];

	if (!l || (l->nr_cpus < 2 && r->o->nr_cpus < 2))
		return NOT_ASKED;
	if (l->nr_cpus == r->o->nr_cpus &&
	    memcmp(l->cpus, r->o->cpus, l->nr_cpus * sizeof(l->cpus[0])) == 0)
		return 0;
	mk_instance_cpu_list(l, was, sizeof(was));
	if (cpu_list_format(r->o->cpus, r->o->nr_cpus, now, sizeof(now)))
		snprintf(now, sizeof(now), "?");
	if (l->nr_cpus < 2)
		return kx_fail(err, KX_EUSAGE, "--cpu=%s names several CPUs but the image was "
			       "loaded for one (its MADT lists one); load it again with --cpu=%s",
			       now, now);
	return kx_fail(err, KX_EUSAGE, "--cpu=%s is not the CPUs the image was loaded for "
		       "(%s: its MADT lists them); start it with --cpu=%s, or load it again",
		       now, was, was);
}

/*
 * A free part of the reservation (multikernel-memory.c, around the running
 * instances): the load's search says why there is none (no reservation,
 * not RAM, too many memmap= words, or the instance that owns it).
 */
static int rule_reservation_has_room(const struct mk_rule_in *r, struct kx_error *err)
{
	if (!r->mem)
		return kx_fail(err, r->mem_why->status, "%s", r->mem_why->msg);
	return 0;
}

/*
 * A Linux kernel needs RAM below 1 MiB for its trampolines: none reserved
 * (15), or running instances own it all (20).  Other payloads do not.
 */
static int rule_low_memory(const struct mk_rule_in *r, struct kx_error *err)
{
	const struct mk_registry *reg = r->reg;
	char what[PATH_MAX + 96];

	if (!r->is_linux)
		return NOT_ASKED;
	if (r->mem->have_low)
		return 0;
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
 * A Linux kernel without a trustworthy TSC rate would run every clock off
 * by the error for its whole life (tsc-freq.h says where a rate comes
 * from); --append=tsc_early_khz= gives one.  Other payloads get the word
 * only if a rate is known.
 */
static int rule_tsc_rate_known(const struct mk_rule_in *r, struct kx_error *err)
{
	if (!r->is_linux)
		return NOT_ASKED;
	if (r->tsc->source == TSC_SRC_NONE)
		return tsc_freq_refuse(r->tsc_src, r->hf->sysroot[0] != '\0', err);
	return 0;
}

/*
 * Several CPUs need tables of the instance's own: without them (acpi=off,
 * an image that cannot be given an RSDP) the kernel would read the host's
 * MP table or MADT and see, and try to start, the host's CPUs.
 */
static int rule_several_cpus_own_tables(const struct mk_rule_in *r, struct kx_error *err)
{
	if (r->o->nr_cpus < 2)
		return NOT_ASKED;
	if (!r->words->own_acpi)
		return kx_fail(err, KX_EUSAGE, "an instance of several CPUs needs ACPI tables of its "
			       "own, and this image cannot be given them (not a bzImage of boot "
			       "protocol 2.14 or later: it would read the host's and start its "
			       "CPUs); give it one CPU");
	if (r->words->acpi_off_asked)
		return kx_fail(err, KX_EUSAGE, "an instance of several CPUs needs the ACPI tables "
			       "kexec builds for it, and acpi=off in its command line (--append or "
			       "--reuse-cmdline) would have it read the host's MP table and start "
			       "the host's CPUs; drop acpi=off, or give it one CPU");
	return 0;
}

/* Every --no-default-param=NAME drops a word this load has (multikernel-cmdline.c). */
static int rule_dropped_words_known(const struct mk_rule_in *r, struct kx_error *err)
{
	const char *name;

	if (!r->words->nr_dropped)
		return NOT_ASKED;
	name = mk_cmdline_unknown_dropped(r->words);
	if (name)
		return kx_fail(err, KX_EUSAGE, "--no-default-param=%s names no default word of the "
			       "spawned kernel; --dry-run lists them", name);
	return 0;
}

/*
 * The new kernel's 8250 driver resets no running instance's console port,
 * and it takes no serial interrupt from them (multikernel-serial.c).
 * Asked again at the start: an instance may have started on another port
 * since the image was loaded.
 */
static int rule_neighbour_consoles(const struct mk_rule_in *r, struct kx_error *err)
{
	if (!r->cmdline)
		return NOT_ASKED;
	return mk_serial_check_neighbours(r->reg, r->cmdline, err);
}

/* Defence in depth: no segment of the plan may touch a running instance. */
int mk_rules_plan_clear(const struct kx_plan *plan, const struct mk_registry *reg,
			struct kx_error *err)
{
	for (size_t i = 0; i < plan->nr; i++) {
		const struct kx_segment *s = &plan->seg[i];
		const struct mk_named_range *r;
		const struct mk_instance *in = mk_registry_overlap(reg, s->mem, s->mem + s->memsz, &r);
		char what[PATH_MAX + 96];

		if (!in)
			continue;
		mk_instance_describe(in, what, sizeof(what));
		return kx_fail(err, KX_EINSTANCE, "the %s segment [0x%" PRIx64 ", 0x%" PRIx64 ") "
			       "would overwrite %s at [0x%" PRIx64 ", 0x%" PRIx64 "); choose other "
			       "memory with --mem-min/--mem-max, or if that kernel is dead, "
			       "'kexec --multikernel --forget=%d'", s->purpose, s->mem,
			       s->mem + s->memsz, what, r->start, r->end, in->cpu);
	}
	return 0;
}

static int rule_segments_clear(const struct mk_rule_in *r, struct kx_error *err)
{
	return mk_rules_plan_clear(r->plan, r->reg, err);
}

static const struct mk_rule {
	const char *name;
	unsigned int stages;		/* enum mk_rule_stage bits */
	int (*check)(const struct mk_rule_in *r, struct kx_error *err);
} mk_rules[] = {
	{ "ordinary-slot-empty", MK_RULE_LOAD, rule_ordinary_slot_empty },
	{ "one-image-at-a-time", MK_RULE_LOAD, rule_one_image_at_a_time },
	{ "image-listed", MK_RULE_START, rule_image_listed },
	{ "image-recorded", MK_RULE_START, rule_image_recorded },
	{ "serial-as-loaded", MK_RULE_START, rule_serial_as_loaded },
	{ "cpu-free", MK_RULE_LOAD | MK_RULE_START, rule_cpu_free },
	{ "cpu-lists-read", MK_RULE_LOAD | MK_RULE_START, rule_cpu_lists_read },
	{ "cpu-present", MK_RULE_LOAD | MK_RULE_START, rule_cpu_present },
	{ "cpu-not-0", MK_RULE_LOAD | MK_RULE_START, rule_cpu_not_0 },
	{ "cpu-offline", MK_RULE_LOAD | MK_RULE_START, rule_cpu_offline },
	{ "host-keeps-a-cpu", MK_RULE_LOAD | MK_RULE_START, rule_host_keeps_a_cpu },
	{ "cpu-apic-ids-known", MK_RULE_LOAD, rule_cpu_apic_ids_known },
	{ "cpus-as-loaded", MK_RULE_START, rule_cpus_as_loaded },
	{ "reservation-has-room", MK_RULE_PLACED, rule_reservation_has_room },
	{ "low-memory-for-linux", MK_RULE_PLACED, rule_low_memory },
	{ "tsc-rate-known", MK_RULE_TOLD, rule_tsc_rate_known },
	{ "several-cpus-own-tables", MK_RULE_TOLD, rule_several_cpus_own_tables },
	{ "dropped-words-known", MK_RULE_TOLD, rule_dropped_words_known },
	{ "neighbour-consoles-kept", MK_RULE_PLANNED | MK_RULE_START, rule_neighbour_consoles },
	{ "segments-clear-of-instances", MK_RULE_PLANNED, rule_segments_clear },
};

#define MK_NR_RULES (sizeof(mk_rules) / sizeof(mk_rules[0]))
_Static_assert(MK_NR_RULES <= MK_RULES_MAX, "struct mk_rules_passed holds every rule");

int mk_rules_check(const struct mk_rule_in *in, struct mk_rules_passed *passed,
		   struct kx_error *err)
{
	for (size_t i = 0; i < MK_NR_RULES; i++) {
		const struct mk_rule *rule = &mk_rules[i];
		int ret;

		if (!(rule->stages & in->stage))
			continue;
		ret = rule->check(in, err);
		if (ret < 0) {
			char msg[sizeof(err->msg)];

			/* Room for the rule's name: a refusal's message is shorter than this. */
			snprintf(msg, sizeof(msg), "%s", err->msg);
			return kx_fail(err, err->status, "multikernel rule '%s' failed: %.700s",
				       rule->name, msg);
		}
		if (ret == 0 && passed && passed->nr < MK_RULES_MAX)
			passed->name[passed->nr++] = rule->name;
	}
	return 0;
}

void mk_rules_print(FILE *f, const struct mk_rules_passed *passed)
{
	fprintf(f, "multikernel rules passed:");
	for (size_t i = 0; i < passed->nr; i++)
		fprintf(f, "%s %s", i ? "," : "", passed->name[i]);
	fprintf(f, "%s\n", passed->nr ? "" : " none");
}
