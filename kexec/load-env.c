// SPDX-License-Identifier: GPL-2.0-only
#include <inttypes.h>
#include <string.h>

#include "load-env.h"

#define ONE_MIB  (1ull << 20)
#define FOUR_GIB (1ull << 32)

void load_env_firmware_map(const struct host_facts *hf, struct mem_ranges *out)
{
	/*
	 * /sys/firmware/memmap is the map the firmware gave, before memmap= and
	 * mem= edited it: the new kernel applies its own command line.
	 */
	*out = hf->have_firmware_map ? hf->firmware_map : hf->iomem.top;
	mem_ranges_drop_type(out, MEM_OTHER);
	mem_ranges_normalize(out);
}

uint64_t load_env_mem_end(uint64_t mem_max, uint64_t no_limit_end)
{
	return mem_max && mem_max != UINT64_MAX ? mem_max + 1 : no_limit_end;
}

int load_env_map_full(const char *map, struct kx_error *err)
{
	return kx_fail(err, KX_ELIMIT, "too many memory ranges in %s (more than %d, kexec's "
		       "limit); it cannot place segments safely on this machine", map,
		       MEM_RANGES_MAX);
}

int load_env_require_iomem(const struct host_facts *hf, struct kx_error *err)
{
	if (!hf->have_iomem)
		return kx_fail(err, KX_EHOST, "cannot read %s/proc/iomem; is /proc mounted?",
			       hf->sysroot);
	if (hf->iomem.addresses_hidden)
		return kx_fail(err, KX_EPERM, "/proc/iomem shows no addresses: run kexec as root");
	return 0;
}

int load_env_clip(struct load_env *env, uint64_t mem_min, uint64_t mem_max,
		  struct kx_error *err)
{
	uint64_t end = load_env_mem_end(mem_max, UINT64_MAX);

	if (end > env->max_end)
		end = env->max_end;
	mem_ranges_clip(&env->allowed, mem_min, end);
	if (env->allowed.nr == 0)
		return kx_fail(err, KX_ENOROOM, "no %s between 0x%" PRIx64 " and 0x%" PRIx64
			       "; check --mem-min/--mem-max", env->allowed_name, mem_min, end);
	return 0;
}

int load_env_ordinary(const struct host_facts *hf, uint64_t mem_min, uint64_t mem_max,
		      struct load_env *env, struct kx_error *err)
{
	memset(env, 0, sizeof(*env));
	if (load_env_require_iomem(hf, err))
		return -1;
	env->allowed = hf->iomem.top;
	mem_ranges_keep_type(&env->allowed, MEM_RAM);
	for (size_t i = 0; i < hf->iomem.crash.nr; i++)
		if (mem_ranges_subtract(&env->allowed, hf->iomem.crash.r[i].start,
					hf->iomem.crash.r[i].end))
			return load_env_map_full("System RAM outside the crash kernel areas", err);
	/* The first MiB holds the BIOS data, the real-mode trampoline and friends. */
	if (mem_ranges_subtract(&env->allowed, 0, ONE_MIB))
		return load_env_map_full("System RAM above 1 MiB", err);
	env->allowed_name = "usable RAM";
	env->no_room_hint = "free memory, lower --mem-min or raise --mem-max";
	env->max_end = FOUR_GIB;
	env->kernel_top_down = true;
	load_env_firmware_map(hf, &env->e820);
	env->acpi_rsdp_addr = hf->acpi_rsdp_addr;
	env->totalram_bytes = hf->totalram_bytes;
	return load_env_clip(env, mem_min, mem_max, err);
}
