// SPDX-License-Identifier: GPL-2.0-only
/*
 * kexec(8): parse the options, read the host facts, dispatch to one action.
 * Every error arrives here as a struct kx_error and leaves as one line,
 * "kexec: <what is wrong>; <what to do>", with its documented exit status.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host-facts.h"
#include "kexec-actions.h"
#include "kexec-multikernel.h"
#include "options.h"

static int dispatch(const struct kexec_options *o, struct host_facts *hf, struct kx_error *err)
{
	int ret;

	/* The crash region's size is a fact of the host, whatever the load kind. */
	if (o->multikernel && o->action != ACT_PRINT_CKR_SIZE)
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

/*
 * Every printout (--help, --version, --list, --dry-run's table, -S,
 * --print-ckr-size) goes through stdio's buffer: whether it reached its
 * reader is only known once the buffer is flushed and closed, as
 * util-linux's close_stdout() checks.  A lost printout is exit 27, after
 * anything already reported (its status wins).  Every return from main
 * comes through here, so stdout is always closed when main returns (the
 * fuzz harness, which lends main a memory stream as stdout, relies on it).
 */
static int finish_stdout(int status, bool action_failed)
{
	int failed = fflush(stdout) != 0 || ferror(stdout);
	int e = errno;

	/* EBADF with nothing left to write: stdout was closed, and nothing was lost. */
	if (fclose(stdout) != 0 && !failed && errno != EBADF)
		failed = 1, e = errno;
	if (!failed)
		return status;
	fprintf(stderr, "kexec: cannot write standard output: %s; what kexec printed is "
		"incomplete (the action itself %s)\n", e ? strerror(e) : "write error",
		action_failed ? "had failed, see above" : "finished");
	return action_failed ? status : KX_EOUTPUT;
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
		return finish_stdout(err.status, true);
	}
	if (opts.action == ACT_HELP) {
		options_usage(stdout);
		return finish_stdout(0, false);
	}
	if (opts.action == ACT_VERSION) {
		printf("kexec (kexec-mk) %s\n", PACKAGE_VERSION);
		return finish_stdout(0, false);
	}
	hf = malloc(sizeof(*hf));
	if (!hf) {
		fprintf(stderr, "kexec: out of memory\n");
		return finish_stdout(KX_EHOST, true);
	}
	ret = host_facts_read(opts.sysroot, hf, &err);
	if (ret == 0)
		ret = dispatch(&opts, hf, &err);
	free(hf);
	if (ret < 0) {
		fflush(stdout);	/* what was planned comes before why it stopped */
		fprintf(stderr, "kexec: %s\n", err.msg);
		return finish_stdout(err.status, true);
	}
	return finish_stdout(ret, false);	/* 0, or -S's answer */
}
