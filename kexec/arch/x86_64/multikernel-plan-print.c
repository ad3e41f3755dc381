// SPDX-License-Identifier: GPL-2.0-only
/*
 * The multikernel plan (multikernel-plan.h), printed for --dry-run and -d:
 * the one printer, so what --dry-run shows is what a real run carries out.
 * A plan refused by a rule prints what was decided before the refusal.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "acpi-tables.h"
#include "legacy-uart.h"
#include "multikernel-plan-print.h"

/*
 * Without the listing, the load itself is the probe (the rule
 * ordinary-slot-empty guarded the slot before it); the executor tells
 * afterwards which kernel took it.
 */
static void print_unlisted(FILE *f, const struct mk_load_plan *l)
{
	if (!l->unlisted)
		return;
	fprintf(f, "multikernel support: not listed (no /proc/multikernel); the load itself "
		"will tell: if it sets kexec_loaded, %s\n", l->seed ?
		"the image is in the ordinary slot (the seed's ABI: /proc/kallsyms names "
		"multikernel_kexec), so -l alone is refused and a start unloads it at once" :
		"the kernel read 0x10 as KEXEC_DEBUG (/proc/kallsyms names no "
		"multikernel_kexec) and the load is undone and refused");
}

static void print_tsc(FILE *f, const struct mk_load_plan *l)
{
	if (l->tsc.khz)
		fprintf(f, "TSC frequency %" PRIu32 " kHz from %s%s\n", l->tsc.khz,
			tsc_source_name(l->tsc.source),
			l->tsc_src.log_unstable ? "; the host kernel marked its TSC unstable" : "");
	else
		fprintf(f, "TSC frequency %s\n", l->tsc.source == TSC_SRC_APPEND ?
			"from --append (tsc_early_khz=)" :
			"unknown (this payload does not need tsc_early_khz=)");
}

/*
 * The MADT's entries: for one CPU, the id purgatory writes; for several,
 * the phantom first; then the I/O APIC, whose window is at ioapic.
 */
static void print_madt(FILE *f, const struct load_env *env, uint64_t ioapic)
{
	char tail[96];

	snprintf(tail, sizeof(tail), "I/O APIC at 0x%" PRIx64 ": a page of its own, wired to nothing)",
		 ioapic);
	if (env->acpi_phantom) {
		fprintf(f, "s %" PRIu32 " first, online-capable and not enabled (no CPU has it: the "
			"real boot CPU the new kernel disables and never starts), then",
			env->acpi_phantom_apic_id);
		for (size_t i = 0; i < env->acpi_nr_cpus; i++)
			fprintf(f, "%s %" PRIu32, i ? "," : "", env->acpi_apic_ids[i]);
		fprintf(f, " enabled, from /proc/cpuinfo, the first the CPU it starts on; %s\n", tail);
		return;
	}
	if (env->acpi_apic_known)
		fprintf(f, " %" PRIu32 " from /proc/cpuinfo;", env->acpi_apic_ids[0]);
	else
		fprintf(f, ":");
	fprintf(f, " purgatory writes the one it reads on the CPU; %s\n", tail);
}

/* Where the new kernel's own ACPI tables went, for which CPU. */
static void print_acpi(FILE *f, const struct kx_plan *plan, const struct load_env *env)
{
	if (!env->acpi_nr_cpus)
		fprintf(f, "ACPI tables: none of its own (it would not find them: not a bzImage "
			"of boot protocol 2.14 or later), so acpi=off\n");
	for (size_t i = 0; i < plan->nr; i++) {
		if (strcmp(plan->seg[i].purpose, "acpi") != 0)
			continue;
		int k = legacy_uart_index(env->acpi_uart_io);

		if (env->acpi_uart_io && k >= 0)
			fprintf(f, "ACPI tables at 0x%" PRIx64 ": RSDP, XSDT, FACP (hardware-reduced), "
				"DSDT (ttyS%d at 0x%x, no interrupt: polled), APIC (local APIC id",
				plan->seg[i].mem, k, env->acpi_uart_io);
		else
			fprintf(f, "ACPI tables at 0x%" PRIx64 ": RSDP, XSDT, FACP (hardware-reduced), "
				"DSDT (empty), APIC (local APIC id", plan->seg[i].mem);
		print_madt(f, env, plan->seg[i].mem + ACPI_IOAPIC_WINDOW_OFF);
	}
}

