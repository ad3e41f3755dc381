/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kexec --multikernel, one file per stage of a spawned kernel's life:
 *
 *   kexec-multikernel.c    the front door: preflight every action shares,
 *                          dispatch to a stage
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
 * and below the stages, what more than one of them uses:
 *
 *   multikernel-rules.c    the preconditions of a load and a start, one
 *                          named rule each, in one table
 *   multikernel-cpu.c      taking its CPU: offlining it on request
 *   multikernel-cmdline.c  its console port and default command line
 *   multikernel-memory.c   a free part of the reservation and low memory
 *   multikernel-serial.c   the host's serial ports it resets, re-armed
 *   multikernel-status.c   purgatory's status record
 *   multikernel-log.c      its memory and its kernel log
 *   kexec/mk-images.c      the kernel's list of loaded images
 *   kexec/mk-instance.c    the instance records under /run/kexec-mk
 *
 * Every stage runs with the instance records open (and locked when it
 * writes them) by multikernel_dispatch(); each has a header of its own.
 */
#ifndef KEXEC_X86_KEXEC_MULTIKERNEL_H
#define KEXEC_X86_KEXEC_MULTIKERNEL_H

#include "host-facts.h"
#include "options.h"
#include "status.h"

/* Every --multikernel action: load, start, unload, list, status, forget, dmesg. */
int multikernel_dispatch(const struct kexec_options *o, struct host_facts *hf,
			 struct kx_error *err);

#endif /* KEXEC_X86_KEXEC_MULTIKERNEL_H */
