/* SPDX-License-Identifier: GPL-2.0-only */
/* The command line, parsed once into a value; nothing here touches the host. */
#ifndef KEXEC_OPTIONS_H
#define KEXEC_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu-set.h"
#include "load-request.h"
#include "status.h"

enum kx_action {
	ACT_LOAD_SHUTDOWN,	/* no action option: load, then run shutdown -r now (kexec-tools) */
	ACT_LOAD,		/* -l, -p */
	ACT_EXEC,		/* -e */
	ACT_FORCE,		/* -f: load and exec at once */
	ACT_UNLOAD,		/* -u */
	ACT_STATUS,		/* -S */
	ACT_LIST,		/* --list */
	ACT_PRINT_CKR_SIZE,	/* --print-ckr-size: print the crash region's size, exit */
	ACT_JUMP_BACK_HELPER,	/* --load-jump-back-helper */
	ACT_FORGET,		/* --forget=N */
	ACT_DMESG,		/* --dmesg=N: an instance's kernel log */
	ACT_PLAN_RESERVATION,	/* --plan-reservation=N,SIZE: the memmap= words for this machine */
	ACT_HELP,
	ACT_VERSION,
};

enum kx_syscall_choice {
	/*
	 * The default and -a, as kexec-tools since 2.0.27: kexec_file_load
	 * first, kexec_load when that says the kernel cannot do it.
	 */
	SYSCALL_AUTO,
	SYSCALL_KEXEC_LOAD,	/* -c */
	SYSCALL_FILE_LOAD,	/* -s */
};

#define KX_MAX_NOTED 10

/*
 * How long after the kick a start waits for the new kernel's log to show
 * its init run (or a panic).  Debian's 6.12 kernel with a small initramfs
 * got there 3-4 s after the kick under QEMU's TCG (README's latency
 * table), the test kernel in 2 s; 30 s leaves room for a big initramfs on
 * a slow machine, and a wait that ends without a sign costs only a note,
 * not a failure.
 */
#define MK_BOOT_WAIT_DEFAULT_MS 30000u

/* How --dmesg prefixes a line with its record's facility and level. */
enum kx_dmesg_style {
	DMESG_PLAIN,		/* none: the console's "[    1.234567] " only */
	DMESG_DECODE,		/* --decode: "kern  :info  : " (dmesg -x) */
	DMESG_RAW,		/* --raw: "<6>", facility * 8 + level (dmesg -r) */
};

struct kexec_options {
	enum kx_action action;
	bool action_given;	/* -l/-e/-f/-u seen */
	bool panic;		/* -p */
	bool saw_load;		/* -l given (for -S: ask about the normal image) */
	bool multikernel;	/* --multikernel */
	int cpu;		/* --cpu's first (lowest) CPU, -1 when absent; --forget, --dmesg */
	/* --cpu=LIST: every CPU of the instance, increasing; cpus[0] == cpu. */
	int cpus[CPU_LIST_MAX];
	size_t nr_cpus;
	bool offline_cpu;	/* --offline-cpu */
#define KX_MAX_NO_DEFAULT 16
	const char *no_default_param[KX_MAX_NO_DEFAULT];	/* --no-default-param, argv strings */
	size_t nr_no_default_param;
	unsigned int start_wait_ms;	/* --start-wait, default 2000; 0: do not wait */
	bool start_wait_given;
	unsigned int boot_wait_ms;	/* --boot-wait, default MK_BOOT_WAIT_DEFAULT_MS; 0: none */
	bool boot_wait_given;
	bool follow;			/* -w, --follow with --dmesg */
	enum kx_dmesg_style dmesg_style;	/* --decode, --raw with --dmesg */
	bool dry_run, debug, no_checks, no_sync, no_ifdown;
	enum kx_syscall_choice syscall;
	const char *type;	/* -t */
	const char *kernel_path;
	const char *initrd_path;
	bool have_cmdline;	/* --append/--command-line seen */
	char append[KX_CMDLINE_MAX];	/* the last --append/--command-line */
	bool reuse_cmdline;
	uint64_t mem_min;
	uint64_t mem_max;	/* inclusive, as kexec-tools; 0 = none */
	const char *sysroot;
	bool console_serial;
	uint16_t serial_port;	/* --serial I/O base, 0 = not given */
	bool preserve_context;	/* --load-preserve-context: KEXEC_PRESERVE_CONTEXT */
	bool have_entry;	/* --entry given */
	uint64_t entry;		/* --entry: the jump-back helper's entry */
	bool hotplug;		/* --hotplug: the kernel may rewrite the ELF core header */
	bool reuse_initrd;	/* --reuseinitrd: needs retain_initrd on this kernel */
	unsigned int plan_instances;	/* --plan-reservation=N,SIZE */
	uint64_t plan_size;
	bool write_grub;	/* --write-grub: the plan into /etc/default/grub.d/ */
	const char *noted[KX_MAX_NOTED];	/* options accepted with no effect (options_note) */
	size_t nr_noted;
};

/* Parse argv; on error err says what was wrong (status KX_EUSAGE). */
int options_parse(int argc, char **argv, struct kexec_options *opts, struct kx_error *err);

void options_usage(FILE *out);

/* Why a kexec-tools option that means nothing here is accepted anyway; NULL if it is not one. */
const char *options_note(const char *name);

#endif /* KEXEC_OPTIONS_H */
