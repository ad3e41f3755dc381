/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The load pipeline ordinary and multikernel loads share:
 * inputs_open -> compose_cmdline -> plan_build (plan, sort, check; pure)
 * -> plan_explain (--dry-run, -d) -> kexec_load.  Each load kind supplies only its load_env and its
 * command-line prefix.
 */
#ifndef KEXEC_LOAD_PIPELINE_H
#define KEXEC_LOAD_PIPELINE_H

#include <stdio.h>

#include "file-type.h"
#include "host-facts.h"
#include "kexec-syscall.h"
#include "options.h"
#include "plan.h"

/* The opened inputs of a load. */
struct loaded_inputs {
	struct image_file kernel;
	struct image_file initrd;
	const struct file_type *type;
	struct load_request req;
	/* A UKI's .cmdline, used when no --append/--reuse-cmdline is given ("": none). */
	char embedded_cmdline[KX_CMDLINE_MAX];
	char initrd_label[80];		/* "<kernel>(.initrd)" for a UKI's initrd */
};

/* Open kernel and initrd and pick the loader. */
int inputs_open(const struct kexec_options *o, struct loaded_inputs *in, struct kx_error *err);
void inputs_close(struct loaded_inputs *in);

/*
 * The command line for the new kernel: --reuse-cmdline's copy of this
 * kernel's (minus BOOT_IMAGE=, and minus drop[] names), then prefix, then
 * every --append in order - later parameters win in Linux.
 */
int compose_cmdline(const struct kexec_options *o, const struct host_facts *hf,
		    const char *const drop[], size_t nr_drop, const char *prefix,
		    char *out, size_t size, struct kx_error *err);

/*
 * A UKI's own command line (its .cmdline section), appended to out when
 * the user gave none: systemd-stub boots it that way.
 */
int inputs_embedded_cmdline(const struct kexec_options *o, const struct loaded_inputs *in,
			    char *out, size_t size, struct kx_error *err);

/* Plan with the chosen loader, sort, check against the rules; prints nothing. */
int plan_build(const struct loaded_inputs *in, const struct load_env *env,
	       unsigned long flags, struct kx_plan *plan, struct kx_error *err);

/* For --dry-run and -d: the image, the command line in quotes, the segment table. */
void plan_explain(FILE *out, const struct loaded_inputs *in, const struct kx_plan *plan);

/* plan_build, plan_explain if asked, then (unless --dry-run) kexec_load the plan as call. */
int pipeline_plan_and_load(const struct loaded_inputs *in, const struct load_env *env,
			   unsigned long flags, enum kx_call call, const struct kexec_options *o,
			   struct kx_error *err);

#endif /* KEXEC_LOAD_PIPELINE_H */
