// SPDX-License-Identifier: GPL-2.0-only
/*
 * kexec --multikernel: boot a second kernel on an offline CPU while this
 * one keeps running (multikernel RFC v1, see shared/spec/ABI.md).
 *
 *   preflight (root, kernel support, nothing loaded, the CPU free)
 *   -> a free part of the reservation (multikernel-memory.c, around the
 *      running instances of mk-instance.c) -> plan -> check
 *   -> kexec_load(KEXEC_MULTIKERNEL), recorded as "loaded"
 *   -> reboot(MULTIKERNEL, {cpu}), recorded as "starting" on that CPU
 *   -> unload the image from the kernel's list, wait for purgatory's
 *      status record (multikernel-status.c): running, failed or silent.
 *
 * The kernel checks none of the destinations and copies at load time, so
 * a wrong address overwrites the running host or a running instance: the
 * plan check refuses any byte outside the instance's free part of the
 * reservation before the kernel sees it.  The instance records are held
 * under their lock from the first check to the last word, so two kexec
 * processes cannot pick the same CPU or memory.  If the start fails after
 * a successful load, the image is unloaded again.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmdline-params.h"
#include "kexec-actions.h"
#include "kexec-syscall.h"
#include "load-pipeline.h"
#include "mk-instance.h"
#include "multikernel-cmdline.h"
#include "multikernel-memory.h"
#include "multikernel-serial.h"
#include "multikernel-status.h"
#include "sha256.h"
#include "tsc-freq.h"

#define MK_DEFAULT_SERIAL 0x2f8		/* ttyS1: ttyS0 is usually the host's console */

struct mk_image {
	char type[16];
	uint64_t entry;
	unsigned long segments;
};

