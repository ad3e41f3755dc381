// SPDX-License-Identifier: GPL-2.0-only
/*
 * The multikernel plan carried out (multikernel-plan.h): the only part of
 * the multikernel path that changes the host.
 *
 *   offline the CPUs (when the plan says so)
 *   -> kexec_load(KEXEC_MULTIKERNEL) -> which kernel took it (without
 *      /proc/multikernel) -> the "loaded" record
 *   -> claim the CPUs in the records ("starting") -> reboot(MULTIKERNEL, {cpu}):
 *      the first CPU; the new kernel starts the others from its MADT
 *   -> take the used-up image out of the kernel's list
 *   -> wait for purgatory's status record (multikernel-status.c), bounded:
 *      jumped (running), digest mismatch (failed) or silent
 *   -> watch the new kernel's own log (multikernel-boot.c): re-arm the
 *      host's serial ports its 8250 driver resets (multikernel-serial.c)
 *      once it has registered them, and wait for its init run, or a
 *      panic; without a log, the ports' fixed schedule.
 *
 * What is undone when a step fails is in undo() alone: before the kick,
 * this command's load and its record go (and the claim); a failed kick of
 * 'kexec -e' leaves the image loaded and recorded for another try.  A CPU
 * that was kicked stays recorded as taken whatever the wait saw: only the
 * admin knows when a silent kernel is dead (--forget).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "kexec-syscall.h"
#include "multikernel-boot.h"
#include "multikernel-cpu.h"
#include "multikernel-exec.h"
#include "multikernel-status.h"

/* A record's file name: struct mk_instance's file. */
#define MK_CLAIM_NAME sizeof(((struct mk_instance *)0)->file)

/* How far the executor got: what undo() takes back. */
enum mk_done {
	MK_DONE_NOTHING,
	MK_DONE_LOADED,		/* the image is in the kernel's multikernel list */
	MK_DONE_ORDINARY,	/* ... but the kernel took it as an ordinary kexec image */
	MK_DONE_RECORDED,	/* and its "loaded" record is written */
	MK_DONE_CLAIMED,	/* and the CPU's claim (cpuN, "starting") is written */
};

/*
 * Leave nothing half done.  The claim always goes; a load of this same
 * command goes with its record; a start of an earlier load (-e) keeps
 * the image and its record, which a second -e may start.
 */
static void undo(const struct mk_plan *p, struct mk_registry *reg, enum mk_done done,
		 const char *claim)
{
	struct kx_error ignored;

	if (done >= MK_DONE_CLAIMED)
		mk_registry_remove(reg, claim, &ignored);
	if (!p->load)
		return;
	if (done == MK_DONE_ORDINARY)
		kx_sys_kexec_unload(0, KX_CALL_UNLOAD, &ignored);
	else if (done >= MK_DONE_LOADED)
		kx_sys_kexec_unload(KEXEC_MULTIKERNEL, KX_CALL_UNLOAD_MULTIKERNEL, &ignored);
	if (done >= MK_DONE_RECORDED)
		mk_registry_remove(reg, MK_INSTANCE_LOADED, &ignored);
}

/*
 * RFC 6/7 keeps multikernel images on a list: kexec_loaded stays 0.  If it
 * went 0 -> 1, the image sits in kexec_image, where 'kexec -e' and
 * systemd's final reboot (reboot(LINUX_REBOOT_CMD_KEXEC)) would boot it as
 * an ordinary kernel:
 *   - a kernel that read 0x10 as KEXEC_DEBUG holds an ordinary image:
 *     undo, refuse;
 *   - the seed (RFC 1/7 alone) holds a multikernel image with no control
 *     page, and its kernel_kexec() would shut the host down and crash in
 *     machine_kexec(): keep it only for the start in this same command
 *     (unloaded right after the kick); a load alone is undone and refused.
 * Returns 0 when the load may stay; else what undo() must take back.
 */
