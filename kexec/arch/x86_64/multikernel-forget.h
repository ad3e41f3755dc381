/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kexec -u --multikernel and --forget: the end of a spawned kernel's
 * record (multikernel-forget.c).
 */
#ifndef KEXEC_MULTIKERNEL_FORGET_H
#define KEXEC_MULTIKERNEL_FORGET_H

#include "mk-instance.h"
#include "multikernel-abi.h"
#include "options.h"
#include "status.h"

/* Unload an image never started (running instances are not touched); 0 or -1. */
int mk_unload(const struct kexec_options *o, const struct mk_abi *abi, struct mk_registry *reg,
	      struct kx_error *err);

/* Drop the record of the instance on --forget's CPU; 0 or -1. */
int mk_forget(const struct kexec_options *o, struct mk_registry *reg, struct kx_error *err);

#endif /* KEXEC_MULTIKERNEL_FORGET_H */
