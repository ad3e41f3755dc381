// SPDX-License-Identifier: GPL-2.0-only
/*
 * kexec --multikernel --dmesg=N [--follow]: the kernel log of the instance
 * on CPU N, read from its own memory (multikernel-log.c), printed the way
 * its console prints it.  The instance records are read once, then let
 * go: a --follow that runs for days must not hold their lock.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "boot-signs.h"
#include "multikernel-dmesg.h"
#include "multikernel-log.h"
#include "multikernel-status.h"

/* How often --follow looks again: a human reading, not a benchmark. */
#define FOLLOW_POLL_NS 250000000L

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct printer {
	enum kx_dmesg_style style;
	uint64_t next_seq;
	unsigned long printed;
};

static int print_one(void *ctx, const struct printk_record *rec)
{
	struct printer *p = ctx;

	mk_log_print(stdout, rec, p->style);
	p->next_seq = rec->seq + 1;
	p->printed++;
	return 0;
}

/* The started instance on cpu, copied out of the records. */
static int instance_on(const struct mk_registry *reg, int cpu, struct mk_instance *out,
		       struct kx_error *err)
{
	const struct mk_instance *in = mk_registry_cpu_holder(reg, cpu);

	if (!in)
		return kx_fail(err, KX_ECPU, "no instance recorded on CPU %d; "
			       "'kexec --multikernel --list' shows them", cpu);
	*out = *in;
	return 0;
}

int mk_dmesg(const struct kexec_options *o, const struct host_facts *hf,
	     struct mk_registry *reg, struct kx_error *err)
{
	static struct mk_instance in;
	static struct mk_log lg;
	struct printer pr = { .style = o->dmesg_style };
	struct prb_stats st;
	double t0;
	int ret;

	if (instance_on(reg, o->cpu, &in, err))
		return -1;
	mk_registry_close(reg);
	if (mk_log_map(&lg, hf->sysroot, &in, err))
		return -1;
	t0 = mk_status_now();
	ret = mk_log_find(&lg, in.cpu, err);
	if (ret == 0 && o->debug)
		fprintf(stderr, "kexec: CPU %d: VMCOREINFO of kernel %s at 0x%llx; %llu pages "
			"scanned in %.3f s, %u note(s)\n", in.cpu, lg.vi.osrelease,
			(unsigned long long)lg.note_addr, (unsigned long long)lg.pages_probed,
			lg.scan_s, lg.notes);
	else if (o->debug)
		fprintf(stderr, "kexec: CPU %d: %llu pages scanned in %.3f s, %u VMCOREINFO "
			"note(s)\n", in.cpu, (unsigned long long)lg.pages_probed, lg.scan_s,
			lg.notes);
	if (ret == 0)
		ret = mk_log_walk(&lg, 0, print_one, &pr, &st, err);
	if (ret == 0 && o->debug)
		fprintf(stderr, "kexec: CPU %d: %lu records in %.3f s (%llu-byte text ring, %llu "
			"descriptors; skipped: %lu in flight, %lu given up, %lu corrupt, %lu "
			"unreadable; %lu page walks)\n", in.cpu, pr.printed, mk_status_now() - t0,
			(unsigned long long)st.data_size, (unsigned long long)st.descs, st.in_flight,
			st.reusable, st.bad, st.unreadable, lg.vtop.walks);
	if (ret == 0 && o->follow) {
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
		while (!stop && ret == 0) {
			fflush(stdout);
			nanosleep(&(struct timespec){ 0, FOLLOW_POLL_NS }, NULL);
			ret = mk_log_walk(&lg, pr.next_seq, print_one, &pr, &st, err);
		}
	}
	mk_log_close(&lg);
	return ret;
}

/* An instance whose kernel may be running: started, not failed, not stale. */
static bool may_run(const struct mk_instance *in)
{
	return in->cpu >= 0 && !in->stale && in->state != MK_FAILED && in->state != MK_LOADED;
}

static int fold_signs(void *ctx, const struct printk_record *rec)
{
	boot_signs_add(ctx, rec);
	return 0;
}

void mk_list_logs(const struct host_facts *hf, const struct mk_registry *reg)
{
	static struct boot_signs b;
	static struct mk_log lg;
	bool header = false;

	for (size_t i = 0; i < reg->nr; i++) {
		const struct mk_instance *in = &reg->inst[i];
		struct kx_error err;
		struct prb_stats st;
		char prefix[40];

		if (!may_run(in))
			continue;
		if (!header)
			printf("\n%-4s  %-9s  %s\n", "CPU", "BOOT", "LAST LOG LINE");
		header = true;
		/* One refusal says it for all: /dev/mem is closed to every instance alike. */
		if (mk_log_map(&lg, hf->sysroot, in, &err)) {
			printf("(logs not shown: %s)\n", err.msg);
			return;
		}
		memset(&b, 0, sizeof(b));
		if (mk_log_find(&lg, in->cpu, &err) ||
		    mk_log_walk(&lg, 0, fold_signs, &b, &st, &err) < 0) {
			printf("%-4d  %-9s  (%s)\n", in->cpu, "unknown", err.msg);
		} else {
			mk_log_prefix(b.last_ts_nsec, prefix, sizeof(prefix));
			printf("%-4d  %-9s  %s%s\n", in->cpu,
			       b.panicked ? "panicked" : b.init_run && !b.init_failed ? "init" :
			       "booting", b.have_last ? prefix : "", b.have_last ? b.last : "(empty)");
			/* Its 8250 driver came after kexec's watch: ports it reset stayed so. */
			for (unsigned int p = 0; b.serial_late && p < 4; p++)
				if (b.serial_ports & (1u << p))
					printf("      note: its 8250 driver registered ttyS%u after its "
					       "init ran, after kexec had re-armed the host's ports; if "
					       "the host's ttyS%u stopped answering: 'stty -F "
					       "/dev/ttyS%u ignpar; stty -F /dev/ttyS%u -ignpar'\n", p,
					       p, p, p);
		}
		mk_log_close(&lg);
	}
}
