// SPDX-License-Identifier: GPL-2.0-only
/*
 * kexec-tools' options, same names and meanings, parsed in one getopt_long
 * pass; plus --dry-run, --sysroot and the multikernel options.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmdline-params.h"
#include "legacy-uart.h"
#include "options.h"

enum {
	OPT_APPEND = 0x100, OPT_REUSE_CMDLINE, OPT_INITRD, OPT_MEM_MIN, OPT_MEM_MAX,
	OPT_DRY_RUN, OPT_SYSROOT, OPT_MULTIKERNEL, OPT_CPU, OPT_OFFLINE_CPU, OPT_LIST,
	OPT_CONSOLE_SERIAL, OPT_SERIAL, OPT_SERIAL_BAUD, OPT_PRESERVE_CONTEXT,
	OPT_JUMP_BACK_HELPER, OPT_ENTRY, OPT_REUSE_INITRD, OPT_PRINT_CKR_SIZE, OPT_HOTPLUG,
	OPT_NO_DEFAULT_PARAM, OPT_FORGET, OPT_START_WAIT, OPT_DMESG, OPT_BOOT_WAIT,
	OPT_PLAN_RESERVATION, OPT_WRITE_GRUB, OPT_DECODE, OPT_RAW,
	OPT_NOTED,	/* accepted for kexec-tools' callers; means nothing here (notes[]) */
};

/*
 * kexec-tools options that have no meaning for this loader, each with the
 * reason.  Accepted so that no calling script breaks; -d and --dry-run
 * print the reason.  The same lines are in kexec(8), OPTIONS.
 */
static const struct { const char *name, *why; } notes[] = {
	{ "args-linux",		"an ELF kernel always gets a Linux zero page" },
	{ "elf64-core-headers",	"the crash ELF core header is always ELF64" },
	{ "elf32-core-headers",	"the crash ELF core header is always ELF64 (ELF32 cannot "
				"describe RAM above 4 GiB); the capture kernel reads either" },
	{ "noefi",		"no EFI runtime data is ever passed; the new kernel gets the "
				"ACPI RSDP in its zero page" },
	{ "reset-vga",		"purgatory never touches VGA; use --console-serial" },
	{ "console-vga",	"purgatory never touches VGA; use --console-serial" },
	{ "reuse-video-type",	"the new kernel is given no video mode" },
	{ "real-mode",		"the kernel is always entered at its 64-bit entry point" },
	{ "entry-32bit",	"the kernel is always entered at its 64-bit entry point" },
	{ "pass-memmap-cmdline", "the capture kernel's memory map is in its zero page" },
};

