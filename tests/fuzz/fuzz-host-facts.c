// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host facts read from a sysroot the input describes (fuzz_write_sysroot),
 * then where an ordinary and a multikernel load may go on that machine,
 * and a small kernel planned there.  The invariants: ordinary loads never
 * touch a crash area, memory below 1 MiB or anything but System RAM; a
 * multikernel reservation is never host RAM (and is firmware RAM when the
 * firmware map is known); a cpu MHz becomes a plausible kHz or unknown;
 * every failure carries a reason.  The facts only a multikernel load or
 * start reads (the kernel log, the serial ports, /proc/cpuinfo's APIC ids) are read from the same
 * sysroot: no CPUID for a recorded machine, only real ports.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "load-env.h"
#include "multikernel-memory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ONE_MIB  (1ull << 20)
#define FOUR_GIB (1ull << 32)

static char *sysroot;
static uint8_t *bzimage;
static size_t bzimage_size;

static void check_ordinary(const struct host_facts *hf, uint64_t mem_min, uint64_t mem_max)
{
	static struct load_env env;
	static struct kx_plan plan;
	struct kx_error err = { .status = KX_OK };
	uint64_t end = load_env_mem_end(mem_max, UINT64_MAX);

	if (load_env_ordinary(hf, mem_min, mem_max, &env, &err)) {
		fuzz_check_failure(&err);
		return;
	}
	for (size_t i = 0; i < env.allowed.nr; i++) {
		const struct mem_range *r = &env.allowed.r[i];

		FUZZ_ASSERT(r->start >= ONE_MIB && r->end <= FOUR_GIB && r->start >= mem_min &&
			    r->end <= end, "usable range [%#" PRIx64 ", %#" PRIx64 ") is out of bounds",
			    r->start, r->end);
		for (size_t c = 0; c < hf->iomem.crash.nr; c++)
			FUZZ_ASSERT(r->end <= hf->iomem.crash.r[c].start ||
				    r->start >= hf->iomem.crash.r[c].end,
				    "usable range [%#" PRIx64 ", %#" PRIx64 ") overlaps a crash area",
				    r->start, r->end);
	}
	if (fuzz_plan_image(bzimage, bzimage_size, NULL, &env, "console=ttyS0", &plan, &err) == 0)
		fuzz_check_ordinary_plan(&plan, &env, hf);
	else
		fuzz_check_failure(&err);
	plan_free(&plan);
}

static void check_multikernel(const struct host_facts *hf, uint64_t mem_min, uint64_t mem_max)
{
	static struct load_env env;
	static struct kx_plan plan;
	struct kx_error err = { .status = KX_OK };
	struct mk_memory mk;

	if (mk_memory_find(hf, mem_min, mem_max, NULL, &mk, &err)) {
		fuzz_check_failure(&err);
		return;
	}
	fuzz_check_reservation(hf, &mk.main, mem_min, mem_max);
	if (mk.have_low) {
		struct mem_ranges ram = hf->iomem.top;

		mem_ranges_keep_type(&ram, MEM_RAM);
		FUZZ_ASSERT(mk.low.end <= ONE_MIB && mk.low.end > mk.low.start &&
			    !mem_ranges_overlap(&ram, mk.low.start, mk.low.end),
			    "low memory [%#" PRIx64 ", %#" PRIx64 ") is host RAM or above 1 MiB",
			    mk.low.start, mk.low.end);
	}
	if (mk_memory_env(hf, &mk, &env, &err)) {
		fuzz_check_failure(&err);
		return;
	}
	if (fuzz_plan_image(bzimage, bzimage_size, NULL, &env, "console=ttyS1", &plan, &err) == 0)
		fuzz_check_multikernel_plan(&plan, &env, hf, &mk.main);
	else
		fuzz_check_failure(&err);
	plan_free(&plan);
}

static void check_multikernel_only_facts(const struct host_facts *hf)
{
	struct host_serial_ports ports;
	struct tsc_sources src;

	host_tsc_sources_read(hf, &src);
	FUZZ_ASSERT(!src.have_cpuid && !tsc_measurement_allowed(&src),
		    "a recorded machine's TSC sources include this CPU's CPUID");
	for (unsigned int cpu = 0; cpu < 4; cpu++) {
		uint32_t id = UINT32_MAX;

		/* /proc/cpuinfo's "apicid" (the instance's MADT entry): any number, or none. */
		if (host_cpu_apic_id(hf, cpu, &id) != 0)
			FUZZ_ASSERT(id == UINT32_MAX, "CPU %u: no APIC id found, yet one was stored", cpu);
	}
	host_serial_ports_read(hf, &ports);
	FUZZ_ASSERT(ports.nr <= HOST_SERIAL_MAX, "%u serial ports", ports.nr);
	for (unsigned int i = 0; i < ports.nr; i++)
		FUZZ_ASSERT(ports.port[i].io_port != 0 &&
			    strncmp(ports.port[i].name, "ttyS", 4) == 0,
			    "serial port %s at 0x%x", ports.port[i].name, ports.port[i].io_port);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct host_facts hf;
	struct fuzz_section s[] = { { .name = "mem" } };
	struct kx_error err = { .status = KX_OK };
	uint64_t mem_min = 0, mem_max = 0;

	if (!sysroot) {
		sysroot = fuzz_mkdtemp();
		bzimage = fuzz_small_bzimage(&bzimage_size);
	}
	fuzz_write_sysroot(sysroot, data, size);
	fuzz_split(data, size, s, 1);
	if (s[0].data) {
		char *text = fuzz_strdup(&s[0]), *end;

		mem_min = strtoull(text, &end, 0);
		mem_max = strtoull(end, NULL, 0);
		free(text);
		if (mem_max && mem_max < mem_min)
			mem_max = 0;	/* options.c refuses this */
	}
	if (host_facts_read(sysroot, &hf, &err)) {
		fuzz_check_failure(&err);
		return 0;
	}
	check_multikernel_only_facts(&hf);
	check_ordinary(&hf, mem_min, mem_max);
	check_multikernel(&hf, mem_min, mem_max);
	return 0;
}