static int taken_as_ordinary(const struct mk_plan *p, const struct host_facts *hf,
			     enum mk_done *done, struct kx_error *err)
{
	if (hf->have_proc_multikernel || hf->kexec_loaded != 0 || host_kexec_loaded_now(hf) != 1)
		return 0;
	if (p->l.seed) {
		if (p->start)
			return 0;
		return kx_fail(err, KX_ENOSUPPORT, "the running kernel keeps a multikernel image "
			       "in the ordinary kexec slot (the seed's ABI: kexec_loaded read 1), "
			       "where 'kexec -e' or a kexec reboot would crash this kernel, so it "
			       "is started in the same command only: use 'kexec --multikernel "
			       "--cpu=N' without -l; the image was unloaded again");
	}
	*done = MK_DONE_ORDINARY;
	return kx_fail(err, KX_ENOSUPPORT, "the running kernel took the load as an ordinary "
		       "kexec image (flag 0x10 read as KEXEC_DEBUG: /proc/kallsyms names no "
		       "multikernel_kexec), so it has no multikernel support; the image was "
		       "unloaded again");
}

/* The load: kexec_load, which kernel took it, the "loaded" record. */
static int load(const struct mk_plan *p, const struct host_facts *hf, struct mk_registry *reg,
		enum mk_done *done, struct kx_error *err)
{
	if (kx_sys_kexec_load(&p->l.segs, KX_CALL_LOAD_MULTIKERNEL, err))
		return -1;
	*done = MK_DONE_LOADED;
	if (taken_as_ordinary(p, hf, done, err))
		return -1;
	/* Unrecorded memory would be free for the next load: undo() takes it back. */
	if (mk_registry_put(reg, &p->l.rec, err))
		return -1;
	*done = MK_DONE_RECORDED;
	return 0;
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
static int confirm(const struct mk_start_plan *s, struct mk_registry *reg,
		   struct mk_instance *rec, double t0, struct kx_error *err)
{
	struct purgatory_status st;
	struct kx_error werr;
	double elapsed = 0;
	char silence[512 + MK_CPU_WORDS_MAX];
	/* Every CPU of the instance is named; the kick and purgatory ran on the first. */
	char cpus[MK_CPU_WORDS_MAX], kicked[MK_CPU_WORDS_MAX];
	int ret = 0;

