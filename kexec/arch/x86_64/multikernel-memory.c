// SPDX-License-Identifier: GPL-2.0-only
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmdline-params.h"
#include "load-env.h"
#include "multikernel-memory.h"
#include "plan.h"

#define ONE_MIB  (1ull << 20)
#define IDENTITY_MAP_END MK_IDENTITY_MAP_END

/*
 * memmap= can name any range, even a device hole: keep only what the
 * firmware calls RAM.  (The low window is the exception that proves it:
 * firmware RAM below 1 MiB is RAM too.)
 */
static int keep_firmware_ram(const struct host_facts *hf, struct mem_ranges *ranges,
			     struct kx_error *err)
{
	struct mem_ranges in = *ranges;

	ranges->nr = 0;
	for (size_t i = 0; i < in.nr; i++) {
		for (size_t j = 0; j < hf->firmware_map.nr; j++) {
			const struct mem_range *f = &hf->firmware_map.r[j];
			uint64_t s = in.r[i].start > f->start ? in.r[i].start : f->start;
			uint64_t e = in.r[i].end < f->end ? in.r[i].end : f->end;

			if (f->type == MEM_RAM && s < e && mem_ranges_add(ranges, s, e, in.r[i].type))
				return load_env_map_full("the memmap= reservations within firmware RAM",
							 err);
		}
	}
	return 0;
}

/* memmap=$/! entries and RAM above mem=, minus anything the host uses as RAM. */
static int candidates(const struct host_facts *hf, struct mem_ranges *out, struct kx_error *err)
{
	struct cmdline_memmap cm;
	struct mem_ranges host_ram = hf->iomem.top;
	int rc = cmdline_parse_memmap(hf->cmdline, &cm);

	if (rc == -2)
		return load_env_map_full("the memmap= reservations on this kernel's command line", err);
	if (rc)
		return kx_fail(err, KX_EHOST, "cannot parse the memmap=/mem= parameters of this "
			       "kernel's command line");
	*out = cm.reserved;
	if (cm.mem_limit && hf->have_firmware_map) {
		for (size_t i = 0; i < hf->firmware_map.nr; i++) {
			const struct mem_range *m = &hf->firmware_map.r[i];

			if (m->type == MEM_RAM && m->end > cm.mem_limit &&
			    mem_ranges_add(out, m->start > cm.mem_limit ? m->start : cm.mem_limit,
					   m->end, MEM_RAM))
				return load_env_map_full("the memmap= reservations and RAM above mem=",
							 err);
		}
	}
	/* A map cut short here would leave host RAM in a candidate: fail instead. */
	mem_ranges_keep_type(&host_ram, MEM_RAM);
	for (size_t i = 0; i < host_ram.nr; i++)
		if (mem_ranges_subtract(out, host_ram.r[i].start, host_ram.r[i].end))
			return load_env_map_full("the memmap= reservations outside host RAM", err);
	if (hf->have_firmware_map && keep_firmware_ram(hf, out, err))
		return -1;
	for (size_t i = 0; i < out->nr; i++)
		out->r[i].type = MEM_RAM;
	mem_ranges_normalize(out);
	return 0;
}

int mk_memory_find(const struct host_facts *hf, uint64_t mem_min, uint64_t mem_max,
		   const struct mem_ranges *held, struct mk_memory *out, struct kx_error *err)
{
	struct mem_ranges c, high;
	uint64_t end = load_env_mem_end(mem_max, IDENTITY_MAP_END);

	memset(out, 0, sizeof(*out));
	if (load_env_require_iomem(hf, err))
		return -1;
	if (candidates(hf, &c, err))
		return -1;
	/* What running instances own is not a candidate for the next one. */
	for (size_t i = 0; held && i < held->nr; i++)
		mem_ranges_subtract(&c, held->r[i].start, held->r[i].end);

	/* The low window: the largest candidate piece below 1 MiB. */
	for (size_t i = 0; i < c.nr; i++) {
		struct mem_range m = c.r[i];

		if (m.start >= ONE_MIB)
			continue;
		if (m.end > ONE_MIB)
			m.end = ONE_MIB;
		if (!out->have_low || mem_range_size(&m) > mem_range_size(&out->low)) {
			out->low = m;
			out->have_low = true;
		}
	}
	if (out->have_low && mem_range_size(&out->low) > MK_LOW_SIZE)
		out->low.end = out->low.start + MK_LOW_SIZE;

	high = c;
	mem_ranges_clip(&high, mem_min > ONE_MIB ? mem_min : ONE_MIB,
			end < IDENTITY_MAP_END ? end : IDENTITY_MAP_END);
	for (size_t i = 0; i < high.nr; i++)
		if (mem_range_size(&high.r[i]) > mem_range_size(&out->main))
			out->main = high.r[i];
	if (mem_range_size(&out->main) == 0)
		return kx_fail(err, KX_ENORESERVATION, "no reserved memory for a multikernel%s: boot "
			       "the host with memmap=SIZE$ADDR below 4 GiB (e.g. "
			       "memmap=256M$0x20000000) and memmap=0x60000$0x20000 for its low "
			       "memory", mem_min || (mem_max && mem_max != UINT64_MAX) ?
			       " between --mem-min and --mem-max" : "");
	/* By hand, the whole window; by default one instance's share, from the bottom. */
	if (!mem_min && (!mem_max || mem_max == UINT64_MAX) &&
	    mem_range_size(&out->main) > MK_INSTANCE_SIZE)
		out->main.end = out->main.start + MK_INSTANCE_SIZE;
	return 0;
}

int mk_memory_env(const struct host_facts *hf, const struct mk_memory *mem,
		  struct load_env *env, struct kx_error *err)
{
	memset(env, 0, sizeof(*env));
	mem_ranges_add(&env->allowed, mem->main.start, mem->main.end, MEM_RAM);
	/* The last page is purgatory's status record: a segment, but not the kernel's RAM. */
	env->status_addr = mem->main.end - KX_PAGE_SIZE;
	env->allowed_name = "the multikernel reservation";
	env->no_room_hint = "boot the host with a larger memmap= reservation or use a smaller "
			    "kernel or initrd";
	env->max_end = mem->main.end;
	env->kernel_top_down = false;
	env->purgatory_own_page_tables = true;

	/* The host's firmware ranges (ACPI, NVS, reserved) stay; its RAM does not. */
	load_env_firmware_map(hf, &env->e820);
	mem_ranges_drop_type(&env->e820, MEM_RAM);
	if (mem_ranges_subtract(&env->e820, mem->main.start, mem->main.end) ||
	    mem_ranges_add(&env->e820, mem->main.start, env->status_addr, MEM_RAM) ||
	    mem_ranges_add(&env->e820, env->status_addr, mem->main.end, MEM_RESERVED) ||
	    (mem->have_low &&
	     (mem_ranges_subtract(&env->e820, mem->low.start, mem->low.end) ||
	      mem_ranges_add(&env->e820, mem->low.start, mem->low.end, MEM_RAM))))
		return load_env_map_full("the new kernel's memory map", err);
	mem_ranges_normalize(&env->e820);
	env->acpi_rsdp_addr = hf->acpi_rsdp_addr;
	env->totalram_bytes = hf->totalram_bytes;
	return 0;
}