static const struct option long_options[] = {
	{ "help",		no_argument,		NULL, 'h' },
	{ "version",		no_argument,		NULL, 'v' },
	{ "force",		no_argument,		NULL, 'f' },
	{ "no-checks",		no_argument,		NULL, 'i' },
	{ "no-ifdown",		no_argument,		NULL, 'x' },
	{ "no-sync",		no_argument,		NULL, 'y' },
	{ "load",		no_argument,		NULL, 'l' },
	{ "load-panic",		no_argument,		NULL, 'p' },
	{ "unload",		no_argument,		NULL, 'u' },
	{ "exec",		no_argument,		NULL, 'e' },
	{ "type",		required_argument,	NULL, 't' },
	{ "kexec-file-syscall",	no_argument,		NULL, 's' },
	{ "kexec-syscall",	no_argument,		NULL, 'c' },
	{ "kexec-syscall-auto",	no_argument,		NULL, 'a' },
	{ "debug",		no_argument,		NULL, 'd' },
	{ "status",		no_argument,		NULL, 'S' },
	{ "append",		required_argument,	NULL, OPT_APPEND },
	{ "command-line",	required_argument,	NULL, OPT_APPEND },
	{ "reuse-cmdline",	no_argument,		NULL, OPT_REUSE_CMDLINE },
	{ "initrd",		required_argument,	NULL, OPT_INITRD },
	{ "ramdisk",		required_argument,	NULL, OPT_INITRD },
	{ "mem-min",		required_argument,	NULL, OPT_MEM_MIN },
	{ "mem-max",		required_argument,	NULL, OPT_MEM_MAX },
	{ "dry-run",		no_argument,		NULL, OPT_DRY_RUN },
	{ "sysroot",		required_argument,	NULL, OPT_SYSROOT },
	{ "multikernel",	no_argument,		NULL, OPT_MULTIKERNEL },
	{ "cpu",		required_argument,	NULL, OPT_CPU },
	{ "offline-cpu",	no_argument,		NULL, OPT_OFFLINE_CPU },
	{ "list",		no_argument,		NULL, OPT_LIST },
	{ "no-default-param",	required_argument,	NULL, OPT_NO_DEFAULT_PARAM },
	{ "forget",		required_argument,	NULL, OPT_FORGET },
	{ "start-wait",		required_argument,	NULL, OPT_START_WAIT },
	{ "dmesg",		required_argument,	NULL, OPT_DMESG },
	{ "follow",		no_argument,		NULL, 'w' },
	{ "decode",		no_argument,		NULL, OPT_DECODE },
	{ "raw",		no_argument,		NULL, OPT_RAW },
	{ "boot-wait",		required_argument,	NULL, OPT_BOOT_WAIT },
	{ "plan-reservation",	required_argument,	NULL, OPT_PLAN_RESERVATION },
	{ "write-grub",		no_argument,		NULL, OPT_WRITE_GRUB },
	{ "console-serial",	no_argument,		NULL, OPT_CONSOLE_SERIAL },
	{ "serial",		required_argument,	NULL, OPT_SERIAL },
	{ "serial-baud",	required_argument,	NULL, OPT_SERIAL_BAUD },
	{ "load-preserve-context", no_argument,	NULL, OPT_PRESERVE_CONTEXT },
	{ "load-jump-back-helper", no_argument,	NULL, OPT_JUMP_BACK_HELPER },
	{ "entry",		required_argument,	NULL, OPT_ENTRY },
	{ "reuseinitrd",	no_argument,		NULL, OPT_REUSE_INITRD },
	{ "print-ckr-size",	no_argument,		NULL, OPT_PRINT_CKR_SIZE },
	{ "hotplug",		no_argument,		NULL, OPT_HOTPLUG },
	{ "args-linux",		no_argument,		NULL, OPT_NOTED },
	{ "elf64-core-headers",	no_argument,		NULL, OPT_NOTED },
	{ "elf32-core-headers",	no_argument,		NULL, OPT_NOTED },
	{ "noefi",		no_argument,		NULL, OPT_NOTED },
	{ "reset-vga",		no_argument,		NULL, OPT_NOTED },
	{ "console-vga",	no_argument,		NULL, OPT_NOTED },
	{ "reuse-video-type",	no_argument,		NULL, OPT_NOTED },
	{ "real-mode",		no_argument,		NULL, OPT_NOTED },
	{ "entry-32bit",	no_argument,		NULL, OPT_NOTED },
	{ "pass-memmap-cmdline", no_argument,		NULL, OPT_NOTED },
	{ NULL, 0, NULL, 0 },
};

const char *options_note(const char *name)
{
	for (size_t i = 0; i < sizeof(notes) / sizeof(notes[0]); i++)
		if (strcmp(notes[i].name, name) == 0)
			return notes[i].why;
	return NULL;
}