/* Rows of /proc/multikernel ("%-10s  0x%012lx  %8lu", ABI.md 1.7). */
static size_t mk_images(const struct host_facts *hf, struct mk_image *out, size_t max)
{
	const char *p = hf->proc_multikernel;
	size_t n = 0;

	while (p && *p && n < max) {
		struct mk_image im;

		if (sscanf(p, "%15s 0x%" SCNx64 " %lu", im.type, &im.entry, &im.segments) == 3)
			out[n++] = im;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return n;
}

/* The first multikernel image listed, if any: the one the kernel would start. */
static bool mk_loaded(const struct host_facts *hf, struct mk_image *first)
{
	struct mk_image im[16];
	size_t n = mk_images(hf, im, 16);

	for (size_t i = 0; i < n; i++) {
		if (strcmp(im[i].type, "multikernel") == 0) {
			if (first)
				*first = im[i];
			return true;
		}
	}
	return false;
}

bool multikernel_loaded(const struct host_facts *hf)
{
	return mk_loaded(hf, NULL);
}

/*
 * The multikernel tree moved on after RFC v1 (tag v7.0-mk2: instances in
 * /sys/fs/multikernel, kexec_file_load with an instance id in its flags).
 * Such a kernel accepts a v1 kexec_load with 0x10 but can never start it,
 * so nothing is sent to it, whatever the action.
 */
static int check_abi(const struct host_facts *hf, struct kx_error *err)
{
	if (hf->have_sys_fs_multikernel)
		return kx_fail(err, KX_EABI, "the running kernel speaks the later multikernel ABI "
			       "(/sys/fs/multikernel: instances loaded with kexec_file_load, as in "
			       "v7.0-mk2); this kexec drives only RFC v1 (kexec_load with "
			       "KEXEC_MULTIKERNEL, reboot(MULTIKERNEL)) and sends this kernel nothing");
	return 0;
}

/*
 * Support is what the kernel does, not what it lists: /proc/multikernel is
 * an optional patch of the series.  Without it the load is the probe (a
 * kernel without the RFC or without CONFIG_KEXEC_JUMP answers EINVAL:
 * status 12, kexec-errors.c).
 */
static int check_support(const struct kexec_options *o, struct kx_error *err)
{
	if (!o->dry_run && geteuid() != 0)
		return kx_fail(err, KX_EPERM, "--multikernel must be run as root (kexec_load and "
			       "reboot need CAP_SYS_BOOT)");
	return 0;
}

/*
 * Without the listing, one guard before the probe: a kernel that reads 0x10
 * as KEXEC_DEBUG (newer kexec-tools, proposed kernels) takes the load as an
 * ordinary image and would replace one already loaded.  After the load,
 * mk_check_taken_as_ordinary() catches the case where none was.
 */
static int check_unlisted_load(const struct kexec_options *o, const struct host_facts *hf,
			       struct kx_error *err)
{
	if (hf->have_proc_multikernel)
		return 0;
	if (hf->kexec_loaded == 1)
		return kx_fail(err, KX_ESTATE, "an ordinary kexec image is loaded and the running "
			       "kernel has no /proc/multikernel: if it reads flag 0x10 as KEXEC_DEBUG "
			       "this load would replace that image; unload it first with 'kexec -u'");
	if (o->dry_run || o->debug)
		printf("multikernel support: not listed (no /proc/multikernel); the load itself "
		       "will tell\n");
	return 0;
}

/*
 * An RFC load never sets kexec_loaded: a 0 -> 1 change means the kernel
 * took it as an ordinary image, which 'kexec -e' would boot in place of the
 * host.  Undo it.
 */
static int mk_check_taken_as_ordinary(const struct host_facts *hf, struct kx_error *err)
{
	struct kx_error undo;

	if (hf->have_proc_multikernel || hf->kexec_loaded != 0 || host_kexec_loaded_now(hf) != 1)
		return 0;
	kx_sys_kexec_unload(0, KX_CALL_UNLOAD, &undo);
	return kx_fail(err, KX_ENOSUPPORT, "the running kernel took the load as an ordinary "
		       "kexec image (flag 0x10 read as KEXEC_DEBUG), so it has no multikernel "
		       "support; the image was unloaded again");
}

/* The CPU must exist, not be CPU 0, and be offline (or be offlined on request). */
static int check_cpu(const struct kexec_options *o, struct host_facts *hf, struct kx_error *err)
{
	int cpu = o->cpu;

	if (!hf->have_cpu_lists)
		return kx_fail(err, KX_EHOST, "cannot read %s/sys/devices/system/cpu/{present,online}",
			       hf->sysroot);
	if (!cpu_set_has(&hf->present, (unsigned int)cpu))
		return kx_fail(err, KX_ECPU, "CPU %d is not present on this machine; see "
			       "/sys/devices/system/cpu/present", cpu);
	if (cpu == 0)
		return kx_fail(err, KX_ECPU, "CPU 0 cannot take a multikernel: x86 cannot offline "
			       "it; choose another CPU");
	if (!cpu_set_has(&hf->online, (unsigned int)cpu))
		return 0;
	if (!o->offline_cpu)
		return kx_fail(err, KX_ECPU, "CPU %d is online; offline it (echo 0 > "
			       "/sys/devices/system/cpu/cpu%d/online) or pass --offline-cpu",
			       cpu, cpu);
	if (o->dry_run) {
		printf("would offline CPU %d\n", cpu);
		/* Later steps of this run see the CPU offline, as they would for real. */
		hf->online.bits[cpu / 64] &= ~(1ull << (cpu % 64));
		return 0;
	}
	if (host_cpu_set_online(hf, (unsigned int)cpu, false, err) ||
	    host_facts_reread_cpus(hf, err))
		return -1;
	if (cpu_set_has(&hf->online, (unsigned int)cpu))
		return kx_fail(err, KX_ECPU, "CPU %d is still online after offlining it", cpu);
	return 0;
}

static uint16_t mk_serial(const struct kexec_options *o)
{
	return o->serial_port ? o->serial_port : MK_DEFAULT_SERIAL;
}

/* The facts the default command line depends on (multikernel-cmdline.c). */
static struct mk_cmdline_in mk_cmdline_facts(const struct kexec_options *o,
					     const struct host_facts *hf, uint32_t tsc_khz)
{
	return (struct mk_cmdline_in){
		.serial_port = mk_serial(o),
		.tsc_khz = tsc_khz,
		.shared_mem_addr = hf->iomem.mk_shared.nr ? hf->iomem.mk_shared.r[0].start : 0,
		.dropped = o->no_default_param,
		.nr_dropped = o->nr_no_default_param,
	};
}

/*
 * The TSC frequency for tsc_early_khz= (tsc-freq.h says from where).  A
 * Linux kernel without a trustworthy one would run every clock off by the
 * error for its whole life: refuse, unless the user passed one.  Other
 * payloads get the word only if a value is known.
 */
static int mk_tsc(const struct kexec_options *o, const struct host_facts *hf, bool is_linux,
		  struct tsc_freq *f, struct kx_error *err)
{
	if (cmdline_has_param(o->append, "tsc_early_khz")) {
		*f = (struct tsc_freq){ 0, TSC_SRC_APPEND };
	} else {
		*f = tsc_freq_choose(&hf->tsc, 0);
		/* The measurement costs 50 ms: only when nothing better is known. */
		if (f->source == TSC_SRC_NONE && tsc_measurement_allowed(&hf->tsc))
			*f = tsc_freq_choose(&hf->tsc, host_tsc_measure_khz(hf));
		if (f->source == TSC_SRC_NONE && is_linux)
			return tsc_freq_refuse(&hf->tsc, hf->sysroot[0] != '\0', err);
	}
	if (o->dry_run || o->debug) {
		if (f->khz)
			printf("TSC frequency %" PRIu32 " kHz from %s%s\n", f->khz,
			       tsc_source_name(f->source),
			       hf->tsc.log_unstable ? "; the host kernel marked its TSC unstable" : "");
		else
			printf("TSC frequency %s\n", f->source == TSC_SRC_APPEND ?
			       "from --append (tsc_early_khz=)" :
			       "unknown (this payload does not need tsc_early_khz=)");
	}
	return 0;
}

/*
 * The host's ports the new kernel resets: from the serial words it was
 * given, ours for its port and then --append's.  (After a separate -l,
 * -e assumes the same --serial and --append.)
 */
static void mk_rearm_plan(const struct kexec_options *o, const struct host_facts *hf,
			  struct mk_serial_rearm *r)
{
	struct mk_cmdline_in cl = mk_cmdline_facts(o, hf, 0);
	char words[KX_CMDLINE_MAX + 1024];
	struct kx_error ignored;

	/* Words it cannot work out: the driver's default nr_uarts, the widest guess. */
	if (mk_cmdline_defaults(&cl, words, sizeof(words), &ignored) ||
	    cmdline_append(words, sizeof(words), o->append))
		words[0] = '\0';
	mk_serial_rearm_plan(hf, words, mk_serial(o), r);
}

/* A CPU a running instance holds is not free, offline or not. */
static int check_cpu_free(const struct mk_registry *reg, int cpu, struct kx_error *err)
{
	const struct mk_instance *in = mk_registry_cpu_holder(reg, cpu);
	char what[PATH_MAX + 96];

	if (!in)
		return 0;
	mk_instance_describe(in, what, sizeof(what));
	return kx_fail(err, KX_EINSTANCE, "CPU %d is taken by %s; choose another CPU, or if "
		       "that kernel is dead, drop its record with 'kexec --multikernel --forget=%d'",
		       cpu, what, cpu);
}

/* A damaged record hides what runs where: stop until the admin looks. */
static int check_records_sound(const struct mk_registry *reg, struct kx_error *err)
{
	const struct mk_damaged *d = &reg->damaged[0];

	if (!reg->nr_damaged)
		return 0;
	return kx_fail(err, KX_EINSTANCE, "the instance record %s/%s is damaged (%s); check what "
		       "runs there, then remove it with 'kexec --multikernel --forget=%s'",
		       reg->dir, d->file, d->why,
		       strncmp(d->file, "cpu", 3) == 0 ? d->file + 3 : "N' or 'kexec -u --multikernel");
}

/*
 * The reservation exists but running instances own all of it (within
 * --mem-min/--mem-max): name one of them rather than "no reservation".
 */
static int explain_taken(const struct kexec_options *o, const struct host_facts *hf,
			 const struct mk_registry *reg, struct kx_error *err)
{
	const struct mk_named_range *r;
	const struct mk_instance *in;
	struct kx_error ignored;
	struct mk_memory all;
	char what[PATH_MAX + 96];

	if (mk_memory_find(hf, o->mem_min, o->mem_max, NULL, &all, &ignored))
		return -1;
	in = mk_registry_overlap(reg, all.main.start, all.main.end, &r);
	if (!in)
		return -1;
	mk_instance_describe(in, what, sizeof(what));
	return kx_fail(err, KX_EINSTANCE, "no free part of the multikernel reservation%s is left: "
		       "%s owns [0x%" PRIx64 ", 0x%" PRIx64 ") (%s memory); give --mem-min/--mem-max "
		       "a free part, or if that kernel is dead, 'kexec --multikernel --forget=%d'",
		       o->mem_min || o->mem_max ? " between --mem-min and --mem-max" : "", what,
		       r->start, r->end, r->name, in->cpu);
}

/* A Linux kernel needs low memory: none reserved (15), or running instances own it all (20). */
static int low_memory_missing(const struct mk_registry *reg, struct kx_error *err)
{
	char what[PATH_MAX + 96];

	for (size_t i = 0; i < reg->nr; i++) {
		const struct mk_instance *in = &reg->inst[i];

		for (size_t j = 0; mk_instance_holds(in) && j < in->nr_ranges; j++) {
			if (strcmp(in->ranges[j].name, "low") != 0)
				continue;
			mk_instance_describe(in, what, sizeof(what));
			return kx_fail(err, KX_EINSTANCE, "a Linux kernel needs RAM below 1 MiB for "
				       "its trampolines and running instances own all the host "
				       "reserved, %s among them [0x%" PRIx64 ", 0x%" PRIx64 "); boot "
				       "the host with more low memory (memmap=0x60000$0x20000 holds "
				       "two), or if that kernel is dead, 'kexec --multikernel "
				       "--forget=%d'", what, in->ranges[j].start, in->ranges[j].end,
				       in->cpu);
		}
	}
	return kx_fail(err, KX_ENORESERVATION, "a Linux kernel needs RAM below 1 MiB for its "
		       "trampolines and the host reserved none: boot the host with "
		       "memmap=0x60000$0x20000 as well");
}

/* Defence in depth: no segment of the plan may touch a running instance. */
static int check_plan_clear(const struct kx_plan *plan, const struct mk_registry *reg,
			    struct kx_error *err)
{
	for (size_t i = 0; i < plan->nr; i++) {
		const struct kx_segment *s = &plan->seg[i];
		const struct mk_named_range *r;
		const struct mk_instance *in = mk_registry_overlap(reg, s->mem, s->mem + s->memsz, &r);
		char what[PATH_MAX + 96];

		if (!in)
			continue;
		mk_instance_describe(in, what, sizeof(what));
		return kx_fail(err, KX_EINSTANCE, "the %s segment [0x%" PRIx64 ", 0x%" PRIx64 ") "
			       "would overwrite %s at [0x%" PRIx64 ", 0x%" PRIx64 "); choose other "
			       "memory with --mem-min/--mem-max, or if that kernel is dead, "
			       "'kexec --multikernel --forget=%d'", s->purpose, s->mem,
			       s->mem + s->memsz, what, r->start, r->end, in->cpu);
	}
	return 0;
}

/*
 * A segment that must go at a fixed address (an ELF payload, a
 * non-relocatable kernel) found no room: if it would fit in the
 * reservation but for a running instance, say which one is in the way.
 * Replaces err only then.
 */
static void explain_fixed_overlap(const struct kexec_options *o, const struct host_facts *hf,
				  const struct mk_registry *reg, const struct loaded_inputs *in,
				  struct kx_error *err)
{
	struct kexec_options *quiet = malloc(sizeof(*quiet));
	struct kx_error ignored;
	struct mk_memory all;
	struct load_env env;
	struct kx_plan plan;

	if (!quiet)
		return;
	*quiet = *o;
	quiet->dry_run = quiet->debug = false;	/* a scratch plan: nothing printed */
	if (mk_memory_find(hf, o->mem_min, o->mem_max, NULL, &all, &ignored) == 0) {
		if (mk_memory_env(hf, &all, &env, &ignored) == 0 &&
		    plan_build(in, &env, KEXEC_MULTIKERNEL, quiet, &plan, &ignored) == 0) {
			check_plan_clear(&plan, reg, err);
			plan_free(&plan);
		}
	}
	free(quiet);
}

/* The "loaded" record: what a later start needs to know and to claim. */
static void record_loaded(const struct host_facts *hf, const struct loaded_inputs *in,
			  const struct mk_memory *mem, const struct load_env *env,
			  const struct kx_plan *plan, struct mk_instance *rec)
{
	uint8_t digest[SHA256_DIGEST_SIZE];

	memset(rec, 0, sizeof(*rec));
	rec->cpu = -1;
	rec->state = MK_LOADED;
	snprintf(rec->boot_id, sizeof(rec->boot_id), "%s", hf->boot_id);
	if (!realpath(in->kernel.path, rec->image))
		snprintf(rec->image, sizeof(rec->image), "%s", in->kernel.path);
	sha256_digest(in->kernel.data, in->kernel.size, digest);
	for (size_t i = 0; i < sizeof(digest); i++)
		snprintf(rec->sha256 + 2 * i, 3, "%02x", digest[i]);
	snprintf(rec->cmdline, sizeof(rec->cmdline), "%s", in->req.cmdline);
	rec->status_addr = env->status_addr;
	rec->ranges[rec->nr_ranges++] = (struct mk_named_range){ "main", mem->main.start,
								  mem->main.end };
	if (mem->have_low)
		rec->ranges[rec->nr_ranges++] = (struct mk_named_range){ "low", mem->low.start,
									  mem->low.end };
	for (size_t i = 0; i < plan->nr && i < 16; i++)
		rec->segments[rec->nr_segments++] = (struct mem_range){
			plan->seg[i].mem, plan->seg[i].mem + plan->seg[i].memsz, MEM_RAM };
}

static int mk_plan_and_load(const struct kexec_options *o, const struct host_facts *hf,
			    struct mk_registry *reg, struct loaded_inputs *in,
			    struct kx_error *err)
{
	static const char *const host_only[] = { "memmap", "mem", "crashkernel", "initrd",
						 "console" };
	char prefix[1024];
	struct mk_cmdline_in cl;
	struct mem_ranges *held = malloc(sizeof(*held));
	struct mk_instance *rec = NULL;
	struct mk_memory mem;
	struct load_env env;
	struct tsc_freq tsc;
	struct kx_plan plan;
	int ret;

	if (!held)
		return kx_fail(err, KX_EHOST, "out of memory");
	mk_registry_held(reg, held);
	ret = mk_memory_find(hf, o->mem_min, o->mem_max, held, &mem, err);
	free(held);
	if (ret) {
		explain_taken(o, hf, reg, err);	/* replaces err only if an instance is in the way */
		return -1;
	}
	if (!mem.have_low && strcmp(in->type->name, "bzImage64") == 0)
		return low_memory_missing(reg, err);
	if (mk_memory_env(hf, &mem, &env, err))
		return -1;
	in->req.serial_port = mk_serial(o);
	if (mk_tsc(o, hf, strcmp(in->type->name, "bzImage64") == 0, &tsc, err))
		return -1;
	cl = mk_cmdline_facts(o, hf, tsc.khz);
	if (mk_cmdline_defaults(&cl, prefix, sizeof(prefix), err) ||
	    compose_cmdline(o, hf, host_only, sizeof(host_only) / sizeof(host_only[0]), prefix,
			    in->req.cmdline, sizeof(in->req.cmdline), err))
		return -1;
	if (o->dry_run || o->debug) {
		printf("multikernel reservation [0x%" PRIx64 ", 0x%" PRIx64 ")", mem.main.start,
		       mem.main.end);
		if (mem.have_low)
			printf(", low memory [0x%" PRIx64 ", 0x%" PRIx64 ")", mem.low.start,
			       mem.low.end);
		printf("\n");
		mk_cmdline_explain(stdout, &cl);
	}
	ret = plan_build(in, &env, KEXEC_MULTIKERNEL, o, &plan, err);
	if (ret && err->status == KX_ENOROOM && reg->nr)
		explain_fixed_overlap(o, hf, reg, in, err);
	if (ret == 0)
		ret = check_plan_clear(&plan, reg, err);
	if (ret == 0 && !o->dry_run)
		ret = kx_sys_kexec_load(&plan, KX_CALL_LOAD_MULTIKERNEL, err);
	if (ret == 0 && !o->dry_run)
		ret = mk_check_taken_as_ordinary(hf, err);
	if (ret == 0 && !o->dry_run) {
		rec = malloc(sizeof(*rec));
		if (!rec)
			ret = kx_fail(err, KX_EHOST, "out of memory");
		else
			record_loaded(hf, in, &mem, &env, &plan, rec);
		if (ret == 0 && mk_registry_put(reg, rec, err)) {
			struct kx_error undo;

			/* Unrecorded memory would be free for the next load: take it back. */
			kx_sys_kexec_unload(KEXEC_MULTIKERNEL, KX_CALL_UNLOAD_MULTIKERNEL, &undo);
			ret = -1;
		}
		free(rec);
	}
	plan_free(&plan);
	return ret;
}

static int mk_load(const struct kexec_options *o, struct host_facts *hf,
		   struct mk_registry *reg, struct kx_error *err)
{
	struct loaded_inputs in;
	struct mk_image im;
	int ret;

	if (check_unlisted_load(o, hf, err))
		return -1;
	/* The RFC starts the oldest image whatever CPU is named: one at a time. */
	if (mk_loaded(hf, &im))
		return kx_fail(err, KX_ESTATE, "a multikernel image is already loaded (entry 0x%"
			       PRIx64 "); the kernel would start it, not this one, so unload it "
			       "first with 'kexec -u --multikernel'", im.entry);
	if (o->cpu >= 0 && (check_cpu_free(reg, o->cpu, err) || check_cpu(o, hf, err)))
		return -1;
	if (inputs_open(o, &in, err))
		return -1;
	ret = mk_plan_and_load(o, hf, reg, &in, err);
	inputs_close(&in);
	return ret;
}

/* Map purgatory's digest address back to the segment table's row. */
static size_t segment_of(const struct mk_instance *rec, uint64_t addr)
{
	for (size_t i = 0; i < rec->nr_segments; i++)
		if (addr >= rec->segments[i].start && addr < rec->segments[i].end)
			return i;
	return rec->nr_segments;
}

/* What the last record said, for the "no sign of life" line. */
static void last_seen(const struct purgatory_status *st, bool capped, char *buf, size_t size)
{
	double done = st->bytes_done / 1048576.0, total = st->bytes_total / 1048576.0;

	if (st->stage == PURGATORY_STAGE_DIGESTS_OK)
		snprintf(buf, size, "purgatory checked the digests but did not jump");
	else if (st->stage != PURGATORY_STAGE_ARRIVED)
		snprintf(buf, size, "purgatory never arrived");
	else if (!st->bytes_total)
		snprintf(buf, size, "purgatory arrived, then stopped");
	else if (capped)
		snprintf(buf, size, "purgatory arrived and was still hashing: %.1f of %.1f MiB "
			 "verified", done, total);
	else
		snprintf(buf, size, "purgatory arrived and verified %.1f of %.1f MiB, then stopped",
			 done, total);
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
	char seen[160];
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
		bool capped = elapsed * 1000 >= cap_ms;

		rec->state = MK_SILENT;
		last_seen(&st, capped, seen, sizeof(seen));
		ret = kx_fail(err, KX_ENOLIFE, "%s CPU %d %s %.3g s (%s); its CPU and memory stay "
			      "recorded as taken; once you know it is dead: 'kexec --multikernel "
			      "--forget=%d'", capped ? "no jump to the kernel on" : "no sign of life from",
			      rec->cpu, capped ? "within" : "for",
			      (capped ? cap_ms : o->start_wait_ms) / 1000.0, seen, rec->cpu);
	}
	if (mk_registry_put(reg, rec, &werr) && ret == 0)
		ret = kx_fail(err, werr.status, "%s", werr.msg);
	return ret;
}

