/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * host-facts.c against a temporary sysroot built by each test: parsed
 * values, missing files as "unknown", malformed files as errors, and the
 * CPU offline write landing in the sysroot.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "host-facts.h"
#include "unit-helpers.h"

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

static struct host_facts *new_facts(void)
{
	struct host_facts *hf = calloc(1, sizeof(*hf));

	assert_non_null(hf);
	return hf;
}

static void write_machine(const char *root)
{
	unit_sysroot_write(root, "proc/iomem",
			   "00000000-00000fff : Reserved\n"
			   "00001000-0009fbff : System RAM\n"
			   "00100000-bfffffff : System RAM\n"
			   "  20000000-2fffffff : Crash kernel\n"
			   "  40000000-7fffffff : Multikernel Shared Memory\n"
			   "fee00000-fee00fff : Local APIC\n");
	unit_sysroot_write(root, "proc/cmdline", "BOOT_IMAGE=/vmlinuz ro memmap=1G$0x40000000 \n");
	unit_sysroot_write(root, "proc/meminfo", "MemTotal:        3145728 kB\nMemFree:  1024 kB\n");
	unit_sysroot_write(root, "proc/cpuinfo", "processor\t: 0\ncpu MHz\t\t: 2399.999\n");
	unit_sysroot_write(root, "sys/devices/system/cpu/present", "0-7\n");
	unit_sysroot_write(root, "sys/devices/system/cpu/online", "0-2,4-7\n");
	unit_sysroot_write(root, "sys/devices/system/cpu/cpu3/online", "0\n");
	unit_sysroot_write(root, "sys/devices/system/cpu/cpu5/online", "1\n");
	unit_sysroot_write(root, "sys/firmware/memmap/0/start", "0x0\n");
	unit_sysroot_write(root, "sys/firmware/memmap/0/end", "0x9fbff\n");
	unit_sysroot_write(root, "sys/firmware/memmap/0/type", "System RAM\n");
	unit_sysroot_write(root, "sys/firmware/memmap/1/start", "0x100000\n");
	unit_sysroot_write(root, "sys/firmware/memmap/1/end", "0xbfffffff\n");
	unit_sysroot_write(root, "sys/firmware/memmap/1/type", "System RAM\n");
	unit_sysroot_write(root, "sys/firmware/memmap/2/start", "0x9fc00\n");
	unit_sysroot_write(root, "sys/firmware/memmap/2/end", "0x9ffff\n");
	unit_sysroot_write(root, "sys/firmware/memmap/2/type", "Reserved\n");
	unit_sysroot_write(root, "sys/firmware/efi/systab", "SMBIOS=0x7fe00000\nACPI20=0x7ffe0014\nACPI=0xf0000\n");
	unit_sysroot_write(root, "sys/kernel/kexec_loaded", "1\n");
	unit_sysroot_write(root, "sys/kernel/kexec_crash_loaded", "0\n");
	unit_sysroot_write(root, "proc/multikernel", "id 1 cpu 3 state loaded\n");
}

static void test_full_machine(void **state)
{
	const char *root = *state;
	struct host_facts *hf = new_facts();
	struct kx_error err = { 0 };
	char slashed[4200];

	write_machine(root);
	/* A trailing slash on --sysroot must not matter. */
	snprintf(slashed, sizeof(slashed), "%s//", root);
	if (host_facts_read(slashed, hf, &err))
		fail_msg("host_facts_read: %s", err.msg);
	assert_string_equal(hf->sysroot, root);

	assert_true(hf->have_iomem);
	assert_false(hf->iomem.addresses_hidden);
	assert_int_equal(hf->iomem.top.nr, 4);
	assert_int_equal(hf->iomem.top.r[2].start, 0x100000);
	assert_int_equal(hf->iomem.top.r[2].end, 0xc0000000);
	assert_int_equal(hf->iomem.top.r[2].type, MEM_RAM);
	assert_int_equal(hf->iomem.top.r[3].type, MEM_OTHER);
	assert_int_equal(hf->iomem.crash.nr, 1);
	assert_int_equal(hf->iomem.crash.r[0].start, 0x20000000);
	assert_int_equal(hf->iomem.crash.r[0].end, 0x30000000);
	assert_int_equal(hf->iomem.mk_shared.nr, 1);
	assert_int_equal(hf->iomem.mk_shared.r[0].end, 0x80000000);

	assert_true(hf->have_firmware_map);
	assert_int_equal(hf->firmware_map.nr, 3);	/* sorted, end made exclusive */
	assert_int_equal(hf->firmware_map.r[0].start, 0x0);
	assert_int_equal(hf->firmware_map.r[0].end, 0x9fc00);
	assert_int_equal(hf->firmware_map.r[0].type, MEM_RAM);
	assert_int_equal(hf->firmware_map.r[1].start, 0x9fc00);
	assert_int_equal(hf->firmware_map.r[1].end, 0xa0000);
	assert_int_equal(hf->firmware_map.r[1].type, MEM_RESERVED);
	assert_int_equal(hf->firmware_map.r[2].end, 0xc0000000);

	assert_string_equal(hf->cmdline, "BOOT_IMAGE=/vmlinuz ro memmap=1G$0x40000000");
	assert_int_equal(hf->totalram_bytes, 3145728ull * 1024);
	assert_true(hf->have_cpu_lists);
	for (unsigned int c = 0; c < 10; c++) {
		assert_int_equal(cpu_set_has(&hf->present, c), c < 8);
		assert_int_equal(cpu_set_has(&hf->online, c), c < 8 && c != 3);
	}
	assert_int_equal(hf->acpi_rsdp_addr, 0x7ffe0014);
	assert_int_equal(hf->kexec_loaded, 1);
	assert_int_equal(hf->kexec_crash_loaded, 0);
	assert_true(hf->have_proc_multikernel);
	assert_string_equal(hf->proc_multikernel, "id 1 cpu 3 state loaded\n");
	free(hf);
}

