// SPDX-License-Identifier: GPL-2.0-only
/*
 * kexec -e --multikernel (and -f): the start, and the wait for proof of life.
 *
 *   the rules (multikernel-rules.c) -> offline the CPU on request
 *   -> claim the CPU in the records ("starting") -> reboot(MULTIKERNEL, {cpu})
 *   -> take the used-up image out of the kernel's list
 *   -> wait for purgatory's status record (multikernel-status.c), bounded:
 *      jumped (running), digest mismatch (failed) or silent
 *   -> watch the new kernel's own log (multikernel-boot.c): re-arm the
 *      host's serial ports its 8250 driver resets (multikernel-serial.c)
 *      once it has registered them, and wait (--boot-wait) for its init
 *      run, or a panic; without a log, the ports' fixed schedule
 *
 * A CPU that was kicked stays recorded as taken whatever the wait saw:
 * only the admin knows when a silent kernel is dead (--forget).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmdline-params.h"
#include "kexec-syscall.h"
#include "multikernel-boot.h"
#include "multikernel-cmdline.h"
#include "multikernel-cpu.h"
#include "multikernel-rules.h"
#include "multikernel-serial.h"
#include "multikernel-start.h"
#include "multikernel-status.h"

/*
 * The host's ports the new kernel resets: the legacy ports below the
 * 8250.nr_uarts of the command line the load recorded, except the one
 * purgatory and the kernel were given (--serial: the record does not hold
 * it, so -e assumes the load's).  Only a dry run of an image with no
 * record (loaded by another tool) has no command line to read: it assumes
 * this command's --append over the default words.  The host's ports are
 * read here, the only place that needs them.
 */
static void mk_rearm_plan(const struct kexec_options *o, const struct host_facts *hf,
			  const struct mk_instance *loaded, struct mk_serial_rearm *r)
{
	struct mk_cmdline_in cl = mk_cmdline_facts(o, hf, 0);
	char words[KX_CMDLINE_MAX + 1024];
	struct host_serial_ports ports;
	struct kx_error ignored;

	if (loaded) {
		snprintf(words, sizeof(words), "%s", loaded->cmdline);
	} else if (mk_cmdline_defaults(&cl, words, sizeof(words), &ignored) ||
		   cmdline_append(words, sizeof(words), o->append)) {
		/* Words it cannot work out: the driver's default nr_uarts, the widest guess. */
		words[0] = '\0';
	}
	host_serial_ports_read(hf, &ports);
	mk_serial_rearm_plan(&ports, words, mk_serial(o), r);
}

/* Map purgatory's digest address back to the segment table's row. */
static size_t segment_of(const struct mk_instance *rec, uint64_t addr)
{
	for (size_t i = 0; i < rec->nr_segments; i++)
		if (addr >= rec->segments[i].start && addr < rec->segments[i].end)
			return i;
	return rec->nr_segments;
}

/* After the kick: wait for purgatory's word and record what it said. */
static int mk_confirm(const struct kexec_options *o, struct mk_registry *reg,
		      struct mk_instance *rec, double t0, struct kx_error *err)
{
	unsigned int cap_ms = o->start_wait_ms > MK_START_WAIT_CAP_MS ? o->start_wait_ms :
			      MK_START_WAIT_CAP_MS;
	struct purgatory_status st;
	struct kx_error werr;
	double elapsed = 0;
	char silence[512];
	int ret = 0;

	if (!o->start_wait_ms) {
		rec->state = MK_UNCONFIRMED;
		printf("multikernel: kicked CPU %d; not waiting for a sign of life "
		       "(--start-wait=0)\n", rec->cpu);
	} else if (mk_status_wait("/dev/mem", rec->status_addr, t0, o->start_wait_ms, cap_ms,
				  &st, &elapsed, &werr)) {
		rec->state = MK_UNCONFIRMED;
		ret = kx_fail(err, KX_ENOLIFE, "%s; CPU %d was kicked and may be running, so it "
			      "stays recorded as taken", werr.msg, rec->cpu);
	} else if (st.stage == PURGATORY_STAGE_JUMPED) {
		rec->state = MK_RUNNING;
		printf("multikernel: started on CPU %d (purgatory jumped to the kernel %.3f s "
		       "after the kick)\n", rec->cpu, elapsed);
	} else if (st.stage == PURGATORY_STAGE_MISMATCH) {
		rec->state = MK_FAILED;
		ret = kx_fail(err, KX_EDIGEST, "sha256 mismatch in segment %zu (at 0x%" PRIx64 "): "
			      "its memory changed after the load, so purgatory halted CPU %d before "
			      "the kernel ran; recorded as failed, load the kernel again",
			      segment_of(rec, st.bad_addr), st.bad_addr, rec->cpu);
	} else {
		rec->state = MK_SILENT;
		mk_status_silence(&st, elapsed, o->start_wait_ms, cap_ms, rec->cpu, silence,
				  sizeof(silence));
		ret = kx_fail(err, KX_ENOLIFE, "%s", silence);
	}
	if (mk_registry_put(reg, rec, &werr) && ret == 0)
		ret = kx_fail(err, werr.status, "%s", werr.msg);
	return ret;
}