static int mk_start(const struct kexec_options *o, struct host_facts *hf,
		    struct mk_registry *reg, struct kx_error *err)
{
	struct mk_instance *loaded = mk_registry_find(reg, MK_INSTANCE_LOADED);
	struct mk_serial_rearm rearm;
	struct mk_instance rec;
	struct kx_error undo;
	char ports[128];
	double t0;
	int ret;

	/*
	 * After our own load (-f) /proc/multikernel was read before it; trust
	 * the load.  Without the listing, the record says what we loaded.
	 */
	if (o->action == ACT_EXEC && hf->have_proc_multikernel && !mk_loaded(hf, NULL))
		return kx_fail(err, KX_ENOTLOADED, "no multikernel image is loaded; load one with "
			       "'kexec -l --multikernel' first");
	if (!loaded && !o->dry_run)
		return kx_fail(err, KX_ESTATE, "the loaded multikernel image has no record in %s "
			       "(loaded by another tool?), so its memory and status are unknown; "
			       "unload it with 'kexec -u --multikernel' and load it again with "
			       "kexec", reg->dir);
	if (check_cpu_free(reg, o->cpu, err) || check_cpu(o, hf, err))
		return -1;
	mk_rearm_plan(o, hf, &rearm);
	if (o->dry_run || o->debug) {
		mk_serial_rearm_describe(&rearm, ports, sizeof(ports));
		printf("host serial ports the new kernel's 8250 driver resets: %s", ports);
		if (rearm.nr)
			printf("; the open ones are re-armed during %u s after the start",
			       mk_rearm_at_ms[MK_REARM_STEPS - 1] / 1000);
		printf("\n");
	}
	if (o->dry_run) {
		printf("would start the multikernel image on CPU %d", o->cpu);
		if (o->start_wait_ms)
			printf(" and give up after %.3g s without a sign of life from purgatory",
			       o->start_wait_ms / 1000.0);
		else
			printf(" without waiting for a sign of life (--start-wait=0)");
		printf("\n");
		return 0;
	}
	/* Claim the CPU before the kick: if kexec dies now, the CPU stays taken. */
	rec = *loaded;
	rec.cpu = o->cpu;
	rec.state = MK_STARTING;
	rec.started = (int64_t)time(NULL);
	if (mk_registry_put(reg, &rec, err))
		return -1;
	t0 = mk_status_now();
	if (kx_sys_reboot_multikernel(o->cpu, err)) {
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
	 * kick would start it again over this instance (ABI.md 1.6).
	 * Unloading frees only the kernel's bookkeeping, never the
	 * destination memory the instance runs in (tests/kernel/patches 0001).
	 */
	mk_registry_remove(reg, MK_INSTANCE_LOADED, &undo);
	if (kx_sys_kexec_unload(KEXEC_MULTIKERNEL, KX_CALL_UNLOAD_MULTIKERNEL, &undo))
		fprintf(stderr, "kexec: warning: the started image is still in the kernel's list "
			"(%s); run 'kexec -u --multikernel' before the next start\n", undo.msg);
	ret = mk_confirm(o, reg, &rec, t0, err);
	/* A kernel that ran (or may have: --start-wait=0) resets the ports below its own. */
	if (ret == 0)
		mk_serial_rearm_run(&rearm, hf);
	return ret;
}

static int mk_unload(const struct kexec_options *o, struct mk_registry *reg,
		     struct kx_error *err)
{
	if (o->dry_run) {
		printf("would unload all multikernel images (running instances are not touched)\n");
		return 0;
	}
	if (kx_sys_kexec_unload(KEXEC_MULTIKERNEL, KX_CALL_UNLOAD_MULTIKERNEL, err))
		return -1;
	return mk_registry_remove(reg, MK_INSTANCE_LOADED, err);
}

static int mk_forget(const struct kexec_options *o, struct mk_registry *reg,
		     struct kx_error *err)
{
	char file[32], what[PATH_MAX + 96] = "its damaged record";
	struct mk_instance *in;
	bool damaged = false;