static void test_empty_sysroot_is_unknown(void **state)
{
	const char *root = *state;
	struct host_facts *hf = new_facts();
	struct kx_error err = { 0 };

	assert_int_equal(host_facts_read(root, hf, &err), 0);
	assert_false(hf->have_iomem);
	assert_false(hf->have_firmware_map);
	assert_false(hf->have_cpu_lists);
	assert_false(hf->have_proc_multikernel);
	assert_string_equal(hf->cmdline, "");
	assert_int_equal(hf->totalram_bytes, 0);
	assert_int_equal(hf->acpi_rsdp_addr, 0);
	assert_int_equal(hf->kexec_loaded, -1);
	assert_int_equal(hf->kexec_crash_loaded, -1);
	free(hf);
}

/* RSDP from the host's own boot_params (offset 0x070) when there is no EFI systab. */
static void test_rsdp_from_boot_params(void **state)
{
	const char *root = *state;
	struct host_facts *hf = new_facts();
	struct kx_error err = { 0 };
	char path[4200];
	uint8_t bp[4096] = { 0 };
	FILE *f;

	unit_sysroot_write(root, "sys/kernel/boot_params/version", "0x020f\n");
	unit_put64(bp, 0x070, 0xf68a0);
	snprintf(path, sizeof(path), "%s/sys/kernel/boot_params/data", root);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bp, 1, sizeof(bp), f), sizeof(bp));
	fclose(f);
	assert_int_equal(host_facts_read(root, hf, &err), 0);
	assert_int_equal(hf->acpi_rsdp_addr, 0xf68a0);
	free(hf);
}

/*
 * The kernel log as /dev/kmsg gives it (records with a header, dictionary
 * continuation lines), next to a cpuinfo whose "cpu MHz" is the core's
 * scaled clock: the TSC comes from the log, never from cpuinfo.
 */
static void test_kernel_log_tsc(void **state)
{
	const char *root = *state;
	struct host_facts *hf = new_facts();
	struct kx_error err = { 0 };
	struct tsc_sources src;

	unit_sysroot_write(root, "proc/cpuinfo", "processor\t: 0\ncpu MHz\t\t: 800.021\n");
	unit_sysroot_write(root, "dev/kmsg",
			   "6,0,0,-;Linux version 6.12.0\n"
			   "6,17,18,-;tsc: Detected 2095.932 MHz processor\n"
			   " SUBSYSTEM=cpu\n"
			   "6,262,122767,-;clocksource: tsc: mask: 0xffffffffffffffff\n"
			   "6,300,1130000,-;tsc: Refined TSC clocksource calibration: 2095.999 MHz");
	assert_int_equal(host_facts_read(root, hf, &err), 0);
	host_tsc_sources_read(hf, &src);
	assert_true(src.log_read);
	assert_int_equal(src.log_processor_khz, 2095932);
	assert_int_equal(src.log_refined_khz, 2095999);
	/* A recorded machine: no CPUID of this one, and no measurement. */
	assert_false(src.have_cpuid);
	assert_int_equal(host_tsc_measure_khz(hf, &src), 0);
	free(hf);
}

