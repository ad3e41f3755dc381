/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The multikernel plan's executor (multikernel-exec.c) when the kick fails
 * (reboot(LINUX_REBOOT_CMD_MULTIKERNEL) says EBUSY: the kexec lock was
 * busy, or the CPU came online again): the claim written before the kick
 * (cpuN) goes, and nothing else does.  For 'kexec -e' the image is still
 * in the kernel's list, so its "loaded" record stays and a second -e may
 * try again; for -f the load of the same plan goes too, from the kernel
 * and the records.
 *
 * And when the kick is taken: the line that says so names every CPU of
 * the instance, not its first alone.
 *
 * The load, the kick, the unload and the wait for purgatory's status
 * record are replaced at link time (ld --wrap, see tests/unit/Makefile.frag):
 * this program never reboots, loads or unloads anything on the machine
 * that runs it, nor reads /dev/mem.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "host-facts.h"
#include "kexec-syscall.h"
#include "mk-instance.h"
#include "multikernel-abi.h"
#include "multikernel-exec.h"
#include "multikernel-spawn.h"
#include "multikernel-status.h"
#include "options.h"
#include "unit-helpers.h"

#define BOOT "6f0c1e2d-0000-4000-8000-000000000001"
#define SHA "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* What the replaced system calls saw; what the kick and the status record say. */
static int loads, kicks, unloads;
static unsigned long unload_flags;
static bool kick_taken;
static uint32_t status_stage;

int __wrap_kx_sys_kexec_load(const struct kx_plan *plan, enum kx_call call, struct kx_error *err);
int __wrap_kx_sys_reboot_multikernel(int cpu, struct kx_error *err);
int __wrap_kx_sys_kexec_unload(unsigned long flags, enum kx_call call, struct kx_error *err);
int __wrap_mk_status_wait(const char *dev_mem, uint64_t addr, double t0, unsigned int stall_ms,
			  unsigned int cap_ms, struct purgatory_status *out, double *elapsed,
			  struct kx_error *err);

/* The kernel takes the load into its multikernel list. */
int __wrap_kx_sys_kexec_load(const struct kx_plan *plan, enum kx_call call, struct kx_error *err)
{
	(void)plan, (void)call, (void)err;
	loads++;
	return 0;
}

/* The kernel refuses the start before it touches the CPU, unless a test lets it take it. */
int __wrap_kx_sys_reboot_multikernel(int cpu, struct kx_error *err)
{
	kicks++;
	if (kick_taken)
		return 0;
	return kx_explain_failure(KX_CALL_START_MULTIKERNEL, -1, EBUSY, cpu, err);
}

/* Purgatory's record, as the test sets it, read at once. */
int __wrap_mk_status_wait(const char *dev_mem, uint64_t addr, double t0, unsigned int stall_ms,
			  unsigned int cap_ms, struct purgatory_status *out, double *elapsed,
			  struct kx_error *err)
{
	(void)dev_mem, (void)addr, (void)t0, (void)stall_ms, (void)cap_ms, (void)err;
	memset(out, 0, sizeof(*out));
	out->magic = PURGATORY_STATUS_MAGIC;
	out->stage = status_stage;
	out->bad_addr = 0x20001000;
	*elapsed = 0.25;
	return 0;
}

int __wrap_kx_sys_kexec_unload(unsigned long flags, enum kx_call call, struct kx_error *err)
{
	(void)call, (void)err;
	unloads++;
	unload_flags = flags;
	return 0;
}

struct fixture {
	char *root;
	struct host_facts hf;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct kx_error err = { 0 };

	f->root = unit_sysroot_new();
	unit_sysroot_write(f->root, "sys/devices/system/cpu/present", "0-3\n");
	unit_sysroot_write(f->root, "sys/devices/system/cpu/online", "0,2-3\n");
	unit_sysroot_write(f->root, "proc/sys/kernel/random/boot_id", BOOT "\n");
	unit_sysroot_write(f->root, "sys/kernel/kexec_loaded", "0\n");	/* nothing loaded before */
	if (host_facts_read(f->root, &f->hf, &err))
		fail_msg("host_facts_read: %s", err.msg);
	loads = kicks = unloads = 0;
	unload_flags = 0;
	kick_taken = false;
	status_stage = PURGATORY_STAGE_NONE;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	unit_sysroot_remove(f->root);
	free(f);
	return 0;
}

static void parse(struct kexec_options *o, const char *action)
{
	char *argv[] = { "kexec", (char *)action, "--multikernel", "--cpu=1", "/boot/bzImage",
			 NULL };
	int argc = strcmp(action, "-e") == 0 ? 4 : 5;
	struct kx_error err = { 0 };

	optind = 0;
	if (options_parse(argc, argv, o, &err))
		fail_msg("options_parse: %s", err.msg);
}