	snprintf(file, sizeof(file), "cpu%d", o->cpu);
	in = mk_registry_find(reg, file);
	for (size_t i = 0; i < reg->nr_damaged; i++)
		damaged |= strcmp(reg->damaged[i].file, file) == 0;
	if (!in && !damaged)
		return kx_fail(err, KX_ENOTLOADED, "no instance is recorded on CPU %d; see 'kexec "
			       "--multikernel --list'", o->cpu);
	if (in)
		mk_instance_describe(in, what, sizeof(what));
	if (o->dry_run) {
		printf("would forget %s\n", what);
		return 0;
	}
	if (mk_registry_remove(reg, file, err))
		return -1;
	printf("multikernel: forgot %s; CPU %d and its memory are free for the next load\n",
	       what, o->cpu);
	return 0;
}

static void print_uptime(const struct mk_instance *in, time_t now)
{
	int64_t s = now - in->started;

	if (in->stale)
		printf("%-10s", "stale");
	else if (!in->started || s < 0)
		printf("%-10s", "-");
	else
		printf("%3" PRId64 ":%02" PRId64 ":%02" PRId64 " ", s / 3600, s / 60 % 60, s % 60);
}

/* The recorded instances, started ones by CPU, then the loaded image. */
static void list_instances(const struct mk_registry *reg)
{
	time_t now = time(NULL);

	if (!reg->nr && !reg->nr_damaged) {
		printf("no multikernel instances recorded\n");
		return;
	}
	printf("%-4s  %-11s  %-9s  %-50s  %s\n", "CPU", "STATE", "UPTIME", "MEMORY", "IMAGE");
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < reg->nr; i++) {
			const struct mk_instance *in = &reg->inst[i];
			char cpu[16] = "-", mem[128] = "";
			size_t used = 0;

			if ((in->cpu < 0) != (pass == 1))
				continue;
			if (in->cpu >= 0)
				snprintf(cpu, sizeof(cpu), "%d", in->cpu);
			for (size_t j = 0; j < in->nr_ranges && used < sizeof(mem); j++)
				used += (size_t)snprintf(mem + used, sizeof(mem) - used,
							 "%s%s [0x%" PRIx64 ",0x%" PRIx64 ")",
							 j ? " " : "", in->ranges[j].name,
							 in->ranges[j].start, in->ranges[j].end);
			printf("%-4s  %-11s  ", cpu, in->stale ? "stale" : mk_state_name(in->state));
			print_uptime(in, now);
			printf(" %-50s  %s\n", mem, in->image);
		}
	}
	for (size_t i = 0; i < reg->nr_damaged; i++)
		printf("%s/%s: damaged record (%s)\n", reg->dir, reg->damaged[i].file,
		       reg->damaged[i].why);
}

