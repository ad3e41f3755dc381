/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An ordinary kexec reboot ends every running multikernel instance: the
 * next kernel starts every CPU it finds (resetting the instance's) and,
 * on hosts with a firmware memory map, takes the reservation as RAM.
 * So ordinary loads and reboots are refused while a record says an
 * instance holds a CPU; a crash kernel (-p) is not (it boots only after
 * this host has died, and kdump tools give it one CPU).
 */
#ifndef KEXEC_INSTANCE_GUARD_H
#define KEXEC_INSTANCE_GUARD_H

#include "host-facts.h"
#include "status.h"

/* 0, or KX_EINSTANCE naming the instance (or the damaged record) in the way. */
int instance_guard_reboot(const struct host_facts *hf, struct kx_error *err);

#endif /* KEXEC_INSTANCE_GUARD_H */
