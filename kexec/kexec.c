// SPDX-License-Identifier: GPL-2.0-only
/*
 * kexec(8): parse the options, read the host facts, dispatch to one action.
 * Every error arrives here as a struct kx_error and leaves as one line,
 * "kexec: <what is wrong>; <what to do>", with its documented exit status.
 */
#include <stdio.h>
#include <stdlib.h>

#include "host-facts.h"
#include "kexec-actions.h"
#include "options.h"

static int dispatch(const struct kexec_options *o, struct host_facts *hf, struct kx_error *err)
{
	int ret;

	if (o->multikernel)
		return multikernel_dispatch(o, hf, err);
	switch (o->action) {
	case ACT_LOAD:
		return action_load(o, hf, err);
	case ACT_FORCE:
		ret = action_load(o, hf, err);
		if (ret == 0 && !o->dry_run)
			hf->kexec_loaded = 1;	/* we just loaded it */
		return ret ? ret : action_exec(o, hf, err);
	case ACT_LOAD_SHUTDOWN:
		ret = action_load(o, hf, err);
		return ret ? ret : action_shutdown(o, err);
	case ACT_EXEC:
		return action_exec(o, hf, err);
	case ACT_UNLOAD:
		return action_unload(o, err);
	case ACT_STATUS:
		return action_status(o, hf, err);
	case ACT_PRINT_CKR_SIZE:
		return action_print_ckr_size(hf, err);
	case ACT_JUMP_BACK_HELPER:
		return action_jump_back_helper(o, hf, err);
	default:
		return kx_fail(err, KX_EUSAGE, "nothing to do");
	}
}

int main(int argc, char **argv)
{
	struct kexec_options opts;
	struct kx_error err = { .status = KX_OK };
	struct host_facts *hf;
	int ret;

	if (options_parse(argc, argv, &opts, &err)) {
		if (err.msg[0])
			fprintf(stderr, "kexec: %s\n", err.msg);
		fprintf(stderr, "Try 'kexec --help' for more information.\n");
		return err.status;
	}
	if (opts.action == ACT_HELP) {
		options_usage(stdout);
		return 0;
	}
	if (opts.action == ACT_VERSION) {
		printf("kexec (kexec-mk) %s\n", PACKAGE_VERSION);
		return 0;
	}
	hf = malloc(sizeof(*hf));
	if (!hf) {
		fprintf(stderr, "kexec: out of memory\n");
		return KX_EHOST;
	}
	ret = host_facts_read(opts.sysroot, hf, &err);
	if (ret == 0)
		ret = dispatch(&opts, hf, &err);
	free(hf);
	if (ret < 0) {
		fflush(stdout);	/* what was planned comes before why it stopped */
		fprintf(stderr, "kexec: %s\n", err.msg);
		return err.status;
	}
	return ret;	/* 0, or -S's answer */
}