static int mk_list(const struct kexec_options *o, const struct host_facts *hf,
		   const struct mk_registry *reg)
{
	struct mk_image im[16];
	size_t n;
	bool any = false;

	list_instances(reg);
	n = mk_images(hf, im, 16);
	printf("\n");
	if (!hf->have_proc_multikernel) {
		static const char *const state[] = { "unknown", "no", "yes" };

		/* What /sys/kernel says; the records above say what kexec loaded. */
		printf("kexec images: not listed by the running kernel (no /proc/multikernel)\n");
		printf("ordinary kexec image loaded: %s\n", state[hf->kexec_loaded + 1]);
		printf("crash kernel loaded: %s\n", state[hf->kexec_crash_loaded + 1]);
		for (size_t i = 0; i < reg->nr; i++)
			any |= strcmp(reg->inst[i].file, MK_INSTANCE_LOADED) == 0;
	} else if (n == 0) {
		printf("no kexec images loaded\n");
	} else {
		printf("%-12s  %-18s  %s\n", "TYPE", "ENTRY", "SEGMENTS");
		for (size_t i = 0; i < n; i++) {
			printf("%-12s  0x%016" PRIx64 "  %lu\n", im[i].type, im[i].entry,
			       im[i].segments);
			any |= strcmp(im[i].type, "multikernel") == 0;
		}
	}
	/* -S: 1 when a multikernel image is loaded or an instance holds a CPU. */
	for (size_t i = 0; i < reg->nr; i++)
		any |= reg->inst[i].cpu >= 0 && mk_instance_holds(&reg->inst[i]);
	return o->action == ACT_STATUS ? any : 0;
}

