/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * options.c: argv to struct kexec_options.  Each row is an argv and the
 * values that must come out (or the usage error).  getopt prints its own
 * complaints to stderr for the unknown-option rows.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "kexec-actions.h"
#include "options.h"
#include "unit-helpers.h"

#define MAXARGS 8

struct opt_want {
	enum kx_action action;
	const char *kernel, *initrd;
	const char *append;	/* NULL: empty */
	bool multikernel, panic, saw_load, have_cmdline, console_serial, dry_run, no_checks;
	bool no_sync, no_ifdown, debug;
	int cpu_plus_1;	/* --cpu + 1 (CPU(n)); 0: no --cpu, o.cpu is -1 */
	const char *cpus;	/* --cpu's list as cpu_list_format prints it; NULL: not checked */
	uint16_t serial_port;
	uint64_t mem_min, mem_max;
	enum kx_syscall_choice syscall;
	int path_plus_1;	/* load_path_choose() + 1; 0: not checked */
	bool preserve_context, hotplug, reuse_initrd, have_entry;
	uint64_t entry;
	const char *noted;	/* the first option accepted with no effect */
	enum kx_dmesg_style dmesg_style;
};

struct opt_row {
	const char *name;
	const char *argv[MAXARGS];
	enum kx_status status;		/* KX_OK or the error */
	const char *msg;		/* part of the error message */
	struct opt_want want;
};

#define W(...) { __VA_ARGS__ }
#define CPU(n) .cpu_plus_1 = (n) + 1

