/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kexec --multikernel, one file per stage of a spawned kernel's life:
 *
 *   kexec-multikernel.c    the front door: preflight every action shares,
 *                          the checks more than one stage makes, dispatch
 *   multikernel-load.c     -l: a free part of the reservation, plan, load,
 *                          the "loaded" record
 *   multikernel-start.c    -e (and -f): claim the CPU, kick it, wait for
 *                          purgatory's proof of life, re-arm the host's serial
 *   multikernel-list.c     --list and -S: the records and the kernel's list
 *   multikernel-forget.c   -u and --forget: an image let go before its start,
 *                          the record of a kernel that died
 *   multikernel-dmesg.c    --dmesg: an instance's log, read from its memory
 *   multikernel-boot.c     after the jump: its init run, or its panic, from its log
 *
 * Every stage runs with the instance records open (and locked when it
 * writes them) by multikernel_dispatch().
 */
#ifndef KEXEC_X86_KEXEC_MULTIKERNEL_H
#define KEXEC_X86_KEXEC_MULTIKERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host-facts.h"
#include "mk-instance.h"
#include "multikernel-cmdline.h"
#include "options.h"
#include "status.h"

/* One row of /proc/multikernel. */
struct mk_image {
	char type[16];
	uint64_t entry;
	unsigned long segments;
};

/* The rows of /proc/multikernel, at most max of them. */
size_t mk_images(const struct host_facts *hf, struct mk_image *out, size_t max);

/* The first multikernel image listed, if any: the one the kernel would start. */
bool mk_loaded(const struct host_facts *hf, struct mk_image *first);

/* The CPU must exist, not be CPU 0, and be offline (or be offlined on request). */
int mk_check_cpu(const struct kexec_options *o, struct host_facts *hf, struct kx_error *err);

/* A CPU a running instance holds is not free, offline or not. */
int mk_check_cpu_free(const struct mk_registry *reg, int cpu, struct kx_error *err);

/* The I/O port the new kernel and its purgatory write to (--serial, or ttyS1). */
uint16_t mk_serial(const struct kexec_options *o);

/* The facts the default command line depends on (multikernel-cmdline.c). */
struct mk_cmdline_in mk_cmdline_facts(const struct kexec_options *o,
				      const struct host_facts *hf, uint32_t tsc_khz);

/* The stages; each returns 0 or -1 with err set (mk_list: -S's answer). */
int mk_load(const struct kexec_options *o, struct host_facts *hf, struct mk_registry *reg,
	    struct kx_error *err);
int mk_start(const struct kexec_options *o, struct host_facts *hf, struct mk_registry *reg,
	     struct kx_error *err);
int mk_list(const struct kexec_options *o, const struct host_facts *hf,
	    const struct mk_registry *reg);
int mk_unload(const struct kexec_options *o, struct mk_registry *reg, struct kx_error *err);
int mk_forget(const struct kexec_options *o, struct mk_registry *reg, struct kx_error *err);

/* --dmesg=N: print the instance's log (multikernel-dmesg.c); lets go of reg's lock first. */
int mk_dmesg(const struct kexec_options *o, const struct host_facts *hf,
	     struct mk_registry *reg, struct kx_error *err);

/* Is the image at path a Linux kernel whose log a start waits for (multikernel-boot.c)? */
bool mk_image_is_linux(const char *path);

struct mk_serial_rearm;

/*
 * After purgatory jumped to a Linux kernel, watch its log: re-arm the
 * host's open ports in rearm (may be NULL) right after its 8250 driver
 * registered its ports (the fixed schedule while the log cannot be read),
 * and wait up to --boot-wait from t0 (the kick) for its init run (0, one
 * line) or a panic (KX_EPANIC, its lines printed).  A log that cannot be
 * read is a note, and 0.
 */
int mk_boot_wait(const struct kexec_options *o, const struct host_facts *hf,
		 const struct mk_instance *in, struct mk_serial_rearm *rearm, double t0,
		 struct kx_error *err);

/* --list: each running instance's boot state and last log line (multikernel-list-log.c). */
void mk_list_logs(const struct host_facts *hf, const struct mk_registry *reg);

#endif /* KEXEC_X86_KEXEC_MULTIKERNEL_H */