/* Does the action change the records (and so need them locked for writing)? */
static bool writes_records(const struct kexec_options *o)
{
	return !o->dry_run && o->action != ACT_LIST && o->action != ACT_STATUS;
}

int multikernel_dispatch(const struct kexec_options *o, struct host_facts *hf,
			 struct kx_error *err)
{
	struct mk_registry reg;
	bool lists = o->action == ACT_LIST || o->action == ACT_STATUS;
	int ret;

	if (check_abi(hf, err) || (!lists && check_support(o, err)))
		return -1;
	if (mk_registry_open(hf->sysroot, hf->boot_id, writes_records(o), &reg, err))
		return -1;
	/* A "loaded" record whose image the kernel no longer lists is history. */
	if (hf->have_proc_multikernel && mk_registry_find(&reg, MK_INSTANCE_LOADED) &&
	    !mk_loaded(hf, NULL)) {
		if (reg.writable)
			ret = mk_registry_remove(&reg, MK_INSTANCE_LOADED, err);
		else
			ret = 0, *mk_registry_find(&reg, MK_INSTANCE_LOADED) = reg.inst[--reg.nr];
		if (ret)
			goto out;
	}
	if (!lists && o->action != ACT_FORGET && o->action != ACT_UNLOAD &&
	    (ret = check_records_sound(&reg, err)))
		goto out;
	switch (o->action) {
	case ACT_LOAD:
		ret = mk_load(o, hf, &reg, err);
		break;
	case ACT_FORCE:
	case ACT_LOAD_SHUTDOWN:
		ret = mk_load(o, hf, &reg, err);
		if (ret == 0)
			ret = mk_start(o, hf, &reg, err);
		break;
	case ACT_EXEC:
		ret = mk_start(o, hf, &reg, err);
		break;
	case ACT_UNLOAD:
		ret = mk_unload(o, &reg, err);
		break;
	case ACT_FORGET:
		ret = mk_forget(o, &reg, err);
		break;
	default:
		ret = mk_list(o, hf, &reg);
		break;
	}
out:
	mk_registry_close(&reg);
	return ret;
}