void options_usage(FILE *out)
{
	fputs("Usage:\n"
	      " kexec [options] -l|-p|-f kernel [--initrd=FILE] [--append=STRING]\n"
	      " kexec [options] -e|-u|-S\n"
	      " kexec --multikernel --cpu=LIST [-l|-e] [options] [kernel]\n"
	      "\n"
	      "Load a new kernel and boot it, now, later, on panic, or on an offline CPU.\n"
	      "\n"
	      "Actions:\n"
	      " -l, --load                 load the kernel for a later 'kexec -e'\n"
	      " -p, --load-panic           load the kernel to run when this one panics\n"
	      " -e, --exec                 boot the loaded kernel now\n"
	      " -f, --force                load and boot at once, without shutdown(8)\n"
	      " -u, --unload               unload the loaded kernel (with -p: the panic kernel)\n"
	      " -S, --status               exit 1 if a kernel of the type (default: panic,\n"
	      "                              -l: normal) is loaded, 0 if not\n"
	      "     (none)                 load, then run 'shutdown -r now'\n"
	      "\n"
	      "Image and command line:\n"
	      "     --append=STRING        the command line (the last one given wins)\n"
	      "     --command-line=STRING  same as --append\n"
	      "     --reuse-cmdline        start from this kernel's command line, then --append\n"
	      "     --initrd=FILE          initial ramdisk (also --ramdisk)\n"
	      "     --reuseinitrd          check this kernel kept its initrd (retain_initrd)\n"
	      " -t, --type=TYPE            image type: bzImage64 (or bzImage) or elf-x86_64\n"
	      "\n"
	      "Loading:\n"
	      "     --mem-min=ADDR         lowest physical address to load at\n"
	      "     --mem-max=ADDR         highest physical address to load at\n"
	      " -i, --no-checks            purgatory skips the sha256 check of the segments\n"
	      " -s, --kexec-file-syscall   use only kexec_file_load(2) (the kernel lays it out)\n"
	      " -c, --kexec-syscall        use only kexec_load(2)\n"
	      " -a, --kexec-syscall-auto   kexec_file_load(2), falling back to kexec_load(2)\n"
	      "                              if the kernel cannot do it (the default)\n"
	      "     --hotplug              with -p: the kernel may update the ELF core header\n"
	      "     --load-preserve-context  load for a kexec jump back (needs --mem-max)\n"
	      "     --load-jump-back-helper  load the jump-back entry (--entry=ADDR)\n"
	      "     --print-ckr-size       print the crash kernel region's size in bytes\n"
	      "     --console-serial       purgatory reports on a serial port\n"
	      "     --serial=PORT          that port: ttyS0..ttyS3 or an I/O address (0x3f8)\n"
	      "     --dry-run              plan the load, print the segment table, touch nothing\n"
	      " -d, --debug                print the segment table on a real load too\n"
	      " -x, --no-ifdown            do not bring network interfaces down before -e\n"
	      " -y, --no-sync              do not sync filesystems before -e\n"
	      "\n"
	      "Multikernel (a second kernel on an offline CPU; the host keeps running):\n"
	      "     --multikernel          load into the memmap= reservation and start it on --cpu\n"
	      "     --cpu=LIST             the offline CPUs it gets (1, 1-2, 1,3); it starts on\n"
	      "                              the first and starts the others itself\n"
	      "     --offline-cpu          offline those CPUs first if they are online\n"
	      "     --list                 show running instances and loaded images\n"
	      "     --start-wait=SECONDS   wait this long for purgatory's sign of life\n"
	      "                              (default 2, 0: do not wait)\n"
	      "     --boot-wait=SECONDS    after the jump, wait this long (from the kick) for\n"
	      "                              the new kernel's log to show its init run or a\n"
	      "                              panic (default 30, 0: do not wait)\n"
	      "     --dmesg=N              print the kernel log of the instance on CPU N\n"
	      " -w, --follow               with --dmesg: keep printing new lines\n"
	      "     --decode               with --dmesg: prefix each line with its facility\n"
	      "                              and level, as 'dmesg -x' does (kern  :info  : )\n"
	      "     --raw                  with --dmesg: prefix each line with <N>, facility\n"
	      "                              * 8 + level, as 'dmesg -r' does\n"
	      "     --forget=N             drop the record of the instance on CPU N, known dead\n"
	      "     --plan-reservation=N,SIZE\n"
	      "                            print the memmap= words that set aside memory for\n"
	      "                              N instances of SIZE on this machine\n"
	      "     --write-grub           with --plan-reservation: write them to\n"
	      "                              /etc/default/grub.d/kexec-multikernel.cfg\n"
	      "     --no-default-param=NAME\n"
	      "                            leave the default word NAME (or NAME=...) off the\n"
	      "                              new kernel's command line (repeatable)\n"
	      "\n"
	      " -h, --help                 display this help\n"
	      " -v, --version              display version\n"
	      "\n"
	      "For more details see kexec(8).\n", out);
}

