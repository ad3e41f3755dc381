/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * multikernel-start.c when the kick fails (reboot(LINUX_REBOOT_CMD_MULTIKERNEL)
 * says EBUSY: the kexec lock was busy, or the CPU came online again): the
 * claim written before the kick (cpuN) goes, and nothing else does.  For
 * 'kexec -e' the image is still in the kernel's list, so its "loaded"
 * record stays and a second -e may try again; for -f the load goes too.
 *
 * The kick and the unload are replaced at link time (ld --wrap, see
 * tests/unit/Makefile.frag): this program never reboots, loads or unloads
 * anything on the machine that runs it.
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
#include "multikernel-start.h"
#include "options.h"
#include "unit-helpers.h"

#define BOOT "6f0c1e2d-0000-4000-8000-000000000001"
#define SHA "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* What the replaced system calls saw. */
static int kicks, unloads;
static unsigned long unload_flags;

int __wrap_kx_sys_reboot_multikernel(int cpu, struct kx_error *err);
int __wrap_kx_sys_kexec_unload(unsigned long flags, enum kx_call call, struct kx_error *err);

/* The kernel refuses the start before it touches the CPU. */
int __wrap_kx_sys_reboot_multikernel(int cpu, struct kx_error *err)
{
	kicks++;
	return kx_explain_failure(KX_CALL_START_MULTIKERNEL, -1, EBUSY, cpu, err);
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
	if (host_facts_read(f->root, &f->hf, &err))
		fail_msg("host_facts_read: %s", err.msg);
	kicks = unloads = 0;
	unload_flags = 0;
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
	assert_int_equal(mk_start(&o, &f->hf, &reg, NULL, &err), -1);
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
	assert_int_equal(mk_start(&o, &f->hf, &reg, NULL, &err), -1);
	assert_int_equal(kicks, 2);
	mk_registry_close(&reg);
	assert_false(record_exists(f->root, "cpu1"));
	assert_true(record_exists(f->root, MK_INSTANCE_LOADED));
}

/* kexec -f: the load of this same command goes too, from the kernel and the records. */
static void failed_kick_of_force_undoes_the_load(void **state)
{
	struct fixture *f = *state;
	struct kexec_options o;
	struct mk_registry reg;
	struct mk_instance in;
	struct kx_error err = { 0 };

	parse(&o, "-f");
	assert_int_equal(mk_registry_open(f->root, BOOT, true, &reg, &err), 0);
	loaded_record(&in);
	assert_int_equal(mk_registry_put(&reg, &in, &err), 0);
	assert_int_equal(mk_start(&o, &f->hf, &reg, &in, &err), -1);
	assert_int_equal(kicks, 1);
	assert_int_equal(unloads, 1);
	assert_int_equal(unload_flags, KEXEC_MULTIKERNEL);
	assert_int_equal(reg.nr, 0);
	mk_registry_close(&reg);
	assert_false(record_exists(f->root, "cpu1"));
	assert_false(record_exists(f->root, MK_INSTANCE_LOADED));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(failed_kick_of_exec_keeps_the_load, setup, teardown),
		cmocka_unit_test_setup_teardown(failed_kick_of_force_undoes_the_load, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("mk-start", tests, NULL, NULL);
}
