/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mk-instance.c: the record's strict parser (good, bad, truncated, stale
 * records), atomic replacement, the queries the refusals use, and two
 * processes taking the directory lock at once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "mk-instance.h"
#include "unit-helpers.h"

#define BOOT "6f0c1e2d-0000-4000-8000-000000000001"
#define SHA "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static const char good[] =
	"version 1\n"
	"cpu 1\n"
	"state running\n"
	"boot_id " BOOT "\n"
	"started 1764547200\n"
	"image /boot/bzImage\n"
	"sha256 " SHA "\n"
	"cmdline console=ttyS1,115200 acpi=off mktag=A\n"
	"status 0x2ffff000\n"
	"serial 0x2f8\n"
	"range main 0x20000000 0x30000000\n"
	"range low 0x20000 0x50000\n"
	"segment 0x20000000 0x22e00000\n"
	"segment 0x2ffff000 0x30000000\n"
	"end\n";

static void parses_a_good_record(void **state)
{
	struct mk_instance *in = calloc(1, sizeof(*in));
	char why[160], *again = malloc(MK_RECORD_MAX);

	(void)state;
	assert_int_equal(mk_instance_parse(good, strlen(good), in, why, sizeof(why)), 0);
	assert_int_equal(in->cpu, 1);
	assert_int_equal(in->state, MK_RUNNING);
	assert_string_equal(in->boot_id, BOOT);
	assert_int_equal(in->started, 1764547200);
	assert_string_equal(in->image, "/boot/bzImage");
	assert_string_equal(in->cmdline, "console=ttyS1,115200 acpi=off mktag=A");
	assert_int_equal(in->status_addr, 0x2ffff000);
	assert_int_equal(in->serial_port, 0x2f8);
	assert_int_equal(in->nr_ranges, 2);
	assert_string_equal(in->ranges[1].name, "low");
	assert_int_equal(in->ranges[1].start, 0x20000);
	assert_int_equal(in->ranges[1].end, 0x50000);
	assert_int_equal(in->nr_segments, 2);
	/* format(parse(x)) == x: the writer and the reader agree byte for byte. */
	assert_int_equal(mk_instance_format(in, again, MK_RECORD_MAX), 0);
	assert_string_equal(again, good);
	free(again);
	free(in);
}

/*
 * A record written before kexec kept the serial port has no serial line:
 * it is read with port 0 (the start then uses its own --serial) and
 * written back as it was.
 */
static void parses_a_record_without_serial(void **state)
{
	struct mk_instance *in = calloc(1, sizeof(*in));
	char text[2048], why[160], *again = malloc(MK_RECORD_MAX);
	const char *at = strstr(good, "serial 0x2f8\n");
	size_t len = (size_t)(at - good);

	(void)state;
	memcpy(text, good, len);
	strcpy(text + len, at + strlen("serial 0x2f8\n"));
	assert_int_equal(mk_instance_parse(text, strlen(text), in, why, sizeof(why)), 0);
	assert_int_equal(in->serial_port, 0);
	assert_int_equal(in->nr_ranges, 2);
	assert_int_equal(mk_instance_format(in, again, MK_RECORD_MAX), 0);
	assert_string_equal(again, text);
	free(again);
	free(in);
}

struct bad_row {
	const char *name;
	const char *from, *to;	/* replace the first 'from' in good with 'to' */
	const char *why;	/* expected in the reason */
};