static int parse_addr(const char *opt, const char *arg, uint64_t *out, struct kx_error *err)
{
	const char *end;

	if (cmdline_parse_size(arg, &end, out) || *end)
		return kx_fail(err, KX_EUSAGE, "invalid %s value '%s': give an address like "
			       "0x1000000 or 16M", opt, arg);
	return 0;
}

static int parse_serial(const char *arg, uint16_t *port, struct kx_error *err)
{
	char *end;
	unsigned long v;

	if (strncasecmp(arg, "ttyS", 4) == 0 && arg[4] >= '0' && arg[4] < '0' + LEGACY_UARTS &&
	    !arg[5]) {
		*port = legacy_uart_io[arg[4] - '0'];
		return 0;
	}
	v = strtoul(arg, &end, 0);
	if (end == arg || *end || v == 0 || v > 0xfff8)
		return kx_fail(err, KX_EUSAGE, "invalid --serial value '%s': give ttyS0..ttyS3 or "
			       "an I/O port such as 0x3f8", arg);
	*port = (uint16_t)v;
	return 0;
}

static int parse_cpu(const char *arg, int *cpu, struct kx_error *err)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (end == arg || *end || v < 0 || v > 65535)
		return kx_fail(err, KX_EUSAGE, "invalid --cpu value '%s': give a logical CPU "
			       "number as in /sys/devices/system/cpu/cpuN", arg);
	*cpu = (int)v;
	return 0;
}

/*
 * --cpu=LIST ("1", "1-2", "1,3"): the instance's CPUs, in the sysfs list
 * form; the lowest is the one the kick starts.
 */
static int parse_cpu_list(const char *arg, struct kexec_options *o, struct kx_error *err)
{
	struct cpu_set set;
	size_t n;

	if (!*arg || cpu_set_parse(arg, &set) || strpbrk(arg, " \t\n"))
		return kx_fail(err, KX_EUSAGE, "invalid --cpu value '%s': give logical CPU "
			       "numbers as in /sys/devices/system/cpu/cpuN, e.g. 1 or 1-2 or 1,3", arg);
	n = cpu_set_members(&set, o->cpus, CPU_LIST_MAX);
	if (n > CPU_LIST_MAX)
		return kx_fail(err, KX_EUSAGE, "--cpu=%s names %zu CPUs; an instance takes at most %d",
			       arg, n, CPU_LIST_MAX);
	o->nr_cpus = n;
	o->cpu = o->cpus[0];
	return 0;
}

/* Seconds with up to three decimals, kept as milliseconds; at most an hour. */
static int parse_wait(const char *opt, const char *arg, unsigned int *ms, struct kx_error *err)
{
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || *end || !(v >= 0 && v <= 3600))
		return kx_fail(err, KX_EUSAGE, "invalid %s value '%s': give seconds "
			       "from 0 to 3600, e.g. 2 or 0.5", opt, arg);
	*ms = (unsigned int)(v * 1000 + 0.5);
	return 0;
}

/* "N,SIZE": a count and a size with memparse's suffixes (2,256M).  The planner judges them. */
static int parse_plan(const char *arg, struct kexec_options *o, struct kx_error *err)
{
	const char *end;
	char *comma;
	unsigned long n = strtoul(arg, &comma, 10);

	if (comma == arg || *comma != ',' || arg[0] == '-' || n > 1000000 ||
	    cmdline_parse_size(comma + 1, &end, &o->plan_size) || *end)
		return kx_fail(err, KX_EUSAGE, "invalid --plan-reservation value '%s': give the "
			       "number of instances and the size of each, e.g. 2,256M", arg);
	o->plan_instances = (unsigned int)n;
	return 0;
}

static void set_action(struct kexec_options *o, enum kx_action a)
{
	/* -S supersedes the others, as in kexec-tools. */
	if (o->action != ACT_STATUS)
		o->action = a;
	o->action_given = true;
}

