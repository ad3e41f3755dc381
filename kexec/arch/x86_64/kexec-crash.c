// SPDX-License-Identifier: GPL-2.0-only
/*
 * A crash kernel through kexec_load (-p without -s): everything the
 * kernel's own file loader does for a panic image, done here so the plan
 * can be printed and checked.  The capture kernel and its pieces go into
 * the crash region; the ELF core header describing the crashed kernel
 * (crash-elf.c) goes at the top of it; the capture kernel gets an e820 of
 * the crash region plus the firmware tables (crash-memory.c) and finds the
 * header through elfcorehdr= on its command line.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crash-memory.h"
#include "kexec-crash.h"
#include "load-env.h"
#include "load-pipeline.h"

struct crash_work {
	struct crash_facts facts;
	struct mem_ranges dump;
	struct load_env env;
	struct loaded_inputs in;
	char prefix[128];
};

/* Segments go anywhere in the crash region (within --mem-min/--mem-max). */
static int crash_env(const struct kexec_options *o, const struct host_facts *hf,
		     const struct mem_range *region, struct load_env *env, struct kx_error *err)
{
	memset(env, 0, sizeof(*env));
	mem_ranges_add(&env->allowed, region->start, region->end, MEM_RAM);
	env->allowed_name = "the crash kernel region";
	env->no_room_hint = "a larger crashkernel= reservation or a smaller initrd";
	env->max_end = region->end;
	env->acpi_rsdp_addr = hf->acpi_rsdp_addr;
	env->totalram_bytes = hf->totalram_bytes;
	return load_env_clip(env, o->mem_min, o->mem_max, err);
}

/* The header at the top of the crash region: out of the way of the kernel's decompression. */
static int place_header(struct load_env *env, uint64_t memsz, uint64_t *addr,
			struct kx_error *err)
{
	const struct mem_range *top = &env->allowed.r[env->allowed.nr - 1];
	uint64_t end = top->end & ~(KX_PAGE_SIZE - 1);

	memsz = kx_page_up(memsz);
	if (end < top->start + memsz)
		return kx_fail(err, KX_ENOROOM, "no room for the %" PRIu64 "-byte ELF core header "
			       "in the crash kernel region; use a larger crashkernel=", memsz);
	*addr = end - memsz;
	return 0;
}

static int build_header(const struct kexec_options *o, struct crash_work *w, uint8_t **hdr,
			size_t *hdr_size, uint64_t *memsz, struct kx_error *err)
{
	struct crash_elf_input ei = {
		.cpu_notes = w->facts.notes,
		.nr_cpu_notes = w->facts.nr_notes,
		.vmcoreinfo = w->facts.vmcoreinfo,
		.map = w->facts.map,
		.dump = &w->dump,
	};

	*hdr_size = crash_elf_size(&ei);
	*memsz = *hdr_size;
	/* --hotplug: room for the kernel to rewrite it as CPUs and memory change. */
	if (o->hotplug) {
		if (!w->facts.elfcorehdr_size)
			return kx_fail(err, KX_ENOSUPPORT, "--hotplug: this kernel has no "
				       "/sys/kernel/crash_elfcorehdr_size (CONFIG_CRASH_HOTPLUG); "
				       "drop --hotplug");
		if (w->facts.elfcorehdr_size > *memsz)
			*memsz = w->facts.elfcorehdr_size;
	}
	*hdr = calloc(1, *hdr_size);
	if (!*hdr)
		return kx_fail(err, KX_EHOST, "out of memory building the ELF core header");
	return crash_elf_build(&ei, *hdr, *hdr_size, err);
}

static void print_header(const struct kexec_options *o, const struct crash_work *w,
			 const uint8_t *hdr, size_t hdr_size, uint64_t addr)
{
	if (!o->dry_run && !o->debug)
		return;
	printf("crash kernel region [0x%" PRIx64 ", 0x%" PRIx64 "); ELF core header at 0x%" PRIx64
	       "; %zu of %zu possible CPUs have crash notes\n", w->env.allowed.r[0].start,
	       w->env.max_end, addr, w->facts.nr_notes, w->facts.nr_possible);
	crash_elf_print(stdout, hdr, hdr_size);
}

int crash_load(const struct kexec_options *o, const struct host_facts *hf,
	       const struct loaded_inputs *in, struct kx_error *err)
{
	struct crash_work *w = calloc(1, sizeof(*w));
	struct mem_range region;
	uint8_t *hdr = NULL;
	size_t hdr_size = 0;
	uint64_t hdr_addr = 0, memsz = 0;
	int ret = -1;

	if (!w)
		return kx_fail(err, KX_EHOST, "out of memory planning the crash kernel");
	if (crash_load_region(&hf->iomem, &region)) {
		kx_fail(err, KX_ENOCRASH, "no memory is reserved for a crash kernel; boot with "
			"crashkernel=SIZE");
		goto out;
	}
	if (host_crash_facts_read(hf, &w->facts, err) ||
	    crash_dump_ranges(&hf->iomem, &w->dump, err) ||
	    build_header(o, w, &hdr, &hdr_size, &memsz, err) ||
	    crash_env(o, hf, &region, &w->env, err) ||
	    place_header(&w->env, memsz, &hdr_addr, err) ||
	    crash_capture_e820(&hf->iomem, hdr_addr, hdr_addr + kx_page_up(memsz), &w->env.e820,
			       err))
		goto out;
	w->env.fixed.buf = hdr;
	w->env.fixed.bufsz = hdr_size;
	w->env.fixed.mem = hdr_addr;
	w->env.fixed.memsz = memsz;
	w->env.fixed.purpose = "elfcorehdr";
	w->env.fixed.source = "built";
	w->env.fixed.unchecked = o->hotplug;

	/*
	 * As the kernel's file loader: elfcorehdr= before the user's words.
	 * The RSDP also goes in the zero page; the command line reaches
	 * kernels that do not read boot_params.acpi_rsdp_addr (before 2.14).
	 */
	snprintf(w->prefix, sizeof(w->prefix), "elfcorehdr=0x%" PRIx64, hdr_addr);
	if (hf->acpi_rsdp_addr)
		snprintf(w->prefix + strlen(w->prefix), sizeof(w->prefix) - strlen(w->prefix),
			 " acpi_rsdp=0x%" PRIx64, hf->acpi_rsdp_addr);
	w->in = *in;
	if (compose_cmdline(o, hf, (const char *const[]){ "crashkernel", "elfcorehdr" }, 2,
			    w->prefix, w->in.req.cmdline, sizeof(w->in.req.cmdline), err) ||
	    inputs_embedded_cmdline(o, &w->in, w->in.req.cmdline, sizeof(w->in.req.cmdline), err))
		goto out;
	print_header(o, w, hdr, hdr_size, hdr_addr);
	ret = pipeline_plan_and_load(&w->in, &w->env,
				     KEXEC_ON_CRASH | (o->hotplug ? KEXEC_UPDATE_ELFCOREHDR : 0),
				     KX_CALL_LOAD_PANIC, o, err);
out:
	free(hdr);
	free(w);
	return ret;
}