/* The CPUs of the plan that are online now, which the executor offlines. */
static void print_offline(FILE *f, const struct mk_plan *p)
{
	int cpus[CPU_LIST_MAX] = { 0 };
	char list[CPU_LIST_MAX * 6];
	size_t n = 0;

	for (size_t i = 0; i < p->nr_cpus; i++)
		if (p->online[i])
			cpus[n++] = p->cpus[i];
	if (cpu_list_format(cpus, n, list, sizeof(list)) == 0)
		fprintf(f, "would offline CPU%s %s\n", n > 1 ? "s" : "", list);
}

/* The load's part, as far as it was planned. */
static void print_load(FILE *f, const struct mk_plan *p, bool would)
{
	const struct mk_load_plan *l = &p->l;

	print_unlisted(f, l);
	if (l->reached < MK_LOAD_TSC)
		return;
	print_tsc(f, l);
	if (l->reached < MK_LOAD_WORDS)
		return;
	fprintf(f, "multikernel reservation [0x%" PRIx64 ", 0x%" PRIx64 ")", l->mem.main.start,
		l->mem.main.end);
	if (l->mem.have_low)
		fprintf(f, ", low memory [0x%" PRIx64 ", 0x%" PRIx64 ")", l->mem.low.start,
			l->mem.low.end);
	fprintf(f, "\n");
	mk_cmdline_explain(f, &l->words);
	if (l->reached < MK_LOAD_SEGMENTS)
		return;
	plan_explain(f, &l->in, &l->segs);
	print_acpi(f, &l->segs, &l->env);
	if (l->reached < MK_LOAD_CHECKED)
		return;
	mk_rules_print(f, &l->passed);
	if (would && p->offline_cpu)
		print_offline(f, p);
}

static void print_start(FILE *f, const struct mk_plan *p, bool would)
{
	const struct mk_start_plan *s = &p->s;
	char ports[256], cpus[CPU_LIST_MAX * 6];

	mk_rules_print(f, &s->passed);
	if (would && p->offline_cpu && !p->load)
		print_offline(f, p);
	mk_serial_rearm_describe(&s->rearm, ports, sizeof(ports));
	fprintf(f, "host serial ports the new kernel's 8250 driver resets: %s", ports);
	if (s->rearm.nr)
		fprintf(f, "; the open ones are re-armed once the new kernel's log shows its "
			"ports registered (where that log cannot be read: at fixed times "
			"over %u s after the start)", mk_rearm_at_ms[MK_REARM_STEPS - 1] / 1000);
	fprintf(f, "\n");
	if (!would)
		return;
	fprintf(f, "would start the multikernel image on CPU %d", p->cpu);
	if (p->nr_cpus > 1 && cpu_list_format(p->cpus + 1, p->nr_cpus - 1, cpus, sizeof(cpus)) == 0)
		fprintf(f, " (its kernel starts CPU%s %s itself, from its MADT)",
			p->nr_cpus > 2 ? "s" : "", cpus);
	if (s->start_wait_ms)
		fprintf(f, " and give up after %.3g s without a sign of life from purgatory",
			s->start_wait_ms / 1000.0);
	else
		fprintf(f, " without waiting for a sign of life (--start-wait=0)");
	if (s->linux_image && s->boot_wait_ms)
		fprintf(f, ", then wait up to %.3g s for its log to show its init run "
			"(--boot-wait)", s->boot_wait_ms / 1000.0);
	else if (s->linux_image)
		fprintf(f, ", without waiting for its init (--boot-wait=0)");
	fprintf(f, "\n");
}

void mk_plan_print(FILE *f, const struct mk_plan *p, bool would)
{
	if (p->load)
		print_load(f, p, would);
	if (p->start && p->s.planned)
		print_start(f, p, would);
}
