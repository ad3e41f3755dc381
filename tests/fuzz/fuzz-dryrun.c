// SPDX-License-Identifier: GPL-2.0-only
/*
 * The whole program, kexec --sysroot=MACHINE --dry-run ARGS: the input
 * describes the machine (fuzz_write_sysroot), the arguments (section
 * "args", one per line; $K and $I name the kernel and initrd files) and
 * the kernel and initrd bytes (sections "kernel", "initrd").  A dry run
 * never reaches the kernel (the seccomp guard in fuzz-common.c), exits
 * with a documented status, and says why in one "kexec: " line whenever
 * it fails.  Every segment table it prints keeps the load's promise,
 * checked against the input's own /proc/iomem: an ordinary load only in
 * System RAM above 1 MiB and outside every crash kernel area; a
 * multikernel load inside the reservation it names and never in host RAM;
 * a crash load inside a crash kernel area.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "iomem.h"
#include "status.h"

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
	/* Whatever the program prints outside a call goes nowhere. */
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

static bool in_any(const struct mem_ranges *mr, uint64_t s, uint64_t e)
{
	for (size_t i = 0; i < mr->nr; i++)
		if (s >= mr->r[i].start && e <= mr->r[i].end)
			return true;
	return false;
}

/* Check every row "N   0xMEM  0xEND ..." of the printed tables against the host's iomem. */
static void check_tables(const char *out, const uint8_t *data, size_t size)
{
	static struct iomem_map iomem;
	static struct mem_ranges ram;
	struct fuzz_section s[] = { { .name = "iomem" } };
	enum { ORDINARY, MULTIKERNEL, CRASH } kind = ORDINARY;
	uint64_t area_start = 0, area_end = 0;
	unsigned int bad_line;
	char *text;

	fuzz_split(data, size, s, 1);
	text = fuzz_strdup(&s[0]);
	if (iomem_parse(text, &iomem, &bad_line)) {
		free(text);
		return;		/* then the program refused before planning */
	}
	free(text);
	ram = iomem.top;
	mem_ranges_keep_type(&ram, MEM_RAM);
	mem_ranges_normalize(&ram);
	for (const char *line = out; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		uint64_t mem, end;
		size_t idx;

		if (sscanf(line, "multikernel reservation [0x%" SCNx64 ", 0x%" SCNx64 ")", &area_start,
			   &area_end) == 2)
			kind = MULTIKERNEL;
		else if (sscanf(line, "crash kernel region [0x%" SCNx64 ", 0x%" SCNx64 ")", &area_start,
				&area_end) == 2)
			kind = CRASH;
		if (sscanf(line, "%zu 0x%" SCNx64 " 0x%" SCNx64, &idx, &mem, &end) != 3)
			continue;
		FUZZ_ASSERT(end > mem, "segment %zu [%#" PRIx64 ", %#" PRIx64 ") is empty", idx, mem, end);
		switch (kind) {
		case ORDINARY:
			FUZZ_ASSERT(mem >= (1ull << 20) && in_any(&ram, mem, end),
				    "segment %zu [%#" PRIx64 ", %#" PRIx64 ") of an ordinary load is "
				    "below 1 MiB or not System RAM", idx, mem, end);
			for (size_t c = 0; c < iomem.crash.nr; c++)
				FUZZ_ASSERT(end <= iomem.crash.r[c].start || mem >= iomem.crash.r[c].end,
					    "segment %zu [%#" PRIx64 ", %#" PRIx64 ") of an ordinary load "
					    "is in a crash kernel area", idx, mem, end);
			break;
		case MULTIKERNEL:
			FUZZ_ASSERT(mem >= area_start && end <= area_end,
				    "segment %zu is outside the reservation it printed", idx);
			for (size_t r = 0; r < ram.nr; r++)
				FUZZ_ASSERT(end <= ram.r[r].start || mem >= ram.r[r].end,
					    "segment %zu [%#" PRIx64 ", %#" PRIx64 ") of a multikernel load "
					    "is host System RAM", idx, mem, end);
			break;
		case CRASH:
			FUZZ_ASSERT(mem >= area_start && end <= area_end && in_any(&iomem.crash, mem, end),
				    "segment %zu [%#" PRIx64 ", %#" PRIx64 ") of a crash load is not in "
				    "a crash kernel area", idx, mem, end);
			break;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char initrd_arg[4300];
	struct fuzz_section s[] = { { .name = "args" }, { .name = "kernel" }, { .name = "initrd" } };
	char *argv[MAX_ARGS + 1], *args, *msg = NULL, *out = NULL;
	size_t msg_size = 0, out_size = 0;
	FILE *saved_stderr = stderr, *saved_stdout = stdout, *errors, *output;
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

	/* glibc's stdout and stderr are assignable: catch the tables and the error line. */
	errors = open_memstream(&msg, &msg_size);
	output = open_memstream(&out, &out_size);
	if (!errors || !output)
		abort();
	stderr = errors;
	stdout = output;
	rc = kexec_main(argc, argv);
	stderr = saved_stderr;
	stdout = saved_stdout;
	fclose(errors);		/* main closed its stdout, the memory stream `output`, itself */
	check_tables(out, data, size);

	if (getenv("FUZZ_VERBOSE"))	/* what each input did, when replaying a corpus by hand */
		fprintf(stderr, "kexec exited %d: %s", rc, msg_size ? msg : "\n");
	FUZZ_ASSERT(rc >= 0 && rc <= KX_ESERIAL && rc != 23, "exit status %d is not documented", rc);
	if (rc >= 2) {
		FUZZ_ASSERT(strncmp(msg, "kexec: ", 7) == 0 && msg_size > 8 && msg[7] != '\n',
			    "exit status %d without a reason: \"%s\"", rc, msg);
	}
	free(msg);
	free(out);
	free(args);
	return 0;
}