/* A kernel log whose early boot lines were overwritten: read, but no value. */
static void test_kernel_log_wrapped(void **state)
{
	const char *root = *state;
	struct host_facts *hf = new_facts();
	struct kx_error err = { 0 };
	struct tsc_sources src;

	unit_sysroot_write(root, "dev/kmsg", "6,90000,86400000000,-;eth0: link up\n");
	assert_int_equal(host_facts_read(root, hf, &err), 0);
	host_tsc_sources_read(hf, &src);
	assert_true(src.log_read);
	assert_int_equal(src.log_refined_khz + src.log_tsc_khz + src.log_processor_khz, 0);
	free(hf);
}

/* No kernel log and a recorded machine: nothing known, nothing measured. */
static void test_kernel_log_absent(void **state)
{
	const char *root = *state;
	struct host_facts *hf = new_facts();
	struct kx_error err = { 0 };
	struct tsc_sources src;

	memset(&src, 0xff, sizeof(src));	/* every field must be written */
	assert_int_equal(host_facts_read(root, hf, &err), 0);
	host_tsc_sources_read(hf, &src);
	assert_false(src.log_read);
	assert_false(src.have_cpuid);
	assert_int_equal(src.log_refined_khz + src.log_tsc_khz + src.log_processor_khz, 0);
	assert_false(tsc_measurement_allowed(&src));
	free(hf);
}

/*
 * /proc/kallsyms names, as kptr_restrict shows them (zero addresses): the
 * kernel's own symbols only, whole names only, and unknown without the file.
 */
static void test_kernel_symbol(void **state)
{
	const char *root = *state;
	struct host_facts *hf = new_facts();
	struct kx_error err = { 0 };

	assert_int_equal(host_facts_read(root, hf, &err), 0);
	assert_int_equal(host_kernel_has_symbol(hf, "multikernel_kexec"), -1);
	unit_sysroot_write(root, "proc/kallsyms",
			   "0000000000000000 T kernel_kexec\n"
			   "0000000000000000 T multikernel_kexec_helper\n"
			   "0000000000000000 t multikernel_kexec\t[mk_mod]\n"
			   "0000000000000000 T kexec_crash_loaded\n");
	assert_int_equal(host_kernel_has_symbol(hf, "multikernel_kexec"), 0);
	assert_int_equal(host_kernel_has_symbol(hf, "kernel_kexec"), 1);
	unit_sysroot_write(root, "proc/kallsyms",
			   "0000000000000000 T kernel_kexec\n"
			   "ffffffff8109b5e0 T multikernel_kexec\n");
	assert_int_equal(host_kernel_has_symbol(hf, "multikernel_kexec"), 1);
	free(hf);
}

struct bad_row {
	const char *name;
	const char *file, *text;
	const char *msg;
};

static const struct bad_row bad_rows[] = {
	{ "bad_iomem_line", "proc/iomem", "00100000-bfffffff : System RAM\nnonsense\n",
	  "/proc/iomem at line 2" },
	{ "bad_cpu_list", "sys/devices/system/cpu/online", "0-x\n", "cannot parse the CPU lists" },
	{ "bad_firmware_entry", "sys/firmware/memmap/0/end", "0x0\n", "bad entry 0" },
};

static void test_bad(void **state)
{
	const struct bad_row *row = NULL;
	char *root = unit_sysroot_new();
	struct host_facts *hf = new_facts();
	struct kx_error err = { 0 };

	row = *state;
	unit_sysroot_write(root, "sys/devices/system/cpu/present", "0-1\n");
	unit_sysroot_write(root, "sys/devices/system/cpu/online", "0-1\n");
	unit_sysroot_write(root, "sys/firmware/memmap/0/start", "0x1000\n");
	unit_sysroot_write(root, "sys/firmware/memmap/0/end", "0x1fff\n");
	unit_sysroot_write(root, "sys/firmware/memmap/0/type", "System RAM\n");
	unit_sysroot_write(root, row->file, row->text);
	assert_int_equal(host_facts_read(root, hf, &err), -1);
	assert_int_equal(err.status, KX_EHOST);
	unit_assert_contains(err.msg, row->msg);
	free(hf);
	unit_sysroot_remove(root);
}

