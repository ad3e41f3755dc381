/* SPDX-License-Identifier: GPL-2.0-only */
/* The actions kexec(8) performs, one function each; kexec.c dispatches to them. */
#ifndef KEXEC_ACTIONS_H
#define KEXEC_ACTIONS_H

#include "file-type.h"
#include "host-facts.h"
#include "options.h"
#include "plan.h"

/* Which system call(s) an ordinary load uses (-c, -s, -a and the default). */
enum load_path {
	LOAD_PATH_KEXEC_LOAD,			/* -c, --load-preserve-context */
	LOAD_PATH_FILE,				/* -s */
	LOAD_PATH_FILE_THEN_KEXEC_LOAD,		/* default, -a (kx_file_load_falls_back) */
};
enum load_path load_path_choose(const struct kexec_options *o);

/* Ordinary kexec. */
int action_load(const struct kexec_options *o, struct host_facts *hf, struct kx_error *err);
int action_exec(const struct kexec_options *o, const struct host_facts *hf, struct kx_error *err);
int action_unload(const struct kexec_options *o, struct kx_error *err);
int action_status(const struct kexec_options *o, const struct host_facts *hf, struct kx_error *err);
int action_shutdown(const struct kexec_options *o, struct kx_error *err);
int action_print_ckr_size(const struct host_facts *hf, struct kx_error *err);
int action_jump_back_helper(const struct kexec_options *o, const struct host_facts *hf,
			    struct kx_error *err);

#endif /* KEXEC_ACTIONS_H */