static const struct bad_row bad_rows[] = {
	{ "truncated-mid-line", "end\n", "en", "line 15: truncated" },
	{ "truncated-no-end", "end\n", "", "line 15: truncated: expected end" },
	{ "truncated-after-cpu", "state running\n", "", "line 3: expected state" },
	{ "empty", NULL, NULL, "line 1: truncated: expected version" },
	{ "version-2", "version 1", "version 2", "unknown record version 2" },
	{ "unknown-state", "state running", "state runing", "unknown state runing" },
	{ "cpu-not-a-number", "cpu 1\n", "cpu one\n", "bad cpu one" },
	{ "cpu-negative", "cpu 1\n", "cpu -1\n", "bad cpu -1" },
	{ "loaded-with-cpu", "state running", "state loaded", "state and cpu disagree" },
	{ "started-garbage", "started 1764547200", "started 17x", "bad number for started" },
	{ "sha256-short", SHA, "0123", "bad sha256" },
	{ "sha256-upper", SHA, "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
	  "bad sha256" },
	{ "range-reversed", "range main 0x20000000 0x30000000", "range main 0x30000000 0x20000000",
	  "bad addresses" },
	{ "range-unaligned", "range low 0x20000 0x50000", "range low 0x20000 0x50001",
	  "bad addresses" },
	{ "range-missing-end", "range low 0x20000 0x50000", "range low 0x20000", "bad range" },
	{ "no-range", "range main 0x20000000 0x30000000\nrange low 0x20000 0x50000\n", "",
	  "line 11: expected range" },
	{ "unknown-key", "serial 0x2f8\n", "serial 0x2f8\ncolour blue\n",
	  "line 11: expected range" },
	{ "serial-zero", "serial 0x2f8", "serial 0", "bad number for serial" },
	{ "serial-not-a-port", "serial 0x2f8", "serial 0x10000", "bad number for serial" },
	{ "serial-twice", "serial 0x2f8\n", "serial 0x2f8\nserial 0x3f8\n",
	  "line 11: expected range" },
	{ "keys-out-of-order", "image /boot/bzImage\nsha256 " SHA "\n",
	  "sha256 " SHA "\nimage /boot/bzImage\n", "line 6: expected image" },
	{ "text-after-end", "end\n", "end\nend\n", "text after end" },
	{ "crlf", "cpu 1\n", "cpu 1\r\n", "bad cpu" },
	{ "nul-byte", "image /boot/bzImage", "image /boot/bz\\0", "NUL byte" },
	{ "cpus-one", "cpu 1\n", "cpu 1\ncpus 1\n", "cpus needs 2 to 32 CPUs" },
	{ "cpus-not-from-cpu", "cpu 1\n", "cpu 1\ncpus 2-3\n", "does not start with the cpu" },
	{ "cpus-garbage", "cpu 1\n", "cpu 1\ncpus 1-x\n", "bad cpus 1-x" },
	{ "cpus-empty", "cpu 1\n", "cpu 1\ncpus \n", "bad cpus" },
	{ "cpus-space", "cpu 1\n", "cpu 1\ncpus 1, 2\n", "bad cpus" },
	{ "cpus-too-many", "cpu 1\n", "cpu 1\ncpus 1-40\n", "cpus needs 2 to 32 CPUs" },
	{ "cpus-after-state", "state running\n", "state running\ncpus 1-2\n", "expected boot_id" },
};

static void refuses_a_bad_record(void **state)
{
	const struct bad_row *row = *state;
	struct mk_instance *in = calloc(1, sizeof(*in));
	char text[2048] = "", why[160] = "";
	size_t len = 0;

	if (row->from) {
		const char *at = strstr(good, row->from);

		assert_non_null(at);
		len = (size_t)(at - good);
		memcpy(text, good, len);
		/* "\\0" in a row stands for a NUL byte. */
		for (const char *t = row->to; *t; t++)
			text[len++] = (t[0] == '\\' && t[1] == '0') ? (t++, '\0') : *t;
		strcpy(text + len, at + strlen(row->from));
		len += strlen(at + strlen(row->from));
	}
	assert_int_equal(mk_instance_parse(text, len, in, why, sizeof(why)), -1);
	unit_assert_contains(why, row->why);
	free(in);
}

static struct mk_instance *instance(int cpu, enum mk_state st, uint64_t start, uint64_t end)
{
	struct mk_instance *in = calloc(1, sizeof(*in));