/* --decode and --raw are two answers to one question: give one. */
static int set_dmesg_style(struct kexec_options *o, enum kx_dmesg_style style,
			   struct kx_error *err)
{
	if (o->dmesg_style != DMESG_PLAIN && o->dmesg_style != style)
		return kx_fail(err, KX_EUSAGE, "--decode and --raw cannot be combined: give one");
	o->dmesg_style = style;
	return 0;
}

static int parse_one(int c, const char *arg, struct kexec_options *o, struct kx_error *err)
{
	switch (c) {
	case 'h': o->action = ACT_HELP; return 1;
	case 'v': o->action = ACT_VERSION; return 1;
	case 'l': set_action(o, ACT_LOAD); o->saw_load = true; break;
	/* -p only names the panic kernel for a -u given before it: order never matters. */
	case 'p': if (o->action != ACT_UNLOAD) set_action(o, ACT_LOAD); o->panic = true; break;
	case 'e': set_action(o, ACT_EXEC); break;
	case 'f': set_action(o, ACT_FORCE); break;
	case 'u': set_action(o, ACT_UNLOAD); break;
	case 'S': o->action = ACT_STATUS; o->action_given = true; break;
	case OPT_LIST: set_action(o, ACT_LIST); break;
	case OPT_FORGET: set_action(o, ACT_FORGET); return parse_cpu(arg, &o->cpu, err);
	case OPT_START_WAIT:
		o->start_wait_given = true;
		return parse_wait("--start-wait", arg, &o->start_wait_ms, err);
	case OPT_BOOT_WAIT:
		o->boot_wait_given = true;
		return parse_wait("--boot-wait", arg, &o->boot_wait_ms, err);
	case OPT_DMESG: set_action(o, ACT_DMESG); return parse_cpu(arg, &o->cpu, err);
	case 'w': o->follow = true; break;
	case OPT_DECODE: return set_dmesg_style(o, DMESG_DECODE, err);
	case OPT_RAW: return set_dmesg_style(o, DMESG_RAW, err);
	case OPT_PLAN_RESERVATION: set_action(o, ACT_PLAN_RESERVATION); return parse_plan(arg, o, err);
	case OPT_WRITE_GRUB: o->write_grub = true; break;
	case 'i': o->no_checks = true; break;
	case 'x': o->no_ifdown = true; break;
	case 'y': o->no_sync = true; break;
	case 'd': o->debug = true; break;
	case 't': o->type = arg; break;
	case 's': o->syscall = SYSCALL_FILE_LOAD; break;
	case 'c': o->syscall = SYSCALL_KEXEC_LOAD; break;
	case 'a': o->syscall = SYSCALL_AUTO; break;
	case OPT_APPEND:
		/* The last one wins, as in kexec-tools: scripts override a default this way. */
		o->have_cmdline = true;
		if (strlen(arg) >= sizeof(o->append))
			return kx_fail(err, KX_ECMDLINE, "--append: the command line exceeds %d bytes",
				       KX_CMDLINE_MAX - 1);
		strcpy(o->append, arg);
		break;
	case OPT_REUSE_CMDLINE: o->reuse_cmdline = true; break;
	case OPT_INITRD: o->initrd_path = arg; break;
	case OPT_MEM_MIN: return parse_addr("--mem-min", arg, &o->mem_min, err);
	case OPT_MEM_MAX: return parse_addr("--mem-max", arg, &o->mem_max, err);
	case OPT_DRY_RUN: o->dry_run = true; break;
	case OPT_SYSROOT: o->sysroot = arg; break;
	case OPT_MULTIKERNEL: o->multikernel = true; break;
	case OPT_CPU: return parse_cpu_list(arg, o, err);
	case OPT_OFFLINE_CPU: o->offline_cpu = true; break;
	case OPT_NO_DEFAULT_PARAM:
		if (!*arg || o->nr_no_default_param == KX_MAX_NO_DEFAULT)
			return kx_fail(err, KX_EUSAGE, "--no-default-param: give one default word "
				       "per option, at most %d", KX_MAX_NO_DEFAULT);
		o->no_default_param[o->nr_no_default_param++] = arg;
		break;
	case OPT_CONSOLE_SERIAL: o->console_serial = true; break;
	case OPT_SERIAL: o->console_serial = true; return parse_serial(arg, &o->serial_port, err);
	case OPT_SERIAL_BAUD: break;	/* purgatory always runs the port at 115200 */
	case OPT_PRESERVE_CONTEXT: set_action(o, ACT_LOAD); o->preserve_context = true; break;
	case OPT_JUMP_BACK_HELPER: set_action(o, ACT_JUMP_BACK_HELPER); break;
	case OPT_ENTRY: o->have_entry = true; return parse_addr("--entry", arg, &o->entry, err);
	case OPT_REUSE_INITRD: o->reuse_initrd = true; break;
	case OPT_PRINT_CKR_SIZE: o->action = ACT_PRINT_CKR_SIZE; return 1;
	case OPT_HOTPLUG: o->hotplug = true; break;
	case OPT_NOTED: break;
	default:
		return kx_fail(err, KX_EUSAGE, "unknown option");	/* replaced by the caller */
	}
	return 0;
}