static void test_cpu_offline_write(void **state)
{
	const char *root = *state;
	struct host_facts *hf = new_facts();
	struct kx_error err = { 0 };
	char text[16];

	write_machine(root);
	assert_int_equal(host_facts_read(root, hf, &err), 0);
	assert_true(cpu_set_has(&hf->online, 5));
	assert_int_equal(host_cpu_set_online(hf, 5, false, &err), 0);
	unit_sysroot_read(root, "sys/devices/system/cpu/cpu5/online", text, sizeof(text));
	assert_string_equal(text, "0\n");	/* "0" written over the first byte */

	/* The kernel would update the list; the test does, then rereads. */
	unit_sysroot_write(root, "sys/devices/system/cpu/online", "0-2,4,6-7\n");
	assert_int_equal(host_facts_reread_cpus(hf, &err), 0);
	assert_false(cpu_set_has(&hf->online, 5));
	assert_true(cpu_set_has(&hf->online, 6));

	assert_int_equal(host_cpu_set_online(hf, 3, true, &err), 0);
	unit_sysroot_read(root, "sys/devices/system/cpu/cpu3/online", text, sizeof(text));
	assert_string_equal(text, "1\n");

	assert_int_equal(host_cpu_set_online(hf, 9, false, &err), -1);
	assert_int_equal(err.status, KX_ECPU);
	unit_assert_contains(err.msg, "cpu9/online");
	unit_assert_contains(err.msg, "CPU 9 cannot be offlined");
	free(hf);
}

/* /proc/cpuinfo: the "apicid" of the block whose "processor" is the CPU, not "initial apicid". */
static void test_cpuinfo_apic_id(void **state)
{
	static const char text[] =
		"processor\t: 0\napicid\t\t: 0\ninitial apicid\t: 0\n\n"
		"processor\t: 1\ncore id\t\t: 1\ninitial apicid\t: 9\napicid\t\t: 6\n\n"
		"processor\t: 12\napicid\t\t: 300\n\n"
		"processor\t: 3\nflags\t\t: apic\n\n";
	uint32_t id = 77;

	(void)state;
	assert_int_equal(cpuinfo_apic_id(text, 1, &id), 0);
	assert_int_equal(id, 6);
	assert_int_equal(cpuinfo_apic_id(text, 12, &id), 0);
	assert_int_equal(id, 300);
	assert_int_equal(cpuinfo_apic_id(text, 0, &id), 0);
	assert_int_equal(id, 0);
	id = 77;
	assert_int_equal(cpuinfo_apic_id(text, 2, &id), -1);	/* offline: not listed */
	assert_int_equal(cpuinfo_apic_id(text, 3, &id), -1);	/* listed without an id */
	assert_int_equal(cpuinfo_apic_id("", 0, &id), -1);
	/* A last line without its newline (found by fuzz-dryrun: NULL + 0 under UBSan). */
	assert_int_equal(cpuinfo_apic_id("processor\t: 1\napicid\t: 4", 0, &id), -1);
	assert_int_equal(cpuinfo_apic_id("processor\t: 1\napicid\t: 4", 1, &id), 0);
	assert_int_equal(id, 4);
	id = 77;
	assert_int_equal(id, 77);
}

int main(void)
{
	struct CMUnitTest tests[N(bad_rows) + 9];
	size_t n = 0;

	tests[n++] = (struct CMUnitTest){ .name = "cpuinfo_apic_id", .test_func = test_cpuinfo_apic_id };
	tests[n++] = (struct CMUnitTest){ .name = "full_machine", .test_func = test_full_machine,
					  .setup_func = setup, .teardown_func = teardown };
	tests[n++] = (struct CMUnitTest){ .name = "empty_sysroot_is_unknown",
					  .test_func = test_empty_sysroot_is_unknown,
					  .setup_func = setup, .teardown_func = teardown };
	tests[n++] = (struct CMUnitTest){ .name = "rsdp_from_boot_params",
					  .test_func = test_rsdp_from_boot_params,
					  .setup_func = setup, .teardown_func = teardown };
	tests[n++] = (struct CMUnitTest){ .name = "cpu_offline_write", .test_func = test_cpu_offline_write,
					  .setup_func = setup, .teardown_func = teardown };
	tests[n++] = (struct CMUnitTest){ .name = "kernel_log_tsc", .test_func = test_kernel_log_tsc,
					  .setup_func = setup, .teardown_func = teardown };
	tests[n++] = (struct CMUnitTest){ .name = "kernel_log_wrapped",
					  .test_func = test_kernel_log_wrapped,
					  .setup_func = setup, .teardown_func = teardown };
	tests[n++] = (struct CMUnitTest){ .name = "kernel_symbol", .test_func = test_kernel_symbol,
					  .setup_func = setup, .teardown_func = teardown };
	tests[n++] = (struct CMUnitTest){ .name = "kernel_log_absent",
					  .test_func = test_kernel_log_absent,
					  .setup_func = setup, .teardown_func = teardown };
	for (size_t i = 0; i < N(bad_rows); i++)
		tests[n++] = (struct CMUnitTest){ .name = bad_rows[i].name, .test_func = test_bad,
						  .initial_state = (void *)&bad_rows[i] };
	return _cmocka_run_group_tests("host-facts", tests, n, NULL, NULL);
}