	in->cpu = cpu;
	in->state = st;
	snprintf(in->boot_id, sizeof(in->boot_id), "%s", BOOT);
	in->started = cpu < 0 ? 0 : 1764547200;
	snprintf(in->image, sizeof(in->image), "/boot/bzImage");
	snprintf(in->sha256, sizeof(in->sha256), "%s", SHA);
	snprintf(in->cmdline, sizeof(in->cmdline), "quiet");
	in->status_addr = end - 0x1000;
	in->nr_ranges = 1;
	in->ranges[0] = (struct mk_named_range){ "main", start, end };
	return in;
}

static int setup(void **state)
{
	*state = unit_sysroot_new();
	return 0;
}

static int teardown(void **state)
{
	unit_sysroot_remove(*state);
	return 0;
}

/* Put, reread in a new registry: the same facts, and nothing left behind but the file. */
static void put_then_reopen(void **state)
{
	const char *root = *state;
	struct mk_instance *a = instance(1, MK_RUNNING, 0x20000000, 0x30000000);
	struct mk_registry reg;
	struct kx_error err = { 0 };
	char text[4096];

	assert_int_equal(mk_registry_open(root, BOOT, true, &reg, &err), 0);
	assert_int_equal(reg.nr, 0);
	assert_int_equal(mk_registry_put(&reg, a, &err), 0);
	mk_registry_close(&reg);

	unit_sysroot_read(root, "run/kexec-mk/cpu1", text, sizeof(text));
	unit_assert_contains(text, "state running\n");
	assert_int_equal(access(strcat(strcpy(text, root), "/run/kexec-mk/.cpu1.tmp"), F_OK), -1);

	assert_int_equal(mk_registry_open(root, BOOT, false, &reg, &err), 0);
	assert_int_equal(reg.nr, 1);
	assert_string_equal(reg.inst[0].file, "cpu1");
	assert_false(reg.inst[0].stale);
	assert_non_null(mk_registry_cpu_holder(&reg, 1));
	assert_null(mk_registry_cpu_holder(&reg, 2));
	mk_registry_close(&reg);
	free(a);
}

/*
 * An instance of several CPUs: its cpus line read and written back byte
 * for byte, each CPU held by it, and forgetting it frees them all.  A
 * loaded image keeps the CPUs its MADT lists and holds none of them.
 */
static void several_cpus(void **state)
{
	const char *root = *state;
	static const char two[] = "version 1\ncpu 1\ncpus 1-2,5\nstate running\n";
	struct mk_instance *a = instance(1, MK_RUNNING, 0x20000000, 0x30000000);
	struct mk_instance *l = instance(-1, MK_LOADED, 0x30000000, 0x40000000);
	char text[4096], why[160], list[64];
	struct mk_registry reg;
	struct kx_error err = { 0 };

	a->nr_cpus = 3;
	a->cpus[0] = 1;
	a->cpus[1] = 2;
	a->cpus[2] = 5;
	l->nr_cpus = 2;
	l->cpus[0] = 6;
	l->cpus[1] = 7;
	assert_int_equal(mk_instance_format(a, text, sizeof(text)), 0);
	assert_memory_equal(text, two, strlen(two));
	assert_int_equal(mk_instance_parse(text, strlen(text), a, why, sizeof(why)), 0);
	assert_int_equal(a->nr_cpus, 3);
	assert_int_equal(a->cpus[2], 5);
	mk_instance_cpu_list(a, list, sizeof(list));
	assert_string_equal(list, "1-2,5");
	mk_instance_describe(a, text, sizeof(text));
	unit_assert_contains(text, "the instance on CPUs 1-2,5 (running");
	/* The start message's words: every CPU, the kick's first named as such. */
	mk_instance_cpu_words(a, text, sizeof(text));
	assert_string_equal(text, "CPUs 1-2,5");
	mk_instance_kicked_words(a, text, sizeof(text));
	assert_string_equal(text, "CPU 1 (the first of CPUs 1-2,5)");
	/* One CPU: the words every existing line and test reads, byte for byte. */
	a->nr_cpus = 0;
	mk_instance_cpu_words(a, text, sizeof(text));
	assert_string_equal(text, "CPU 1");
	mk_instance_kicked_words(a, text, sizeof(text));
	assert_string_equal(text, "CPU 1");
	a->nr_cpus = 3;
	assert_int_equal(mk_registry_open(root, BOOT, true, &reg, &err), 0);
	assert_int_equal(mk_registry_put(&reg, a, &err), 0);
	assert_int_equal(mk_registry_put(&reg, l, &err), 0);
	mk_registry_close(&reg);
	assert_int_equal(mk_registry_open(root, BOOT, true, &reg, &err), 0);
	assert_int_equal(reg.nr, 2);
	assert_ptr_equal(mk_registry_cpu_holder(&reg, 1), mk_registry_cpu_holder(&reg, 2));
	assert_ptr_equal(mk_registry_cpu_holder(&reg, 5), mk_registry_cpu_holder(&reg, 1));
	assert_non_null(mk_registry_cpu_holder(&reg, 5));
	assert_null(mk_registry_cpu_holder(&reg, 3));
	assert_null(mk_registry_cpu_holder(&reg, 6));	/* loaded, not started: held by none */
	assert_true(mk_instance_has_cpu(mk_registry_find(&reg, "loaded"), 7));
	assert_int_equal(mk_registry_remove(&reg, "cpu1", &err), 0);
	assert_null(mk_registry_cpu_holder(&reg, 2));
	assert_null(mk_registry_cpu_holder(&reg, 5));
	mk_registry_close(&reg);
	free(a);
	free(l);
}