	mk_instance_cpu_words(rec, cpus, sizeof(cpus));
	mk_instance_kicked_words(rec, kicked, sizeof(kicked));
	if (!s->start_wait_ms) {
		rec->state = MK_UNCONFIRMED;
		printf("multikernel: kicked %s; not waiting for a sign of life "
		       "(--start-wait=0)\n", kicked);
	} else if (mk_status_wait("/dev/mem", rec->status_addr, t0, s->start_wait_ms,
				  s->start_wait_cap_ms, &st, &elapsed, &werr)) {
		rec->state = MK_UNCONFIRMED;
		ret = kx_fail(err, KX_ENOLIFE, "%s; %s was kicked and may be running, so %s "
			      "recorded as taken", werr.msg, kicked,
			      rec->nr_cpus > 1 ? "its CPUs stay" : "it stays");
	} else if (st.stage == PURGATORY_STAGE_JUMPED) {
		rec->state = MK_RUNNING;
		printf("multikernel: started on %s (purgatory jumped to the kernel %.3f s "
		       "after the kick)\n", cpus, elapsed);
	} else if (st.stage == PURGATORY_STAGE_MISMATCH) {
		rec->state = MK_FAILED;
		ret = kx_fail(err, KX_EDIGEST, "sha256 mismatch in segment %zu (at 0x%" PRIx64 "): "
			      "its memory changed after the load, so purgatory halted %s before "
			      "the kernel ran; recorded as failed, load the kernel again",
			      segment_of(rec, st.bad_addr), st.bad_addr, kicked);
	} else {
		rec->state = MK_SILENT;
		mk_status_silence(&st, elapsed, s->start_wait_ms, s->start_wait_cap_ms, rec,
				  silence, sizeof(silence));
		ret = kx_fail(err, KX_ENOLIFE, "%s", silence);
	}
	if (mk_registry_put(reg, rec, &werr) && ret == 0)
		ret = kx_fail(err, werr.status, "%s", werr.msg);
	return ret;
}

/* The kick, and what follows it: the image unloaded, the wait, the ports re-armed. */
static int start(const struct mk_plan *p, const struct kexec_options *o,
		 const struct host_facts *hf, struct mk_registry *reg, enum mk_done *done,
		 char claim[MK_CLAIM_NAME], struct kx_error *err)
{
	struct mk_serial_rearm rearm = p->s.rearm;
	struct mk_instance rec;
	struct kx_error undo_err;
	char why[256];
	double t0;
	int ret;

	/* Claim the CPU before the kick: if kexec dies now, the CPU stays taken. */
	rec = p->s.rec;
	rec.cpu = p->cpu;
	/* Every CPU its MADT lists is the instance's (the rule cpus-as-loaded made them agree). */
	rec.nr_cpus = p->nr_cpus > 1 ? p->nr_cpus : 0;
	memcpy(rec.cpus, p->cpus, sizeof(rec.cpus));
	rec.state = MK_STARTING;
	rec.started = (int64_t)time(NULL);
	/* The claim is its own file (cpuN); the copy still named the load's. */
	mk_instance_file_name(&rec, rec.file, sizeof(rec.file));
	snprintf(claim, MK_CLAIM_NAME, "%s", rec.file);
	if (mk_registry_put(reg, &rec, err))
		return -1;
	*done = MK_DONE_CLAIMED;
	t0 = mk_status_now();
	if (kx_sys_reboot_multikernel(p->cpu, err))
		return -1;
	*done = MK_DONE_NOTHING;	/* kicked: nothing is taken back from here on */
	/*
	 * The kick used the image up: left in the kernel's list, the next
	 * kick would start it again over this instance (doc/multikernel-abi.md 4.2).
	 * Unloading frees only the kernel's bookkeeping, never the
	 * destination memory the instance runs in (tests/kernel/patches 0001).
	 */
	mk_registry_remove(reg, MK_INSTANCE_LOADED, &undo_err);
	if (kx_sys_kexec_unload(KEXEC_MULTIKERNEL, KX_CALL_UNLOAD_MULTIKERNEL, &undo_err))
		fprintf(stderr, "kexec: warning: the started image is still in the kernel's list "
			"(%s); run 'kexec -u --multikernel' before the next start\n", undo_err.msg);
	ret = confirm(&p->s, reg, &rec, t0, err);
	if (ret)
		return ret;
	/* Nothing to re-arm: say why the start does not wait for the new kernel's 8250 driver. */
	if (!mk_serial_rearm_open(&rearm, hf) &&
	    mk_serial_rearm_none_why(&rearm, why, sizeof(why)))
		printf("multikernel: not re-arming the host's serial ports: %s\n", why);
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

int mk_plan_execute(const struct mk_plan *p, const struct kexec_options *o,
		    struct host_facts *hf, struct mk_registry *reg, struct kx_error *err)
{
	enum mk_done done = MK_DONE_NOTHING;
	char claim[MK_CLAIM_NAME] = "";

	/* Only now, every rule passed: nothing is taken from the host for a refused plan. */
	for (size_t i = 0; p->offline_cpu && i < p->nr_cpus; i++)
		if (p->online[i] && mk_cpu_take_offline(hf, p->cpus[i], err))
			return -1;
	if (p->load && load(p, hf, reg, &done, err))
		goto undo;
	if (!p->start)
		return 0;
	if (start(p, o, hf, reg, &done, claim, err))
		goto undo;
	return 0;
undo:
	undo(p, reg, done, claim);
	return -1;
}
