// SPDX-License-Identifier: GPL-2.0-only
/*
 * kexec -e --multikernel (and the start of -f): the start's part of the
 * plan (multikernel-plan.h), decided without touching anything.
 *
 *   the rules (multikernel-rules.c: the image listed and recorded, the CPU
 *   free, present, not CPU 0, offline or to be offlined, no neighbour's
 *   console reset by the recorded command line)
 *   -> the host's serial ports the new kernel's 8250 driver resets, to be
 *      re-armed after it started (multikernel-serial.c)
 *   -> how long the executor (multikernel-exec.c) waits for purgatory's
 *      word, and for the new kernel's init.
 */
#include <stdio.h>
#include <string.h>

#include "cmdline-params.h"
#include "multikernel-boot.h"
#include "multikernel-start.h"
#include "multikernel-status.h"

/*
 * The host's ports the new kernel resets: the legacy ports below the
 * 8250.nr_uarts of the command line the load recorded, except the one
 * purgatory and the kernel were given (the record's serial port; a record
 * written before kexec kept it, or none, leaves this command's --serial).
 * Only a dry run of an image with no record (loaded by another tool) has
 * no command line to read: it assumes this command's --append over the
 * default words.  The host's ports are read here, the only place that
 * needs them.
 */
static void mk_rearm_plan(const struct kexec_options *o, const struct host_facts *hf,
			  const struct mk_instance *loaded, struct mk_serial_rearm *r)
{
	struct mk_cmdline_in cl = mk_cmdline_facts(o, hf, 0);
	char words[KX_CMDLINE_MAX + 1024];
	struct host_serial_ports ports;
	struct kx_error ignored;

	if (loaded) {
		snprintf(words, sizeof(words), "%s", loaded->cmdline);
	} else if (mk_cmdline_defaults(&cl, words, sizeof(words), &ignored) ||
		   cmdline_append(words, sizeof(words), o->append)) {
		/* Words it cannot work out: the driver's default nr_uarts, the widest guess. */
		words[0] = '\0';
	}
	host_serial_ports_read(hf, &ports);
	mk_serial_rearm_plan(&ports, words, loaded && loaded->serial_port ?
			     loaded->serial_port : mk_serial(o), r);
}

/* The "loaded" record, read only. */
static const struct mk_instance *recorded_load(const struct mk_registry *reg)
{
	for (size_t i = 0; i < reg->nr; i++)
		if (strcmp(reg->inst[i].file, MK_INSTANCE_LOADED) == 0)
			return &reg->inst[i];
	return NULL;
}

int mk_plan_start(const struct kexec_options *o, const struct host_facts *hf,
		  const struct mk_registry *reg, struct mk_plan *p, struct kx_error *err)
{
	struct mk_start_plan *s = &p->s;
	/* A load of this same command (-f) is started: its record is the plan's. */
	const struct mk_instance *loaded = p->load ? &p->l.rec : recorded_load(reg);
	struct mk_rule_in rules = {
		.stage = MK_RULE_START, .o = o, .hf = hf, .reg = reg, .loaded = loaded,
		.cmdline = loaded ? loaded->cmdline : NULL,
	};

	if (mk_rules_check(&rules, &s->passed, err))
		return -1;
	if (loaded)
		s->rec = *loaded;
	s->recorded = loaded != NULL;
	/* A dry run of an image with no record (loaded by another tool): the one named. */
	s->image = loaded ? loaded->image : o->kernel_path;
	s->linux_image = s->image && mk_image_is_linux(s->image);
	mk_rearm_plan(o, hf, loaded, &s->rearm);
	s->start_wait_ms = o->start_wait_ms;
	s->start_wait_cap_ms = o->start_wait_ms > MK_START_WAIT_CAP_MS ? o->start_wait_ms :
			       MK_START_WAIT_CAP_MS;
	s->boot_wait_ms = o->boot_wait_ms;
	s->planned = true;
	return 0;
}
