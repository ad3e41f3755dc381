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

#endif /* KEXEC_ACTIONS_H */