static const struct opt_row rows[] = {
	{ "load_file", { "-l", "vmlinuz" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "vmlinuz", .saw_load = true) },
	{ "no_action_load_then_shutdown", { "vmlinuz" }, KX_OK, NULL,
	  W(.action = ACT_LOAD_SHUTDOWN, .kernel = "vmlinuz") },
	/* kexec-tools: the last --append wins; scripts (Heads) override a default that way. */
	{ "append_last_wins", { "-l", "--append=root=/dev/vda", "--append", "quiet", "k" }, KX_OK,
	  NULL, W(.action = ACT_LOAD, .kernel = "k", .saw_load = true, .have_cmdline = true,
		  .append = "quiet") },
	{ "command_line_then_append_last_wins", { "-l", "--command-line=a=1", "--append=b=2", "k" },
	  KX_OK, NULL, W(.action = ACT_LOAD, .kernel = "k", .saw_load = true, .have_cmdline = true,
			 .append = "b=2") },
	{ "append_then_command_line_last_wins", { "-l", "--append=b=2", "--command-line=a=1 ro", "k" },
	  KX_OK, NULL, W(.action = ACT_LOAD, .kernel = "k", .saw_load = true, .have_cmdline = true,
			 .append = "a=1 ro") },
	{ "empty_append_clears", { "-l", "--append=quiet", "--append=", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .saw_load = true, .have_cmdline = true) },
	{ "ramdisk_same_as_initrd", { "-l", "--ramdisk=rd.img", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .initrd = "rd.img", .saw_load = true) },
	{ "initrd_last_wins", { "-l", "--initrd=a", "--initrd", "b", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .initrd = "b", .saw_load = true) },
	{ "panic_load", { "-p", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .panic = true) },
	{ "status_supersedes_later", { "-S", "-l" }, KX_OK, NULL,
	  W(.action = ACT_STATUS, .saw_load = true) },
	{ "status_supersedes_earlier", { "-e", "-S" }, KX_OK, NULL, W(.action = ACT_STATUS) },
	/* A bad letter inside a group must not leave getopt half-way for the next parse. */
	{ "unknown_in_short_group", { "-lZi", "k" }, KX_EUSAGE, "invalid option -- 'Z'", W(.action = 0) },
	{ "exec", { "-e" }, KX_OK, NULL, W(.action = ACT_EXEC) },
	{ "panic_unload", { "-p", "-u" }, KX_OK, NULL, W(.action = ACT_UNLOAD, .panic = true) },
	{ "unload_panic", { "-u", "-p" }, KX_OK, NULL, W(.action = ACT_UNLOAD, .panic = true) },
	{ "unload_panic_long", { "--unload", "--load-panic" }, KX_OK, NULL,
	  W(.action = ACT_UNLOAD, .panic = true) },
	/* The default syscall is 2.0.32's: kexec_file_load, falling back to kexec_load. */
	{ "default_file_then_kexec_load", { "-l", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .saw_load = true, .syscall = SYSCALL_AUTO,
	    .path_plus_1 = LOAD_PATH_FILE_THEN_KEXEC_LOAD + 1) },
	{ "auto_file_then_kexec_load", { "-a", "-p", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .panic = true, .syscall = SYSCALL_AUTO,
	    .path_plus_1 = LOAD_PATH_FILE_THEN_KEXEC_LOAD + 1) },
	{ "c_forces_kexec_load", { "-c", "-l", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .saw_load = true, .syscall = SYSCALL_KEXEC_LOAD,
	    .path_plus_1 = LOAD_PATH_KEXEC_LOAD + 1) },
	{ "s_file_only", { "-p", "-s", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .panic = true, .syscall = SYSCALL_FILE_LOAD,
	    .path_plus_1 = LOAD_PATH_FILE + 1) },
	{ "last_syscall_option_wins", { "-s", "-a", "-c", "-l", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .saw_load = true, .syscall = SYSCALL_KEXEC_LOAD,
	    .path_plus_1 = LOAD_PATH_KEXEC_LOAD + 1) },
	{ "type_bzImage", { "-t", "bzImage", "-l", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .saw_load = true) },
	/* kexec-tools options that mean nothing here: accepted, and the reason is kept. */
	{ "args_linux", { "-l", "--args-linux", "vmlinux" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "vmlinux", .saw_load = true, .noted = "args-linux") },
	{ "elf64_core_headers", { "-p", "--elf64-core-headers", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .panic = true, .noted = "elf64-core-headers") },
	{ "elf32_core_headers", { "-p", "--elf32-core-headers", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .panic = true, .noted = "elf32-core-headers") },
	{ "noefi", { "-l", "--noefi", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .saw_load = true, .noted = "noefi") },
	{ "noefi_twice_noted_once", { "-l", "--noefi", "--serial-baud=9600", "--noefi", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .saw_load = true, .noted = "noefi") },
	{ "reset_vga", { "-l", "--reset-vga", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .saw_load = true, .noted = "reset-vga") },
	{ "console_vga", { "-l", "--console-vga", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .saw_load = true, .noted = "console-vga") },
	{ "reuse_video_type", { "-l", "--reuse-video-type", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .saw_load = true, .noted = "reuse-video-type") },
	{ "real_mode", { "-l", "--real-mode", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .saw_load = true, .noted = "real-mode") },
	{ "entry_32bit", { "-l", "--entry-32bit", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .saw_load = true, .noted = "entry-32bit") },
	{ "pass_memmap_cmdline", { "-p", "--pass-memmap-cmdline", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .panic = true, .noted = "pass-memmap-cmdline") },
	{ "reuseinitrd", { "-l", "--reuseinitrd", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .saw_load = true, .reuse_initrd = true) },
	{ "hotplug_panic", { "-p", "--hotplug", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .panic = true, .hotplug = true) },
	{ "hotplug_without_panic", { "-l", "--hotplug", "k" }, KX_EUSAGE, "add -p", W(.action = 0) },
	{ "print_ckr_size", { "--print-ckr-size" }, KX_OK, NULL, W(.action = ACT_PRINT_CKR_SIZE) },
	{ "preserve_context", { "--load-preserve-context", "--mem-max=0x3fffffff", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .preserve_context = true, .mem_max = 0x3fffffff,
	    .path_plus_1 = LOAD_PATH_KEXEC_LOAD + 1) },
	{ "preserve_context_needs_mem_max", { "--load-preserve-context", "k" }, KX_EUSAGE,
	  "needs --mem-max", W(.action = 0) },
	{ "preserve_context_not_file_load", { "-s", "--load-preserve-context", "--mem-max=1G", "k" },
	  KX_EUSAGE, "drop -s", W(.action = 0) },
	{ "jump_back_helper_entry", { "--load-jump-back-helper", "--entry=0x1000" }, KX_OK, NULL,
	  W(.action = ACT_JUMP_BACK_HELPER, .have_entry = true, .entry = 0x1000) },
	{ "jump_back_helper_no_kernel", { "--load-jump-back-helper", "k" }, KX_EUSAGE,
	  "loads no kernel", W(.action = 0) },
	{ "bad_entry", { "--load-jump-back-helper", "--entry=x" }, KX_EUSAGE, "invalid --entry",
	  W(.action = 0) },
	{ "multikernel_cpu_file_forces", { "--multikernel", "--cpu=1", "k" }, KX_OK, NULL,
	  W(.action = ACT_FORCE, .kernel = "k", .multikernel = true, CPU(1)) },
	{ "multikernel_load_without_cpu", { "--multikernel", "-l", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .multikernel = true, .saw_load = true) },
	{ "multikernel_exec_cpu", { "-e", "--multikernel", "--cpu", "3" }, KX_OK, NULL,
	  W(.action = ACT_EXEC, .multikernel = true, CPU(3)) },
	/* Several CPUs: the lowest is the kick's, in whatever order they are named. */
	{ "multikernel_cpu_list", { "--multikernel", "--cpu=3,1-2", "k" }, KX_OK, NULL,
	  W(.action = ACT_FORCE, .kernel = "k", .multikernel = true, CPU(1), .cpus = "1-3") },
	{ "serial_ttyS1", { "-l", "--serial=ttyS1", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .saw_load = true, .console_serial = true,
	    .serial_port = 0x2f8) },
	{ "serial_io_port", { "-l", "--serial=0x3e8", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .saw_load = true, .console_serial = true,
	    .serial_port = 0x3e8) },
	{ "mem_min_max", { "-l", "--mem-min=16M", "--mem-max=0x7fffffff", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .saw_load = true, .mem_min = 16 << 20,
	    .mem_max = 0x7fffffff) },
	{ "short_flags_grouped", { "-lid", "-s", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .saw_load = true, .no_checks = true, .debug = true,
	    .syscall = SYSCALL_FILE_LOAD, .path_plus_1 = LOAD_PATH_FILE + 1) },
	/* Each flag sets its own field and no other. */
	{ "no_ifdown", { "-e", "-x" }, KX_OK, NULL, W(.action = ACT_EXEC, .no_ifdown = true) },
	{ "no_sync", { "-e", "--no-sync" }, KX_OK, NULL, W(.action = ACT_EXEC, .no_sync = true) },
	{ "no_checks_long", { "-l", "--no-checks", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .saw_load = true, .no_checks = true) },
	{ "debug", { "-l", "--debug", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .saw_load = true, .debug = true) },
	/* The last syscall option wins: -c after -s is kexec_load, not auto. */
	{ "kexec_syscall_after_file", { "-l", "-s", "-c", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .saw_load = true, .syscall = SYSCALL_KEXEC_LOAD) },
	{ "kexec_syscall_after_auto", { "-l", "-a", "--kexec-syscall", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .saw_load = true, .syscall = SYSCALL_KEXEC_LOAD) },
	{ "syscall_auto", { "-l", "-c", "-a", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .saw_load = true, .syscall = SYSCALL_AUTO) },
	{ "console_serial_without_port", { "-l", "--console-serial", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .saw_load = true, .console_serial = true) },
	{ "dry_run", { "--dry-run", "-l", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .saw_load = true, .dry_run = true) },
	/* After -h nothing is parsed: not a bad value, not a bad combination, not a stray file. */
	{ "help_stops_parsing", { "-l", "-h", "--mem-min=lots", "--cpu=1", "k", "extra" }, KX_OK, NULL,
	  W(.action = ACT_HELP, .saw_load = true) },
	/* ...but what came before it is: getopt reports an unknown option first. */
	{ "unknown_before_help", { "--bogus", "-h" }, KX_EUSAGE, "unrecognized option '--bogus'",
	  W(.action = 0) },
	{ "help", { "-h", "--bogus" }, KX_OK, NULL, W(.action = ACT_HELP) },
	{ "version", { "--version" }, KX_OK, NULL, W(.action = ACT_VERSION) },
	{ "exec_multikernel_without_cpu", { "-e", "--multikernel" }, KX_EUSAGE, "needs --cpu=N", W(.action = 0) },
	{ "force_multikernel_without_cpu", { "--multikernel", "k" }, KX_EUSAGE, "needs --cpu=N", W(.action = 0) },
	{ "cpu_without_multikernel", { "-l", "--cpu=1", "k" }, KX_EUSAGE, "need --multikernel", W(.action = 0) },
	{ "offline_cpu_without_multikernel", { "-e", "--offline-cpu" }, KX_EUSAGE, "need --multikernel",
	  W(.action = 0) },
	{ "list_without_multikernel", { "--list" }, KX_EUSAGE, "need --multikernel", W(.action = 0) },
	{ "no_default_param_without_multikernel", { "-l", "--no-default-param=pci", "k" }, KX_EUSAGE,
	  "need --multikernel", W(.action = 0) },
	{ "no_default_param_empty", { "--multikernel", "-l", "--no-default-param=", "k" }, KX_EUSAGE,
	  "one default word per option", W(.action = 0) },
	{ "multikernel_and_panic", { "-p", "--multikernel", "k" }, KX_EUSAGE, "cannot be combined",
	  W(.action = 0) },
	{ "multikernel_file_syscall", { "-l", "-s", "--multikernel", "k" }, KX_EUSAGE, "drop -s",
	  W(.action = 0) },
	{ "bad_cpu", { "--multikernel", "--cpu=one", "k" }, KX_EUSAGE, "invalid --cpu value 'one'",
	  W(.action = 0) },
	{ "bad_cpu_empty", { "--multikernel", "--cpu=", "k" }, KX_EUSAGE, "invalid --cpu value ''",
	  W(.action = 0) },
	{ "bad_cpu_reversed", { "--multikernel", "--cpu=2-1", "k" }, KX_EUSAGE,
	  "invalid --cpu value '2-1'", W(.action = 0) },
	{ "bad_cpu_space", { "--multikernel", "--cpu=1, 2", "k" }, KX_EUSAGE,
	  "invalid --cpu value '1, 2'", W(.action = 0) },
	{ "cpu_list_too_long", { "--multikernel", "--cpu=1-33", "k" }, KX_EUSAGE,
	  "names 33 CPUs; an instance takes at most 32", W(.action = 0) },
	{ "bad_mem_min", { "-l", "--mem-min=lots", "k" }, KX_EUSAGE, "invalid --mem-min value 'lots'",
	  W(.action = 0) },
	{ "bad_mem_min_suffix", { "-l", "--mem-min=16Mb", "k" }, KX_EUSAGE, "invalid --mem-min", W(.action = 0) },
	{ "mem_max_below_min", { "-l", "--mem-min=2G", "--mem-max=1G", "k" }, KX_EUSAGE,
	  "--mem-max is below --mem-min", W(.action = 0) },
	{ "bad_serial", { "-l", "--serial=ttyS4", "k" }, KX_EUSAGE, "invalid --serial value 'ttyS4'",
	  W(.action = 0) },
	{ "dmesg_decode", { "--multikernel", "--dmesg=1", "--decode" }, KX_OK, NULL,
	  W(.action = ACT_DMESG, .multikernel = true, CPU(1), .dmesg_style = DMESG_DECODE) },
	{ "dmesg_raw_twice", { "--raw", "--multikernel", "--dmesg=2", "--raw" }, KX_OK, NULL,
	  W(.action = ACT_DMESG, .multikernel = true, CPU(2), .dmesg_style = DMESG_RAW) },
	{ "dmesg_decode_and_raw", { "--multikernel", "--dmesg=1", "--decode", "--raw" }, KX_EUSAGE,
	  "--decode and --raw cannot be combined", W(.action = 0) },
	{ "decode_without_dmesg", { "--multikernel", "--list", "--decode" }, KX_EUSAGE,
	  "--decode and --raw go with --dmesg=N", W(.action = 0) },
	/* A recorded machine (--sysroot) reaches only what reads it, never a load. */
	{ "sysroot_load_needs_dry_run", { "--sysroot=r", "-l", "k" }, KX_EUSAGE,
	  "--sysroot replays a recorded machine; it needs --dry-run", W(.action = 0) },
	{ "sysroot_dry_run_load", { "--sysroot=r", "--dry-run", "-l", "k" }, KX_OK, NULL,
	  W(.action = ACT_LOAD, .kernel = "k", .saw_load = true, .dry_run = true) },
	{ "sysroot_plan_write_grub", { "--multikernel", "--plan-reservation=2,256M", "--write-grub",
	  "--sysroot=r" }, KX_OK, NULL, W(.action = ACT_PLAN_RESERVATION, .multikernel = true) },
	{ "sysroot_dmesg", { "--sysroot=r", "--multikernel", "--dmesg=1" }, KX_OK, NULL,
	  W(.action = ACT_DMESG, .multikernel = true, CPU(1)) },
	{ "unknown_option", { "--frobnicate", "-l", "k" }, KX_EUSAGE, "unrecognized option '--frobnicate'",
	  W(.action = 0) },
	{ "unknown_short_option", { "-Z" }, KX_EUSAGE, "invalid option -- 'Z'", W(.action = 0) },
	{ "missing_kernel", { "-l" }, KX_EUSAGE, "no kernel image given", W(.action = 0) },
	{ "extra_argument", { "-l", "k", "extra" }, KX_EUSAGE, "unexpected argument 'extra'", W(.action = 0) },
	{ "exec_with_file", { "-e", "k" }, KX_EUSAGE, "unexpected argument 'k'", W(.action = 0) },
	{ "append_overflow", { "-l", "--append", NULL /* filled in: 4096 bytes */, "k" }, KX_ECMDLINE,
	  "exceeds 4095 bytes", W(.action = 0) },
};