/* Queries behind the refusals: who holds a CPU, who owns a range, what is held. */
static void holders_and_overlaps(void **state)
{
	const char *root = *state;
	struct mk_instance *a = instance(1, MK_RUNNING, 0x20000000, 0x30000000);
	struct mk_instance *f = instance(2, MK_FAILED, 0x30000000, 0x40000000);
	struct mk_instance *s = instance(3, MK_SILENT, 0x40000000, 0x48000000);
	const struct mk_named_range *r = NULL;
	struct mem_ranges *held = calloc(1, sizeof(*held));
	struct mk_registry reg;
	struct kx_error err = { 0 };

	assert_int_equal(mk_registry_open(root, BOOT, true, &reg, &err), 0);
	assert_int_equal(mk_registry_put(&reg, a, &err), 0);
	assert_int_equal(mk_registry_put(&reg, f, &err), 0);
	assert_int_equal(mk_registry_put(&reg, s, &err), 0);
	/* A failed start halted in purgatory: it holds nothing.  A silent one might run. */
	assert_null(mk_registry_cpu_holder(&reg, 2));
	assert_non_null(mk_registry_cpu_holder(&reg, 3));
	assert_ptr_equal(mk_registry_overlap(&reg, 0x2ffff000, 0x30001000, &r)->cpu, 1);
	assert_int_equal(r->start, 0x20000000);
	assert_null(mk_registry_overlap(&reg, 0x30000000, 0x40000000, &r));
	assert_int_equal(mk_registry_overlap(&reg, 0x47fff000, 0x50000000, &r)->cpu, 3);
	mk_registry_held(&reg, held);
	assert_int_equal(held->nr, 2);
	assert_int_equal(held->r[0].end, 0x30000000);
	assert_int_equal(held->r[1].start, 0x40000000);
	/* Forgetting frees the CPU. */
	assert_int_equal(mk_registry_remove(&reg, "cpu3", &err), 0);
	assert_null(mk_registry_cpu_holder(&reg, 3));
	mk_registry_close(&reg);
	free(held);
	free(a);
	free(f);
	free(s);
}

