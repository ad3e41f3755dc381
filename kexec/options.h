/* SPDX-License-Identifier: GPL-2.0-only */
/* The command line, parsed once into a value; nothing here touches the host. */
#ifndef KEXEC_OPTIONS_H
#define KEXEC_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

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
	ACT_HELP,
	ACT_VERSION,
};

enum kx_syscall_choice {
	SYSCALL_KEXEC_LOAD,	/* -c, the default */
	SYSCALL_FILE_LOAD,	/* -s */
	SYSCALL_AUTO,		/* -a */
};

struct kexec_options {
	enum kx_action action;
	bool action_given;	/* -l/-e/-f/-u seen */
	bool panic;		/* -p */
	bool saw_load;		/* -l given (for -S: ask about the normal image) */
	bool multikernel;	/* --multikernel */
	int cpu;		/* --cpu, -1 when absent */
	bool offline_cpu;	/* --offline-cpu */
	bool dry_run, debug, no_checks, no_sync, no_ifdown;
	enum kx_syscall_choice syscall;
	const char *type;	/* -t */
	const char *kernel_path;
	const char *initrd_path;
	bool have_cmdline;	/* --append/--command-line seen */
	char append[KX_CMDLINE_MAX];
	bool reuse_cmdline;
	uint64_t mem_min;
	uint64_t mem_max;	/* inclusive, as kexec-tools; 0 = none */
	const char *sysroot;
	bool console_serial;
	uint16_t serial_port;	/* --serial I/O base, 0 = not given */
};

/* Parse argv; on error err says what was wrong (status KX_EUSAGE). */
int options_parse(int argc, char **argv, struct kexec_options *opts, struct kx_error *err);

void options_usage(FILE *out);

#endif /* KEXEC_OPTIONS_H */
