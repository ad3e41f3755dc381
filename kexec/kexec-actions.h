/* SPDX-License-Identifier: GPL-2.0-only */
/* The actions kexec(8) performs, one function each; kexec.c dispatches to them. */
#ifndef KEXEC_ACTIONS_H
#define KEXEC_ACTIONS_H

#include "file-type.h"
#include "host-facts.h"
#include "options.h"
#include "plan.h"

/* Ordinary kexec. */
int action_load(const struct kexec_options *o, struct host_facts *hf, struct kx_error *err);
int action_exec(const struct kexec_options *o, const struct host_facts *hf, struct kx_error *err);
int action_unload(const struct kexec_options *o, struct kx_error *err);
int action_status(const struct kexec_options *o, const struct host_facts *hf, struct kx_error *err);
int action_shutdown(const struct kexec_options *o, struct kx_error *err);

/* Multikernel (kexec-multikernel.c). */
int multikernel_load(const struct kexec_options *o, struct host_facts *hf, struct kx_error *err);
int multikernel_start(const struct kexec_options *o, struct host_facts *hf, struct kx_error *err);
int multikernel_unload(const struct kexec_options *o, struct kx_error *err);
int multikernel_list(const struct kexec_options *o, const struct host_facts *hf,
		     struct kx_error *err);
/* True if /proc/multikernel lists a multikernel image (ABI.md 1.7). */
bool multikernel_loaded(const struct host_facts *hf);

/* Shared by both: the opened inputs of a load and the plan built from them. */
struct loaded_inputs {
	struct image_file kernel;
	struct image_file initrd;
	const struct file_type *type;
	struct load_request req;
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

/* Plan with the chosen loader, sort, check against the rules, print if asked. */
int plan_build(const struct loaded_inputs *in, const struct load_env *env,
	       unsigned long flags, const struct kexec_options *o, struct kx_plan *plan,
	       struct kx_error *err);

#endif /* KEXEC_ACTIONS_H */
