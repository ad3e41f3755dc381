// SPDX-License-Identifier: GPL-2.0-only
/*
 * The option parser on any argv (one argument per line of the input): it
 * fails with a usage reason or returns options that keep its promises, the
 * same ones when parsed twice (getopt's state is reset), and never lets a
 * recorded machine (--sysroot) reach a real load.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 64

static int split_args(char *text, char **argv)
{
	int argc = 0;

	argv[argc++] = "kexec";
	for (char *p = text; argc < MAX_ARGS; ) {
		char *nl = strchr(p, '\n');

		argv[argc++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	argv[argc] = NULL;
	return argc;
}

static void check_options(const struct kexec_options *o)
{
	bool needs_kernel = o->action == ACT_LOAD || o->action == ACT_FORCE ||
			    o->action == ACT_LOAD_SHUTDOWN;

	/* These stop the parse where they stand, and do only that (as in kexec-tools). */
	if (o->action == ACT_HELP || o->action == ACT_VERSION || o->action == ACT_PRINT_CKR_SIZE)
		return;
	/*
	 * A recorded machine reaches only what reads it: a dry run, the record
	 * readers, its log reader and the reservation planner (whose --write-grub
	 * writes under the sysroot, never this machine's /etc).
	 */
	FUZZ_ASSERT(!o->sysroot || o->dry_run || o->action == ACT_LIST ||
		    o->action == ACT_STATUS || o->action == ACT_DMESG ||
		    o->action == ACT_PLAN_RESERVATION,
		    "--sysroot without --dry-run for action %d", o->action);
	FUZZ_ASSERT(strlen(o->append) < KX_CMDLINE_MAX, "--append overflows");
	if (o->action == ACT_STATUS)
		return;
	FUZZ_ASSERT(!needs_kernel || o->kernel_path, "a load without a kernel");
	FUZZ_ASSERT(!(o->multikernel && o->panic), "--multikernel with -p");
	FUZZ_ASSERT(!o->mem_max || o->mem_max >= o->mem_min, "--mem-max below --mem-min");
	FUZZ_ASSERT(o->multikernel || (o->cpu < 0 && !o->offline_cpu && o->action != ACT_LIST),
		    "--cpu/--offline-cpu/--list without --multikernel");
	FUZZ_ASSERT(!o->multikernel || o->cpu >= 0 ||
		    (o->action != ACT_EXEC && o->action != ACT_FORCE),
		    "a multikernel start without --cpu");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kexec_options first, second;
	char *text = malloc(size + 1), *copy = malloc(size + 1);
	char *argv[MAX_ARGS + 1], *argv2[MAX_ARGS + 1];
	struct kx_error err = { .status = KX_OK }, err2 = { .status = KX_OK };
	int argc, rc, rc2;

	if (!text || !copy)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	memcpy(copy, text, size + 1);
	argc = split_args(text, argv);
	split_args(copy, argv2);

	rc = options_parse(argc, argv, &first, &err);
	if (rc) {
		FUZZ_ASSERT(rc == -1, "options_parse returned %d", rc);
		fuzz_check_failure(&err);
		FUZZ_ASSERT(err.status == KX_EUSAGE || err.status == KX_ECMDLINE,
			    "a bad command line with status %d: %s", err.status, err.msg);
	} else {
		check_options(&first);
	}
	rc2 = options_parse(argc, argv2, &second, &err2);
	FUZZ_ASSERT(rc2 == rc, "the second parse returned %d, the first %d", rc2, rc);
	if (rc)
		FUZZ_ASSERT(strcmp(err.msg, err2.msg) == 0, "the second parse says \"%s\", the first "
			    "\"%s\"", err2.msg, err.msg);
	else
		FUZZ_ASSERT(first.action == second.action && first.dry_run == second.dry_run &&
			    first.multikernel == second.multikernel && first.cpu == second.cpu &&
			    first.mem_min == second.mem_min && first.mem_max == second.mem_max &&
			    strcmp(first.append, second.append) == 0,
			    "the second parse gives other options");
	free(text);
	free(copy);
	return 0;
}