/* The record a load writes: no CPU yet, its memory, its status page. */
static void loaded_record(struct mk_instance *in)
{
	memset(in, 0, sizeof(*in));
	in->cpu = -1;
	in->state = MK_LOADED;
	snprintf(in->boot_id, sizeof(in->boot_id), "%s", BOOT);
	snprintf(in->image, sizeof(in->image), "/boot/bzImage");
	snprintf(in->sha256, sizeof(in->sha256), "%s", SHA);
	snprintf(in->cmdline, sizeof(in->cmdline), "console=ttyS1,115200 acpi=off");
	in->status_addr = 0x2ffff000;
	in->nr_ranges = 1;
	in->ranges[0] = (struct mk_named_range){ "main", 0x20000000, 0x30000000 };
	in->nr_segments = 1;
	in->segments[0] = (struct mem_range){ .start = 0x20000000, .end = 0x22e00000 };
}

static bool record_exists(const char *root, const char *file)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/run/kexec-mk/%s", root, file);
	return access(path, F_OK) == 0;
}

/* kexec -e, planned and carried out. */
static int plan_and_start(const struct kexec_options *o, struct fixture *f,
			  struct mk_registry *reg, struct kx_error *err)
{
	struct mk_plan *p = calloc(1, sizeof(*p));
	int ret;

	assert_non_null(p);
	ret = mk_abi_rfc_v1.plan(o, &f->hf, reg, p, err);
	if (ret == 0)
		ret = mk_abi_rfc_v1.execute(p, o, &f->hf, reg, err);
	mk_abi_rfc_v1.plan_free(p);
	free(p);
	return ret;
}

/* kexec -e: the claim goes, the load stays, and -e may be tried again. */
static void failed_kick_of_exec_keeps_the_load(void **state)
{
	struct fixture *f = *state;
	struct kexec_options o;
	struct mk_registry reg;
	struct mk_instance in;
	struct kx_error err = { 0 };

	parse(&o, "-e");
	assert_int_equal(mk_registry_open(f->root, BOOT, true, &reg, &err), 0);
	loaded_record(&in);
	assert_int_equal(mk_registry_put(&reg, &in, &err), 0);
	assert_int_equal(plan_and_start(&o, f, &reg, &err), -1);
	assert_int_equal(kicks, 1);
	assert_int_equal(err.sys_errno, EBUSY);
	assert_int_equal(err.status, KX_ECPU);
	assert_int_equal(unloads, 0);	/* the image stays in the kernel's list */
	/* In memory and on disk: no instance holds CPU 1, the load is still recorded. */
	assert_null(mk_registry_cpu_holder(&reg, 1));
	assert_non_null(mk_registry_find(&reg, MK_INSTANCE_LOADED));
	mk_registry_close(&reg);
	assert_false(record_exists(f->root, "cpu1"));
	assert_true(record_exists(f->root, MK_INSTANCE_LOADED));

	/* A second -e is not refused (cpu-free, image-recorded): it reaches the kick. */
	assert_int_equal(mk_registry_open(f->root, BOOT, true, &reg, &err), 0);
	assert_int_equal(reg.nr, 1);
	assert_int_equal(plan_and_start(&o, f, &reg, &err), -1);
	assert_int_equal(kicks, 2);
	mk_registry_close(&reg);
	assert_false(record_exists(f->root, "cpu1"));
	assert_true(record_exists(f->root, MK_INSTANCE_LOADED));
}

/*
 * kexec -f: the load of this same plan goes too, from the kernel and the
 * records.  The plan is made by hand (its load part would read an image):
 * the executor is given the same value RFC v1's plan (multikernel-abi-v1.c)
 * makes.
 */
static void failed_kick_of_force_undoes_the_load(void **state)
{
	struct fixture *f = *state;
	struct mk_plan *p = calloc(1, sizeof(*p));
	struct kexec_options o;
	struct mk_registry reg;
	struct kx_error err = { 0 };

	assert_non_null(p);
	parse(&o, "-f");
	p->load = p->start = true;
	p->cpu = 1;
	loaded_record(&p->l.rec);
	p->s.rec = p->l.rec;
	p->s.recorded = true;
	p->s.start_wait_ms = 2000;
	assert_int_equal(mk_registry_open(f->root, BOOT, true, &reg, &err), 0);
	assert_int_equal(mk_plan_execute(p, &o, &f->hf, &reg, &err), -1);
	assert_int_equal(loads, 1);
	assert_int_equal(kicks, 1);
	assert_int_equal(err.sys_errno, EBUSY);
	assert_int_equal(unloads, 1);
	assert_int_equal(unload_flags, KEXEC_MULTIKERNEL);
	assert_int_equal(reg.nr, 0);
	mk_registry_close(&reg);
	assert_false(record_exists(f->root, "cpu1"));
	assert_false(record_exists(f->root, MK_INSTANCE_LOADED));
	free(p);
}