int mk_start(const struct kexec_options *o, struct host_facts *hf, struct mk_registry *reg,
	     const struct mk_instance *just_loaded, struct kx_error *err)
{
	const struct mk_instance *loaded = just_loaded ? just_loaded :
					   mk_registry_find(reg, MK_INSTANCE_LOADED);
	struct mk_rule_in rules = {
		.stage = MK_RULE_START, .o = o, .hf = hf, .reg = reg, .loaded = loaded,
		.cmdline = loaded ? loaded->cmdline : NULL,
	};
	struct mk_rules_passed passed = { .nr = 0 };
	struct mk_serial_rearm rearm;
	struct mk_instance rec;
	struct kx_error undo;
	char ports[256];
	double t0;
	int ret;

	if (mk_rules_check(&rules, &passed, err))
		return -1;
	if (o->dry_run || o->debug)
		mk_rules_print(stdout, &passed);
	if (mk_cpu_take_offline(o, hf, err))
		return -1;
	mk_rearm_plan(o, hf, loaded, &rearm);
	if (o->dry_run || o->debug) {
		mk_serial_rearm_describe(&rearm, ports, sizeof(ports));
		printf("host serial ports the new kernel's 8250 driver resets: %s", ports);
		if (rearm.nr)
			printf("; the open ones are re-armed once the new kernel's log shows its "
			       "ports registered (where that log cannot be read: at fixed times "
			       "over %u s after the start)", mk_rearm_at_ms[MK_REARM_STEPS - 1] / 1000);
		printf("\n");
	}
	if (o->dry_run) {
		/* A dry run of load and start recorded nothing: the image is the one named. */
		const char *image = loaded ? loaded->image : o->kernel_path;
		bool linux_image = image && mk_image_is_linux(image);

		printf("would start the multikernel image on CPU %d", o->cpu);
		if (o->start_wait_ms)
			printf(" and give up after %.3g s without a sign of life from purgatory",
			       o->start_wait_ms / 1000.0);
		else
			printf(" without waiting for a sign of life (--start-wait=0)");
		if (linux_image && o->boot_wait_ms)
			printf(", then wait up to %.3g s for its log to show its init run "
			       "(--boot-wait)", o->boot_wait_ms / 1000.0);
		else if (linux_image)
			printf(", without waiting for its init (--boot-wait=0)");
		printf("\n");
		return 0;
	}
	/* Claim the CPU before the kick: if kexec dies now, the CPU stays taken. */
	rec = *loaded;
	rec.cpu = o->cpu;
	rec.state = MK_STARTING;
	rec.started = (int64_t)time(NULL);
	/* The claim is its own file (cpuN); the copy still named the load's. */
	mk_instance_file_name(&rec, rec.file, sizeof(rec.file));
	if (mk_registry_put(reg, &rec, err))
		return -1;
	t0 = mk_status_now();
	if (kx_sys_reboot_multikernel(o->cpu, err)) {
		/*
		 * Nothing started: the claim goes.  The image is still in the
		 * kernel's list, so for -e its "loaded" record stays with it.
		 */
		mk_registry_remove(reg, rec.file, &undo);
		/* Leave nothing half done: a load we just made goes again. */
		if (o->action != ACT_EXEC) {
			kx_sys_kexec_unload(KEXEC_MULTIKERNEL, KX_CALL_UNLOAD_MULTIKERNEL, &undo);
			mk_registry_remove(reg, MK_INSTANCE_LOADED, &undo);
		}
		return -1;
	}
	/*
	 * The kick used the image up: left in the kernel's list, the next
	 * kick would start it again over this instance (doc/multikernel-abi.md 4.2).
	 * Unloading frees only the kernel's bookkeeping, never the
	 * destination memory the instance runs in (tests/kernel/patches 0001).
	 */
	mk_registry_remove(reg, MK_INSTANCE_LOADED, &undo);
	if (kx_sys_kexec_unload(KEXEC_MULTIKERNEL, KX_CALL_UNLOAD_MULTIKERNEL, &undo))
		fprintf(stderr, "kexec: warning: the started image is still in the kernel's list "
			"(%s); run 'kexec -u --multikernel' before the next start\n", undo.msg);
	ret = mk_confirm(o, reg, &rec, t0, err);
	if (ret)
		return ret;
	/* Nothing to re-arm: say why the start does not wait for the new kernel's 8250 driver. */
	if (!mk_serial_rearm_open(&rearm, hf) &&
	    mk_serial_rearm_none_why(&rearm, ports, sizeof(ports)))
		printf("multikernel: not re-arming the host's serial ports: %s\n", ports);
	/*
	 * A kernel that ran (or may have: --start-wait=0) resets the ports
	 * below its own.  A Linux kernel's own log says when
	 * (multikernel-boot.c); anything else gets the fixed schedule.
	 */
	if (rec.state == MK_RUNNING && mk_image_is_linux(rec.image))
		return mk_boot_wait(o, hf, &rec, &rearm, t0, err);
	mk_serial_rearm_run(&rearm, hf);
	return 0;
}
