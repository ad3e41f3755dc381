/* SPDX-License-Identifier: GPL-2.0-only */
/* kexec --list --multikernel and -S --multikernel (multikernel-list.c). */
#ifndef KEXEC_MULTIKERNEL_LIST_H
#define KEXEC_MULTIKERNEL_LIST_H

#include "host-facts.h"
#include "mk-instance.h"
#include "options.h"

/* Print the records beside the kernel's list; returns -S's answer (0 for --list). */
int mk_list(const struct kexec_options *o, const struct host_facts *hf,
	    const struct mk_registry *reg);

#endif /* KEXEC_MULTIKERNEL_LIST_H */