/*
 * A kernel without /proc/multikernel that took the load as an ordinary
 * image (kexec_loaded went 0 -> 1, no multikernel_kexec in kallsyms): the
 * executor unloads it as an ordinary image, writes no record, never kicks.
 */
static void load_taken_as_ordinary_is_undone(void **state)
{
	struct fixture *f = *state;
	struct mk_plan *p = calloc(1, sizeof(*p));
	struct kexec_options o;
	struct mk_registry reg;
	struct kx_error err = { 0 };

	assert_non_null(p);
	parse(&o, "-f");
	unit_sysroot_write(f->root, "sys/kernel/kexec_loaded", "1\n");
	p->load = p->start = true;
	p->cpu = 1;
	loaded_record(&p->l.rec);
	p->s.rec = p->l.rec;
	p->s.recorded = true;
	assert_int_equal(mk_registry_open(f->root, BOOT, true, &reg, &err), 0);
	assert_int_equal(mk_plan_execute(p, &o, &f->hf, &reg, &err), -1);
	assert_int_equal(err.status, KX_ENOSUPPORT);
	assert_int_equal(loads, 1);
	assert_int_equal(kicks, 0);
	assert_int_equal(unloads, 1);
	assert_int_equal(unload_flags, 0);
	assert_int_equal(reg.nr, 0);
	mk_registry_close(&reg);
	assert_false(record_exists(f->root, MK_INSTANCE_LOADED));
	free(p);
}

/*
 * The seed's ABI (RFC 1/7 + 2/7: the image sits in the ordinary slot) and
 * a load alone (-l): 'kexec -e' or a kexec reboot would crash the host, so
 * the executor unloads it again (as a multikernel image) and writes no
 * record.
 */
static void seed_load_alone_is_undone(void **state)
{
	struct fixture *f = *state;
	struct mk_plan *p = calloc(1, sizeof(*p));
	struct kexec_options o;
	struct mk_registry reg;
	struct kx_error err = { 0 };

	assert_non_null(p);
	parse(&o, "-l");
	unit_sysroot_write(f->root, "sys/kernel/kexec_loaded", "1\n");
	p->load = true;
	p->cpu = -1;
	p->l.unlisted = p->l.seed = true;
	loaded_record(&p->l.rec);
	assert_int_equal(mk_registry_open(f->root, BOOT, true, &reg, &err), 0);
	assert_int_equal(mk_plan_execute(p, &o, &f->hf, &reg, &err), -1);
	assert_int_equal(err.status, KX_ENOSUPPORT);
	assert_int_equal(loads, 1);
	assert_int_equal(unloads, 1);
	assert_int_equal(unload_flags, KEXEC_MULTIKERNEL);
	assert_int_equal(reg.nr, 0);
	mk_registry_close(&reg);
	assert_false(record_exists(f->root, MK_INSTANCE_LOADED));
	free(p);
}

/*
 * A refused plan takes nothing from the host: 'kexec -e --offline-cpu' of
 * an online CPU with no record to start is refused (image-recorded) before
 * the CPU is offlined, claimed or kicked.
 */
static void refused_start_takes_nothing(void **state)
{
	struct fixture *f = *state;
	char *argv[] = { "kexec", "-e", "--multikernel", "--cpu=2", "--offline-cpu", NULL };
	struct kexec_options o;
	struct mk_registry reg;
	struct kx_error err = { 0 };
	char online[8] = "";
	char path[4096];
	FILE *fp;

	optind = 0;
	assert_int_equal(options_parse(5, argv, &o, &err), 0);
	unit_sysroot_write(f->root, "sys/devices/system/cpu/cpu2/online", "1\n");
	assert_int_equal(mk_registry_open(f->root, BOOT, true, &reg, &err), 0);
	assert_int_equal(mk_plan_run(&mk_abi_rfc_v1, &o, &f->hf, &reg, &err), -1);
	assert_non_null(strstr(err.msg, "multikernel rule 'image-recorded' failed"));
	assert_int_equal(kicks, 0);
	assert_int_equal(reg.nr, 0);
	mk_registry_close(&reg);
	assert_false(record_exists(f->root, "cpu2"));
	snprintf(path, sizeof(path), "%s/sys/devices/system/cpu/cpu2/online", f->root);
	fp = fopen(path, "r");
	assert_non_null(fp);
	assert_non_null(fgets(online, sizeof(online), fp));
	fclose(fp);
	assert_string_equal(online, "1\n");	/* still online */
}