static int check_combination(struct kexec_options *o, struct kx_error *err)
{
	bool needs_kernel = o->action == ACT_LOAD || o->action == ACT_FORCE ||
			    o->action == ACT_LOAD_SHUTDOWN;

	if (o->action == ACT_HELP || o->action == ACT_VERSION || o->action == ACT_STATUS)
		return 0;
	if (o->action == ACT_JUMP_BACK_HELPER && o->kernel_path)
		return kx_fail(err, KX_EUSAGE, "unexpected argument '%s': --load-jump-back-helper "
			       "loads no kernel", o->kernel_path);
	if (!o->multikernel && o->action == ACT_PLAN_RESERVATION)
		return kx_fail(err, KX_EUSAGE, "--plan-reservation needs --multikernel");
	if (o->write_grub && o->action != ACT_PLAN_RESERVATION)
		return kx_fail(err, KX_EUSAGE, "--write-grub goes with --plan-reservation=N,SIZE");
	/* "kexec --multikernel --cpu=N FILE": load and start, the common case. */
	if (o->multikernel && !o->action_given)
		o->action = ACT_FORCE;
	if (needs_kernel && !o->kernel_path)
		return kx_fail(err, KX_EUSAGE, "no kernel image given");
	if (!needs_kernel && o->kernel_path && o->action != ACT_LOAD)
		return kx_fail(err, KX_EUSAGE, "unexpected argument '%s'", o->kernel_path);
	if (o->multikernel && o->panic)
		return kx_fail(err, KX_EUSAGE, "--multikernel and -p cannot be combined");
	if (o->multikernel && o->cpu < 0 && (o->action == ACT_EXEC || o->action == ACT_FORCE))
		return kx_fail(err, KX_EUSAGE, "--multikernel needs --cpu=N to start a kernel");
	if (!o->multikernel && (o->cpu >= 0 || o->offline_cpu || o->action == ACT_LIST ||
				o->nr_no_default_param || o->action == ACT_FORGET ||
				o->start_wait_given || o->action == ACT_DMESG || o->boot_wait_given))
		return kx_fail(err, KX_EUSAGE, "--cpu, --offline-cpu, --list, --forget, "
			       "--start-wait, --boot-wait, --dmesg and --no-default-param need "
			       "--multikernel");
	if (o->follow && o->action != ACT_DMESG)
		return kx_fail(err, KX_EUSAGE, "--follow goes with --dmesg=N");
	if (o->dmesg_style != DMESG_PLAIN && o->action != ACT_DMESG)
		return kx_fail(err, KX_EUSAGE, "--decode and --raw go with --dmesg=N");
	if (o->multikernel && o->syscall == SYSCALL_FILE_LOAD)
		return kx_fail(err, KX_EUSAGE, "--multikernel uses kexec_load(2); drop -s");
	/* A recorded machine's layout must never reach this kernel. */
	if (o->sysroot && !o->dry_run && o->action != ACT_LIST && o->action != ACT_DMESG &&
	    o->action != ACT_PLAN_RESERVATION)
		return kx_fail(err, KX_EUSAGE, "--sysroot replays a recorded machine; it needs "
			       "--dry-run (or --list, --dmesg, --plan-reservation)");
	if (o->mem_max && o->mem_max < o->mem_min)
		return kx_fail(err, KX_EUSAGE, "--mem-max is below --mem-min");
	/* The old kernel's memory above it survives for the jump back (kexec-tools' rule). */
	if (o->preserve_context && o->action == ACT_LOAD && !o->mem_max)
		return kx_fail(err, KX_EUSAGE, "--load-preserve-context needs --mem-max: the memory "
			       "the new kernel may use");
	if ((o->preserve_context || o->action == ACT_JUMP_BACK_HELPER) &&
	    o->syscall == SYSCALL_FILE_LOAD)
		return kx_fail(err, KX_EUSAGE, "kexec_file_load(2) cannot preserve context; drop -s");
	if ((o->preserve_context || o->action == ACT_JUMP_BACK_HELPER) && (o->panic || o->multikernel))
		return kx_fail(err, KX_EUSAGE, "--load-preserve-context and --load-jump-back-helper "
			       "cannot be combined with -p or --multikernel");
	if (o->hotplug && !o->panic && o->action == ACT_LOAD)
		return kx_fail(err, KX_EUSAGE, "--hotplug is for a panic kernel; add -p");
	return 0;
}

