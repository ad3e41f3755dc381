/* SPDX-License-Identifier: GPL-2.0-only */
/* A crash kernel through kexec_load (-p without -s; kexec-crash.c). */
#ifndef KEXEC_X86_KEXEC_CRASH_H
#define KEXEC_X86_KEXEC_CRASH_H

#include "host-facts.h"
#include "load-pipeline.h"
#include "options.h"
#include "status.h"

/* Load the crash kernel; in is opened, its command line composed. */
int crash_load(const struct kexec_options *o, const struct host_facts *hf,
	       const struct loaded_inputs *in, struct kx_error *err);

#endif /* KEXEC_X86_KEXEC_CRASH_H */
