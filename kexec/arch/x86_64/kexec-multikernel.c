// SPDX-License-Identifier: GPL-2.0-only
/*
 * kexec --multikernel: boot a second kernel on an offline CPU while this
 * one keeps running (multikernel RFC v1, see shared/spec/ABI.md).
 *
 *   preflight (root, kernel support, nothing loaded, the CPU)
 *   -> the reservation (multikernel-memory.c) -> plan -> check
 *   -> kexec_load(KEXEC_MULTIKERNEL) -> reboot(MULTIKERNEL, {cpu})
 *
 * The kernel checks none of the destinations and copies at load time, so
 * a wrong address overwrites the running host: the plan check refuses any
 * byte outside the reservation before the kernel sees it.  If the start
 * fails after a successful load, the image is unloaded again.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kexec-actions.h"
#include "kexec-syscall.h"
#include "load-pipeline.h"
#include "multikernel-cmdline.h"
#include "multikernel-memory.h"

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

static int check_support(const struct kexec_options *o, const struct host_facts *hf,
			 struct kx_error *err)
{
	if (!o->dry_run && geteuid() != 0)
		return kx_fail(err, KX_EPERM, "--multikernel must be run as root (kexec_load and "
			       "reboot need CAP_SYS_BOOT)");
	if (!hf->have_proc_multikernel)
		return kx_fail(err, KX_ENOSUPPORT, "the running kernel has no multikernel support "
			       "(no /proc/multikernel): boot a kernel with the multikernel RFC "
			       "patches and CONFIG_KEXEC_JUMP=y");
	return 0;
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
					     const struct host_facts *hf)
{
	return (struct mk_cmdline_in){
		.serial_port = mk_serial(o),
		.tsc_khz = hf->cpu_khz,
		.shared_mem_addr = hf->iomem.mk_shared.nr ? hf->iomem.mk_shared.r[0].start : 0,
		.dropped = o->no_default_param,
		.nr_dropped = o->nr_no_default_param,
	};
}

static int mk_plan_and_load(const struct kexec_options *o, const struct host_facts *hf,
			    struct loaded_inputs *in, struct kx_error *err)
{
	static const char *const host_only[] = { "memmap", "mem", "crashkernel", "initrd",
						 "console" };
	char prefix[1024];
	struct mk_cmdline_in cl;
	struct mk_memory mem;
	struct load_env env;

	if (mk_memory_find(hf, o->mem_min, o->mem_max, &mem, err))
		return -1;
	if (!mem.have_low && strcmp(in->type->name, "bzImage64") == 0)
		return kx_fail(err, KX_ENORESERVATION, "a Linux kernel needs RAM below 1 MiB for its "
			       "trampolines and the host reserved none: boot the host with "
			       "memmap=0x60000$0x20000 as well");
	if (mk_memory_env(hf, &mem, &env, err))
		return -1;
	in->req.serial_port = mk_serial(o);
	cl = mk_cmdline_facts(o, hf);
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
	return pipeline_plan_and_load(in, &env, KEXEC_MULTIKERNEL, KX_CALL_LOAD_MULTIKERNEL, o,
				      err);
}

int multikernel_load(const struct kexec_options *o, struct host_facts *hf, struct kx_error *err)
{
	struct loaded_inputs in;
	struct mk_image im;
	int ret;

	if (check_support(o, hf, err))
		return -1;
	/* The RFC starts the oldest image whatever CPU is named: one at a time. */
	if (mk_loaded(hf, &im))
		return kx_fail(err, KX_ESTATE, "a multikernel image is already loaded (entry 0x%"
			       PRIx64 "); the kernel would start it, not this one, so unload it "
			       "first with 'kexec -u --multikernel'", im.entry);
	if (o->cpu >= 0 && check_cpu(o, hf, err))
		return -1;
	if (inputs_open(o, &in, err))
		return -1;
	ret = mk_plan_and_load(o, hf, &in, err);
	inputs_close(&in);
	return ret;
}

int multikernel_start(const struct kexec_options *o, struct host_facts *hf, struct kx_error *err)
{
	struct kx_error undo;

	if (check_support(o, hf, err))
		return -1;
	/* After our own load (-f) /proc/multikernel was read before it; trust the load. */
	if (o->action == ACT_EXEC && !mk_loaded(hf, NULL))
		return kx_fail(err, KX_ENOTLOADED, "no multikernel image is loaded; load one with "
			       "'kexec -l --multikernel' first");
	if (check_cpu(o, hf, err))
		return -1;
	if (o->dry_run) {
		printf("would start the multikernel image on CPU %d\n", o->cpu);
		return 0;
	}
	if (kx_sys_reboot_multikernel(o->cpu, err) == 0)
		return 0;
	/* Leave nothing half done: a load we just made goes again. */
	if (o->action != ACT_EXEC)
		kx_sys_kexec_unload(KEXEC_MULTIKERNEL, KX_CALL_UNLOAD_MULTIKERNEL, &undo);
	return -1;
}

int multikernel_unload(const struct kexec_options *o, struct kx_error *err)
{
	if (o->dry_run) {
		printf("would unload all multikernel images\n");
		return 0;
	}
	return kx_sys_kexec_unload(KEXEC_MULTIKERNEL, KX_CALL_UNLOAD_MULTIKERNEL, err);
}

int multikernel_list(const struct kexec_options *o, const struct host_facts *hf,
		     struct kx_error *err)
{
	struct mk_image im[16];
	size_t n;
	bool any = false;

	if (!hf->have_proc_multikernel)
		return kx_fail(err, KX_ENOSUPPORT, "the running kernel has no multikernel support "
			       "(no /proc/multikernel)");
	n = mk_images(hf, im, 16);
	if (n == 0) {
		printf("no kexec images loaded\n");
	} else {
		printf("%-12s  %-18s  %s\n", "TYPE", "ENTRY", "SEGMENTS");
		for (size_t i = 0; i < n; i++) {
			printf("%-12s  0x%016" PRIx64 "  %lu\n", im[i].type, im[i].entry,
			       im[i].segments);
			any |= strcmp(im[i].type, "multikernel") == 0;
		}
	}
	/* -S answers like kexec-tools: 1 when an image of the type is loaded. */
	return o->action == ACT_STATUS ? any : 0;
}