/* A record from an earlier boot holds nothing; a damaged one is listed, not believed. */
static void stale_and_damaged_files(void **state)
{
	const char *root = *state;
	struct mk_registry reg;
	struct kx_error err = { 0 };
	char other_boot[sizeof(good)];

	strcpy(other_boot, good);
	memcpy(strstr(other_boot, BOOT), "ffffffff", 8);
	unit_sysroot_write(root, "run/kexec-mk/cpu1", other_boot);
	unit_sysroot_write(root, "run/kexec-mk/cpu2", "version 1\ncpu 2\nstate runn");
	unit_sysroot_write(root, "run/kexec-mk/cpu3", good);	/* says cpu 1 */
	unit_sysroot_write(root, "run/kexec-mk/.cpu4.tmp", "half a rec");
	unit_sysroot_write(root, "run/kexec-mk/README", "not a record");

	assert_int_equal(mk_registry_open(root, BOOT, false, &reg, &err), 0);
	assert_int_equal(reg.nr, 1);
	assert_true(reg.inst[0].stale);
	assert_null(mk_registry_cpu_holder(&reg, 1));
	assert_int_equal(reg.nr_damaged, 2);
	for (size_t i = 0; i < reg.nr_damaged; i++) {
		if (strcmp(reg.damaged[i].file, "cpu2") == 0) {
			unit_assert_contains(reg.damaged[i].why, "line 3: truncated");
		} else {
			assert_string_equal(reg.damaged[i].file, "cpu3");
			unit_assert_contains(reg.damaged[i].why, "its cpu line says cpu1");
		}
	}
	mk_registry_close(&reg);

	/* Without a boot id to compare (no /proc/sys), nothing is called stale. */
	assert_int_equal(mk_registry_open(root, "", false, &reg, &err), 0);
	assert_false(reg.inst[0].stale);
	mk_registry_close(&reg);
}

static void missing_directory_is_no_instances(void **state)
{
	struct mk_registry reg;
	struct kx_error err = { 0 };

	assert_int_equal(mk_registry_open(*state, BOOT, false, &reg, &err), 0);
	assert_int_equal(reg.nr, 0);
	assert_int_equal(reg.dir_fd, -1);
	mk_registry_close(&reg);
}

/*
 * Two kexec processes at once: while one holds the records (it may be
 * placing a kernel), the other waits, and then sees what the first wrote
 * - so the second never places a kernel on the first one's memory.
 */
static void second_process_waits_for_the_first(void **state)
{
	const char *root = *state;
	struct mk_registry reg;
	struct kx_error err = { 0 };
	int go[2], status;
	pid_t child;
	char c;

	assert_int_equal(pipe(go), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		struct mk_instance *a = instance(1, MK_STARTING, 0x20000000, 0x30000000);

		if (mk_registry_open(root, BOOT, true, &reg, &err))
			_exit(2);
		if (write(go[1], "x", 1) != 1)
			_exit(3);
		usleep(300 * 1000);	/* long enough for the parent to be waiting */
		a->state = MK_RUNNING;
		if (mk_registry_put(&reg, a, &err))
			_exit(4);
		mk_registry_close(&reg);
		_exit(0);
	}
	close(go[1]);
	assert_int_equal(read(go[0], &c, 1), 1);	/* the child holds the lock now */
	assert_int_equal(mk_registry_open(root, BOOT, true, &reg, &err), 0);
	assert_int_equal(reg.nr, 1);
	assert_int_equal(reg.inst[0].state, MK_RUNNING);
	assert_non_null(mk_registry_cpu_holder(&reg, 1));
	mk_registry_close(&reg);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(go[0]);
}

int main(void)
{
	struct CMUnitTest tests[64];
	size_t n = 0;

	tests[n++] = (struct CMUnitTest)cmocka_unit_test(parses_a_good_record);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(parses_a_record_without_serial);
	ROWS(bad_rows, refuses_a_bad_record);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test_setup_teardown(put_then_reopen, setup,
									teardown);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test_setup_teardown(several_cpus, setup,
									 teardown);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test_setup_teardown(holders_and_overlaps, setup,
									teardown);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test_setup_teardown(stale_and_damaged_files,
									setup, teardown);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test_setup_teardown(
		missing_directory_is_no_instances, setup, teardown);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test_setup_teardown(
		second_process_waits_for_the_first, setup, teardown);
	return _cmocka_run_group_tests("mk-instance", tests, n, NULL, NULL);
}