/* getopt's '?' (unknown option) or ':' (missing argument), worded like util-linux. */
static int bad_option(int c, int argc, char **argv, struct kx_error *err)
{
	const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
	bool short_opt = optopt > 0 && optopt < 0x100;	/* long options report their val */

	if (c == ':')
		return short_opt ? kx_fail(err, KX_EUSAGE, "option requires an argument -- '%c'", optopt)
			      : kx_fail(err, KX_EUSAGE, "option '%s' requires an argument", arg);
	return short_opt ? kx_fail(err, KX_EUSAGE, "invalid option -- '%c'", optopt)
		      : kx_fail(err, KX_EUSAGE, "unrecognized option '%s'", arg);
}

/* Keep each accepted-but-meaningless option once, however often it is given. */
static void note_option(struct kexec_options *o, const char *name)
{
	for (size_t i = 0; i < o->nr_noted; i++)
		if (o->noted[i] == name)
			return;
	if (o->nr_noted < KX_MAX_NOTED)
		o->noted[o->nr_noted++] = name;
}

int options_parse(int argc, char **argv, struct kexec_options *o, struct kx_error *err)
{
	int c, idx = 0;

	memset(o, 0, sizeof(*o));
	o->cpu = -1;
	o->start_wait_ms = 2000;
	o->boot_wait_ms = MK_BOOT_WAIT_DEFAULT_MS;
	o->action = ACT_LOAD_SHUTDOWN;
	/* 0, not 1: glibc and musl then also drop a half-scanned "-abc" group
	 * (and the argv it points into) left by an earlier parse that failed. */
	optind = 0;	/* 0, not 1: a full reset of glibc's getopt between calls */
	opterr = 0;	/* we word the errors: "kexec: ...", whatever argv[0] is */
	while ((c = getopt_long(argc, argv, ":hvfixylpuet:scadSw", long_options, &idx)) != -1) {
		int r;

		if (c == '?' || c == ':')
			return bad_option(c, argc, argv, err);
		if (c == OPT_NOTED)
			note_option(o, long_options[idx].name);
		r = parse_one(c, optarg, o, err);

		if (r < 0)
			return -1;
		if (r > 0)
			return 0;	/* --help / --version: nothing else matters */
	}
	if (optind < argc)
		o->kernel_path = argv[optind++];
	if (optind < argc)
		return kx_fail(err, KX_EUSAGE, "unexpected argument '%s'", argv[optind]);
	return check_combination(o, err);
}
