// SPDX-License-Identifier: GPL-2.0-only
/*
 * Confirmation past purgatory: after "purgatory jumped", the start waits
 * (--boot-wait, from the kick) until the new kernel's own log shows its
 * init run ("booted to /init") or a panic or oops (exit KX_EPANIC, the
 * panic's lines printed).  The log is read from the instance's memory
 * (multikernel-log.c); where it cannot be (no /dev/mem, lockdown, a kernel
 * without VMCOREINFO), purgatory's word stands and one line says why.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "boot-signs.h"
#include "multikernel-boot.h"
#include "multikernel-log.h"
#include "multikernel-serial.h"
#include "multikernel-status.h"

/* VMCOREINFO appears at a subsys_initcall, a while after the jump: look again this often. */
#define SCAN_POLL_NS 200000000L
#define LOG_POLL_NS 100000000L
/*
 * "Run /init as init process" is printed before the exec; an exec that
 * fails says so (or panics) within milliseconds.  Without a later line,
 * the init counts as run this long after the line was seen.
 */
#define INIT_GRACE_S 0.5
/* After a panic's first line, the rest of its report (trace, end marker) has this long. */
#define PANIC_TAIL_S 0.5

/*
 * Linux images only: a bzImage ("HdrS" at 0x202) or a PE image (a UKI,
 * "MZ").  An ELF image is as often a bare payload with no log to wait for.
 */
bool mk_image_is_linux(const char *path)
{
	unsigned char h[0x206];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : pread(fd, h, sizeof(h), 0);

	if (fd >= 0)
		close(fd);
	if (n >= 2 && h[0] == 'M' && h[1] == 'Z')
		return true;
	return n == (ssize_t)sizeof(h) && memcmp(h + 0x202, "HdrS", 4) == 0;
}

static int fold(void *ctx, const struct printk_record *rec)
{
	boot_signs_add(ctx, rec);
	return 0;
}

static void sleep_ns(long ns)
{
	nanosleep(&(struct timespec){ ns / 1000000000L, ns % 1000000000L }, NULL);
}

static int report_panic(const struct mk_instance *in, const struct boot_signs *b, double at,
			struct kx_error *err)
{
	char cpus[MK_CPU_WORDS_MAX];

	mk_instance_cpu_words(in, cpus, sizeof(cpus));
	printf("multikernel: %s's log shows a %s (seen %.2f s after the kick):\n", cpus,
	       b->panic_line ? "panic" : "kernel oops", at);
	for (size_t i = 0; i < b->nr_panic; i++)
		printf("  %s\n", b->panic[i]);
	return kx_fail(err, KX_EPANIC, "the kernel on %s %s: %s; it stays recorded as "
		       "running until you 'kexec --multikernel --forget=%d'", cpus,
		       b->panic_line ? "panicked" : "oopsed", b->panic[0], in->cpu);
}

/* What the watch after the jump still waits for, and what it has seen. */
struct watch {
	bool serial;		/* host ports to re-arm once the new kernel's 8250 is done */
	bool boot;		/* --boot-wait: its init run, or a panic */
	unsigned int step;	/* the fixed schedule's next step, while the log is not read */
	double init_seen, panic_seen;
};

/*
 * The host's open ports: re-armed right after the new kernel's 8250
 * driver registered its ports (issue 23), or, while its log cannot be read
 * yet, on the fixed schedule; at the latest when it reached its init (or
 * panicked) without any 8250 line, or when the schedule ends.
 */
static void watch_serial(struct watch *w, struct mk_serial_rearm *rearm,
			 const struct boot_signs *b, bool log_read, double now)
{
	char names[64];
	const char *why = NULL;

	mk_serial_rearm_names(rearm, names, sizeof(names));
	if (b->serial_done)
		why = "its 8250 driver registered its ports";
	else if (b->init_run || b->panicked)
		why = "it got past its device drivers with no 8250 one (if one loads later, "
		      "re-arm by hand: kexec(8), Serial ports)";
	else if (now * 1000 >= mk_rearm_at_ms[MK_REARM_STEPS - 1])
		why = log_read ? "its log shows no 8250 driver within the re-arming's 10 s" :
		      "the re-arming's 10 s are over";
	if (why) {
		mk_serial_rearm_once(rearm);
		printf("multikernel: re-armed %s %.2f s after the kick: %s\n", names, now, why);
		w->serial = false;
		return;
	}
	/* No log yet (VMCOREINFO comes at a subsys_initcall): the schedule meanwhile. */
	if (!log_read && w->step < MK_REARM_STEPS && now * 1000 >= mk_rearm_at_ms[w->step]) {
		mk_serial_rearm_once(rearm);
		while (w->step < MK_REARM_STEPS && now * 1000 >= mk_rearm_at_ms[w->step])
			w->step++;
	}
}

