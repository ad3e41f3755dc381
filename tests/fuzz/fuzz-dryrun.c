// SPDX-License-Identifier: GPL-2.0-only
/*
 * The whole program, kexec --sysroot=MACHINE --dry-run ARGS: the input
 * describes the machine (fuzz_write_sysroot), the arguments (section
 * "args", one per line; $K and $I name the kernel and initrd files) and
 * the kernel and initrd bytes (sections "kernel", "initrd").  A dry run
 * never reaches the kernel (the seccomp guard in fuzz-common.c), exits
 * with a documented status, and says why in one "kexec: " line whenever
 * it fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int kexec_main(int argc, char **argv);	/* kexec/kexec.c's main, renamed for this harness */

#define MAX_ARGS 32

static char *work, *sysroot_dir;
static char kernel_path[4200], initrd_path[4200], sysroot_arg[4200];

static void setup(void)
{
	work = fuzz_mkdtemp();
	sysroot_dir = malloc(strlen(work) + 16);
	if (!sysroot_dir)
		abort();
	sprintf(sysroot_dir, "%s/root", work);
	fuzz_write(work, "root/.keep", "", 0);
	snprintf(kernel_path, sizeof(kernel_path), "%s/kernel", work);
	snprintf(initrd_path, sizeof(initrd_path), "%s/initrd", work);
	snprintf(sysroot_arg, sizeof(sysroot_arg), "--sysroot=%s", sysroot_dir);
	/* The segment tables are not checked here; the loader harnesses check plans. */
	if (!freopen("/dev/null", "w", stdout))
		abort();
}

/* Arguments from the input, except empty ones and any naming a host path or another sysroot. */
static int build_argv(char *text, char **argv)
{
	int argc = 0;

	argv[argc++] = "kexec";
	argv[argc++] = sysroot_arg;
	argv[argc++] = "--dry-run";
	for (char *p = text; p && *p && argc < MAX_ARGS; ) {
		char *nl = strchr(p, '\n');

		if (nl)
			*nl = '\0';
		if (strcmp(p, "$K") == 0)
			argv[argc++] = kernel_path;
		else if (strncmp(p, "--initrd=$I", 11) == 0 || strncmp(p, "--ramdisk=$I", 12) == 0)
			argv[argc++] = p[2] == 'i' ? "--initrd=$I" : "--ramdisk=$I";
		else if (*p && !strchr(p, '/') && !strstr(p, "sysroot"))
			argv[argc++] = p;
		p = nl ? nl + 1 : NULL;
	}
	argv[argc] = NULL;
	return argc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char initrd_arg[4300];
	struct fuzz_section s[] = { { .name = "args" }, { .name = "kernel" }, { .name = "initrd" } };
	char *argv[MAX_ARGS + 1], *args, *msg = NULL;
	size_t msg_size = 0;
	FILE *saved_stderr = stderr, *errors;
	int argc, rc;

	if (!work)
		setup();
	fuzz_write_sysroot(sysroot_dir, data, size);
	fuzz_split(data, size, s, 3);
	remove(kernel_path);
	remove(initrd_path);
	if (s[1].data)
		fuzz_write(work, "kernel", s[1].data, s[1].size);
	if (s[2].data)
		fuzz_write(work, "initrd", s[2].data, s[2].size);
	args = fuzz_strdup(&s[0]);
	argc = build_argv(args, argv);
	snprintf(initrd_arg, sizeof(initrd_arg), "--initrd=%s", initrd_path);
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "--initrd=$I") == 0 || strcmp(argv[i], "--ramdisk=$I") == 0)
			argv[i] = initrd_arg;

	/* glibc's stderr is an assignable FILE *: catch the program's own error line. */
	errors = open_memstream(&msg, &msg_size);
	if (!errors)
		abort();
	stderr = errors;
	rc = kexec_main(argc, argv);
	fflush(stdout);
	stderr = saved_stderr;
	fclose(errors);

	if (getenv("FUZZ_VERBOSE"))	/* what each input did, when replaying a corpus by hand */
		fprintf(stderr, "kexec exited %d: %s", rc, msg_size ? msg : "\n");
	FUZZ_ASSERT(rc >= 0 && rc <= 25, "exit status %d is not documented", rc);
	if (rc >= 2) {
		FUZZ_ASSERT(strncmp(msg, "kexec: ", 7) == 0 && msg_size > 8 && msg[7] != '\n',
			    "exit status %d without a reason: \"%s\"", rc, msg);
	}
	free(msg);
	free(args);
	return 0;
}