static char long_arg[KX_CMDLINE_MAX + 1];

static void assert_str(const char *got, const char *want)
{
	if (!want)
		assert_null(got);
	else
		assert_string_equal(got, want);
}

static void test_options(void **state)
{
	const struct opt_row *row = *state;
	static struct kexec_options o;
	const struct opt_want *w = &row->want;
	char *argv[MAXARGS + 2] = { (char *)"kexec" };
	struct kx_error err = { 0 };
	int argc = 1;
	int ret;

	memset(long_arg, 'a', KX_CMDLINE_MAX);
	for (size_t i = 0; i < MAXARGS && (row->argv[i] || (i + 1 < MAXARGS && row->argv[i + 1])); i++)
		argv[argc++] = (char *)(row->argv[i] ? row->argv[i] : long_arg);
	argv[argc] = NULL;

	ret = options_parse(argc, argv, &o, &err);
	if (row->status != KX_OK) {
		/* Every error row names its message: a status alone proves little. */
		assert_true(row->msg && row->msg[0]);
		assert_int_equal(ret, -1);
		assert_int_equal(err.status, row->status);
		unit_assert_contains(err.msg, row->msg);
		return;
	}
	if (ret)
		fail_msg("options_parse: %s", err.msg);
	assert_int_equal(o.action, w->action);
	assert_str(o.kernel_path, w->kernel);
	assert_str(o.initrd_path, w->initrd);
	assert_string_equal(o.append, w->append ? w->append : "");
	assert_int_equal(o.have_cmdline, w->have_cmdline);
	assert_int_equal(o.multikernel, w->multikernel);
	assert_int_equal(o.panic, w->panic);
	assert_int_equal(o.saw_load, w->saw_load);
	assert_int_equal(o.cpu, w->cpu_plus_1 - 1);
	if (w->cpus) {
		char list[64];

		assert_int_equal(cpu_list_format(o.cpus, o.nr_cpus, list, sizeof(list)), 0);
		assert_string_equal(list, w->cpus);
		assert_int_equal(o.cpus[0], o.cpu);
	}
	assert_int_equal(o.console_serial, w->console_serial);
	assert_int_equal(o.serial_port, w->serial_port);
	assert_int_equal(o.mem_min, w->mem_min);
	assert_int_equal(o.mem_max, w->mem_max);
	assert_int_equal(o.dry_run, w->dry_run);
	assert_int_equal(o.no_checks, w->no_checks);
	assert_int_equal(o.no_sync, w->no_sync);
	assert_int_equal(o.no_ifdown, w->no_ifdown);
	assert_int_equal(o.debug, w->debug);
	assert_int_equal(o.syscall, w->syscall);
	if (w->path_plus_1)
		assert_int_equal(load_path_choose(&o), w->path_plus_1 - 1);
	assert_int_equal(o.preserve_context, w->preserve_context);
	assert_int_equal(o.hotplug, w->hotplug);
	assert_int_equal(o.reuse_initrd, w->reuse_initrd);
	assert_int_equal(o.have_entry, w->have_entry);
	assert_int_equal(o.entry, w->entry);
	assert_int_equal(o.dmesg_style, w->dmesg_style);
	if (w->noted) {
		assert_int_equal(o.nr_noted, 1);
		assert_string_equal(o.noted[0], w->noted);
		assert_non_null(options_note(o.noted[0]));
	} else {
		assert_int_equal(o.nr_noted, 0);
	}
}

int main(void)
{
	struct CMUnitTest tests[N(rows)];

	for (size_t i = 0; i < N(rows); i++)
		tests[i] = (struct CMUnitTest){ .name = rows[i].name, .test_func = test_options,
						.initial_state = (void *)&rows[i] };
	return _cmocka_run_group_tests("options", tests, N(rows), NULL, NULL);
}