/* The boot wait's verdict, if there is one yet: 1 done, 0 not yet, -1 panic (err set). */
static int watch_boot(struct watch *w, const struct boot_signs *b, const struct mk_log *lg,
		      const struct mk_instance *in, double now, double deadline,
		      struct kx_error *err)
{
	char cpus[MK_CPU_WORDS_MAX];

	mk_instance_cpu_words(in, cpus, sizeof(cpus));
	if (b->panicked && w->panic_seen < 0)
		w->panic_seen = now;
	if (b->panicked)
		return now - w->panic_seen >= PANIC_TAIL_S ? report_panic(in, b, w->panic_seen, err) :
		       0;
	if (b->init_run && !b->init_failed && w->init_seen < 0)
		w->init_seen = now;
	if (b->init_run && !b->init_failed && (b->after_init || now - w->init_seen >= INIT_GRACE_S)) {
		printf("multikernel: booted to %s on %s (seen %.2f s after the kick; "
		       "its log stamped 'Run %s' at %.2f s)\n", b->init, cpus, w->init_seen,
		       b->init, b->init_ts_nsec / 1e9);
		return 1;
	}
	if (now < deadline)
		return 0;
	if (!lg->found)
		printf("multikernel: no VMCOREINFO in %s's memory within %.3g s of the kick (a "
		       "kernel built without CONFIG_VMCORE_INFO?); started as far as purgatory "
		       "can tell\n", cpus, deadline);
	else
		fprintf(stderr, "kexec: note: %s's log shows no init run within %.3g s of the "
			"kick; its last line: %s ('kexec --multikernel --dmesg=%d' shows the rest)\n",
			cpus, deadline, b->have_last ? b->last : "(none)", in->cpu);
	return 1;
}

int mk_boot_wait(const struct kexec_options *o, const struct host_facts *hf,
		 const struct mk_instance *in, struct mk_serial_rearm *rearm, double t0,
		 struct kx_error *err)
{
	static struct boot_signs b;
	static struct mk_log lg;
	struct watch w = { .serial = rearm && mk_serial_rearm_open(rearm, hf) > 0,
			   .boot = o->boot_wait_ms > 0, .init_seen = -1, .panic_seen = -1 };
	double deadline = o->boot_wait_ms / 1000.0, now;
	struct kx_error why;
	struct prb_stats st;
	char cpus[MK_CPU_WORDS_MAX];
	int ret = 0;

	mk_instance_cpu_words(in, cpus, sizeof(cpus));
	memset(&b, 0, sizeof(b));
	if (!w.serial && !w.boot)
		return 0;
	if (mk_log_map(&lg, hf->sysroot, in, &why)) {
		printf("multikernel: %s's log cannot be read: %s; %s\n", cpus, why.msg,
		       w.serial ? "the host's ports are re-armed on the fixed schedule" :
		       "started as far as purgatory can tell");
		if (w.serial)
			mk_serial_rearm_run(rearm, hf);
		return 0;
	}
	for (;;) {
		now = mk_status_now() - t0;
		if (!lg.found && mk_log_find(&lg, &why) && lg.notes) {
			printf("multikernel: %s's log cannot be read: %s\n", cpus, why.msg);
			break;
		}
		if (lg.found && mk_log_walk(&lg, b.next_seq, fold, &b, &st, &why) < 0) {
			printf("multikernel: %s's log cannot be read: %s\n", cpus, why.msg);
			break;
		}
		if (w.serial)
			watch_serial(&w, rearm, &b, lg.found, now);
		if (w.boot) {
			int v = watch_boot(&w, &b, &lg, in, now, deadline, err);

			if (v)
				w.boot = false;
			if (v < 0)
				ret = -1;
		}
		if (!w.serial && !w.boot)
			break;
		sleep_ns(lg.found ? LOG_POLL_NS : SCAN_POLL_NS);
	}
	if (o->debug && lg.found)
		fprintf(stderr, "kexec: %s: VMCOREINFO at 0x%llx after %u scan(s); the last "
			"probed %llu pages in %.3f s\n", cpus, (unsigned long long)lg.note_addr,
			lg.scans, (unsigned long long)lg.pages_probed, lg.scan_s);
	mk_log_close(&lg);
	/* A log that stopped being readable leaves the ports to the schedule's remainder. */
	if (w.serial)
		mk_serial_rearm_run(rearm, hf);
	return ret;
}
