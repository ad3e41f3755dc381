/* SPDX-License-Identifier: GPL-2.0-only */
/* A running instance's log, read from its memory (multikernel-dmesg.c). */
#ifndef KEXEC_MULTIKERNEL_DMESG_H
#define KEXEC_MULTIKERNEL_DMESG_H

#include "host-facts.h"
#include "mk-instance.h"
#include "options.h"
#include "printk-ring.h"
#include "status.h"

/* --dmesg=N: print the instance's log; lets go of reg's lock first. */
int mk_dmesg(const struct kexec_options *o, const struct host_facts *hf,
	     struct mk_registry *reg, struct kx_error *err);

/*
 * Is the instance a --follow began with still the one it reads (pure)?
 * was: its record then; now: its CPU's record as read this poll, NULL
 * when there is none (--forget), or with now_why set when it could not be
 * read; st: this poll's walk of the ring (NULL: none); next_seq: the
 * next record the follower waits for (0: none printed yet).  0 when nothing changed; else
 * 1 with why the follow ends (another kernel's log must never be printed
 * as this one's).
 */
int mk_follow_changed(const struct mk_instance *was, const struct mk_instance *now,
		      const char *now_why, const struct prb_stats *st, uint64_t next_seq,
		      char *why, size_t size);

/* --list: each running instance's boot state and last log line. */
void mk_list_logs(const struct host_facts *hf, const struct mk_registry *reg);

#endif /* KEXEC_MULTIKERNEL_DMESG_H */
