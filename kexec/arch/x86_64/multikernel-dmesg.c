// SPDX-License-Identifier: GPL-2.0-only
/*
 * kexec --multikernel --dmesg=N [--follow]: the kernel log of the instance
 * on CPU N, read from its own memory (multikernel-log.c), printed the way
 * its console prints it.  The instance records are read once, then let
 * go: a --follow that runs for days must not hold their lock.  It reads
 * its CPU's record file alone at each poll instead (written whole by a
 * rename, so no lock is needed to read it), and ends when the instance is
 * forgotten or replaced or its ring starts over: after a --forget the
 * same memory may hold the next kernel, whose log would otherwise pass
 * for the old one's.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

int mk_follow_changed(const struct mk_instance *was, const struct mk_instance *now,
		      const char *now_why, const struct prb_stats *st, uint64_t next_seq,
		      char *why, size_t size)
{
	char what[PATH_MAX + 96], cpus[MK_CPU_WORDS_MAX];

	mk_instance_cpu_words(was, cpus, sizeof(cpus));
	if (now_why) {
		snprintf(why, size, "%s's record cannot be read (%s): the instance may have "
			 "changed, so its log is no longer followed", cpus, now_why);
		return 1;
	}
	if (!now) {
		snprintf(why, size, "the instance on %s is no longer recorded (forgotten?): "
			 "its memory may hold another kernel next, so its log is no longer followed",
			 cpus);
		return 1;
	}
	/* The same start: the time of its kick, its digest, its status record, this boot. */
	if (now->started != was->started || strcmp(now->sha256, was->sha256) ||
	    now->status_addr != was->status_addr || strcmp(now->boot_id, was->boot_id)) {
		mk_instance_describe(now, what, sizeof(what));
		snprintf(why, size, "%s now run%s another instance, %s; its log is not the one "
			 "followed: 'kexec --multikernel --dmesg=%d' reads it", cpus,
			 was->nr_cpus > 1 ? "" : "s", what, was->cpu);
		return 1;
	}
	/*
	 * A kernel's seq only grows: a ring whose newest record is older than
	 * the last one printed is another boot's.  One record of slack: the
	 * newest may be reopened for a continuation line, and is then not
	 * complete for a moment.
	 */
	if (st && next_seq && st->have_newest && st->newest_seq + 2 < next_seq) {
		snprintf(why, size, "%s's log started over (its newest record is #%" PRIu64
			 ", #%" PRIu64 " was printed): another kernel runs in that memory now, so "
			 "its log is no longer followed", cpus, st->newest_seq, next_seq - 1);
		return 1;
	}
	return 0;
}

/* The CPU's record as it is now: 1 read, 0 none, -1 unreadable (why set). */
static int record_now(const char *path, struct mk_instance *out, char *why, size_t size)
{
	static char text[MK_RECORD_MAX];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	ssize_t n;

	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0) {
		snprintf(why, size, "%s: %s", path, strerror(errno));
		return -1;
	}
	n = read(fd, text, sizeof(text));
	close(fd);
	if (n < 0 || n == (ssize_t)sizeof(text)) {
		snprintf(why, size, "%s: %s", path, n < 0 ? strerror(errno) : "too large");
		return -1;
	}
	return mk_instance_parse(text, (size_t)n, out, why, size) ? -1 : 1;
}

/* One poll of --follow: has the instance changed?  -1 with err when it has. */
static int follow_check(const char *record, const struct mk_instance *was,
			const struct prb_stats *st, uint64_t next_seq, struct kx_error *err)
{
	static struct mk_instance now;
	static char why[PATH_MAX + 512];
	char now_why[200];
	int got = record_now(record, &now, now_why, sizeof(now_why));

	if (mk_follow_changed(was, got > 0 ? &now : NULL, got < 0 ? now_why : NULL, st,
			      next_seq, why, sizeof(why)))
		return kx_fail(err, KX_ECPU, "%s", why);
	return 0;
}

int mk_dmesg(const struct kexec_options *o, const struct host_facts *hf,
	     struct mk_registry *reg, struct kx_error *err)
{
	static struct mk_instance in;
	static struct mk_log lg;
	struct printer pr = { .style = o->dmesg_style };
	char record[PATH_MAX + 40];
	struct prb_stats st;
	double t0;
	int ret;

	if (instance_on(reg, o->cpu, &in, err))
		return -1;
	snprintf(record, sizeof(record), "%s/%s", reg->dir, in.file);
	mk_registry_close(reg);
	if (mk_log_map(&lg, hf->sysroot, &in, err))
		return -1;
	t0 = mk_status_now();
	ret = mk_log_find(&lg, err);
	if (ret == 0 && o->debug)
		fprintf(stderr, "kexec: %s: VMCOREINFO of kernel %s at 0x%llx; %llu pages "
			"scanned in %.3f s, %u note(s)\n", lg.cpus, lg.vi.osrelease,
			(unsigned long long)lg.note_addr, (unsigned long long)lg.pages_probed,
			lg.scan_s, lg.notes);
	else if (o->debug)
		fprintf(stderr, "kexec: %s: %llu pages scanned in %.3f s, %u VMCOREINFO "
			"note(s)\n", lg.cpus, (unsigned long long)lg.pages_probed, lg.scan_s,
			lg.notes);
	if (ret == 0)
		ret = mk_log_walk(&lg, 0, print_one, &pr, &st, err);
	if (ret == 0 && o->debug)
		fprintf(stderr, "kexec: %s: %lu records in %.3f s (%llu-byte text ring, %llu "
			"descriptors; skipped: %lu in flight, %lu given up, %lu corrupt, %lu "
			"unreadable; %lu page walks)\n", lg.cpus, pr.printed, mk_status_now() - t0,
			(unsigned long long)st.data_size, (unsigned long long)st.descs, st.in_flight,
			st.reusable, st.bad, st.unreadable, lg.vtop.walks);
	if (ret == 0 && o->follow) {
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
		while (!stop && ret == 0) {
			struct kx_error werr;

			fflush(stdout);
			nanosleep(&(struct timespec){ 0, FOLLOW_POLL_NS }, NULL);
			/*
			 * The record before and after the walk: a ring half
			 * overwritten by the next load is told as the instance's
			 * end, not as corruption.  A walk prints only records past
			 * the last one printed, which a kernel that started over
			 * has not reached yet: the check after it catches that.
			 */
			if (follow_check(record, &in, NULL, 0, err)) {
				ret = -1;
				break;
			}
			ret = mk_log_walk(&lg, pr.next_seq, print_one, &pr, &st, &werr);
			if (follow_check(record, &in, ret ? NULL : &st, pr.next_seq, err))
				ret = -1;
			else if (ret)
				ret = kx_fail(err, werr.status, "%s", werr.msg);
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
		char prefix[40], cpus[CPU_LIST_MAX * 6];

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
		/* Its CPUs as the table above names them. */
		mk_instance_cpu_list(in, cpus, sizeof(cpus));
		if (mk_log_find(&lg, &err) ||
		    mk_log_walk(&lg, 0, fold_signs, &b, &st, &err) < 0) {
			printf("%-4s  %-9s  (%s)\n", cpus, "unknown", err.msg);
		} else {
			mk_log_prefix(b.last_ts_nsec, prefix, sizeof(prefix));
			printf("%-4s  %-9s  %s%s\n", cpus,
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