/* One start of a loaded image on cpus ("1", "1-2"): what it printed and its error. */
struct start_row {
	const char *name;
	const char *cpus;
	unsigned int start_wait_ms;
	uint32_t stage;
	const char *want;		/* in stdout, or in the error when the start fails */
	int status;			/* the error's exit status; 0: the start succeeds */
};

static const struct start_row start_rows[] = {
	/* One CPU: the words the QEMU tests grep for, byte for byte. */
	{ "started_one_cpu", "1", 2000, PURGATORY_STAGE_JUMPED,
	  "multikernel: started on CPU 1 (purgatory jumped to the kernel 0.250 s after the "
	  "kick)\n", 0 },
	{ "started_names_every_cpu", "1-2", 2000, PURGATORY_STAGE_JUMPED,
	  "multikernel: started on CPUs 1-2 (purgatory jumped to the kernel 0.250 s after the "
	  "kick)\n", 0 },
	{ "started_names_a_gap", "1,3", 2000, PURGATORY_STAGE_JUMPED,
	  "multikernel: started on CPUs 1,3 (purgatory", 0 },
	{ "kicked_one_cpu", "1", 0, PURGATORY_STAGE_NONE,
	  "multikernel: kicked CPU 1; not waiting for a sign of life (--start-wait=0)\n", 0 },
	{ "kicked_names_every_cpu", "1-2", 0, PURGATORY_STAGE_NONE,
	  "multikernel: kicked CPU 1 (the first of CPUs 1-2); not waiting", 0 },
	{ "mismatch_names_every_cpu", "1-2", 2000, PURGATORY_STAGE_MISMATCH,
	  "so purgatory halted CPU 1 (the first of CPUs 1-2) before the kernel ran", KX_EDIGEST },
	{ "silence_names_every_cpu", "1-2", 2000, PURGATORY_STAGE_ARRIVED,
	  "no sign of life from CPU 1 (the first of CPUs 1-2) for 2 s", KX_ENOLIFE },
};

static void start_names_its_cpus(void **state)
{
	const struct start_row *row = *state;
	struct fixture *f;
	struct mk_plan *p = calloc(1, sizeof(*p));
	struct kexec_options o;
	struct mk_registry reg;
	struct kx_error err = { 0 };
	struct cpu_set set;
	char out[4096] = "", tmpl[] = "/tmp/test-mk-start.XXXXXX";
	int fd = mkstemp(tmpl), saved, ret;
	ssize_t n;

	assert_non_null(p);
	assert_true(fd >= 0);
	unlink(tmpl);
	setup((void **)&f);
	parse(&o, "-e");
	kick_taken = true;
	status_stage = row->stage;
	p->start = true;
	assert_int_equal(cpu_set_parse(row->cpus, &set), 0);
	p->nr_cpus = cpu_set_members(&set, p->cpus, CPU_LIST_MAX);
	p->cpu = p->cpus[0];
	loaded_record(&p->s.rec);
	p->s.recorded = true;
	p->s.start_wait_ms = row->start_wait_ms;
	p->s.start_wait_cap_ms = 300000;
	assert_int_equal(mk_registry_open(f->root, BOOT, true, &reg, &err), 0);
	/* The executor prints to stdout: into the file for the call. */
	fflush(stdout);
	saved = dup(1);
	dup2(fd, 1);
	ret = mk_plan_execute(p, &o, &f->hf, &reg, &err);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	n = pread(fd, out, sizeof(out) - 1, 0);
	close(fd);
	assert_true(n >= 0);
	out[n] = '\0';
	mk_registry_close(&reg);
	assert_int_equal(kicks, 1);
	if (row->status) {
		assert_int_equal(ret, -1);
		assert_int_equal(err.status, row->status);
		unit_assert_contains(err.msg, row->want);
	} else {
		assert_int_equal(ret, 0);
		unit_assert_contains(out, row->want);
	}
	free(p);
	teardown((void **)&f);
}

int main(void)
{
	struct CMUnitTest tests[5 + N(start_rows)] = {
		cmocka_unit_test_setup_teardown(failed_kick_of_exec_keeps_the_load, setup, teardown),
		cmocka_unit_test_setup_teardown(failed_kick_of_force_undoes_the_load, setup,
						teardown),
		cmocka_unit_test_setup_teardown(load_taken_as_ordinary_is_undone, setup, teardown),
		cmocka_unit_test_setup_teardown(seed_load_alone_is_undone, setup, teardown),
		cmocka_unit_test_setup_teardown(refused_start_takes_nothing, setup, teardown),
	};
	size_t n = 5;

	ROWS(start_rows, start_names_its_cpus);
	return cmocka_run_group_tests_name("mk-start", tests, NULL, NULL);
}
