/* SPDX-License-Identifier: GPL-2.0-only */
/* Where an ordinary (or panic) kexec may put its segments, from the host's maps. */
#ifndef KEXEC_LOAD_ENV_H
#define KEXEC_LOAD_ENV_H

#include "host-facts.h"
#include "load-request.h"

/*
 * Segments may go in System RAM above 1 MiB, outside any crash kernel area,
 * within [mem_min, mem_max] (mem_max inclusive, 0 = no limit) and below
 * 4 GiB; the new kernel gets the firmware's memory map.
 */
int load_env_ordinary(const struct host_facts *hf, uint64_t mem_min, uint64_t mem_max,
		      struct load_env *env, struct kx_error *err);

/* Placement needs /proc/iomem with its addresses (root sees them, others get zeros). */
int load_env_require_iomem(const struct host_facts *hf, struct kx_error *err);

/* Keep env->allowed within [mem_min, mem_max] and below env->max_end. */
int load_env_clip(struct load_env *env, uint64_t mem_min, uint64_t mem_max,
		  struct kx_error *err);

/*
 * The exclusive end of [mem_min, mem_max]: mem_max is inclusive, and both 0
 * and 2^64-1 (kexec-tools' own default, which scripts pass) mean no limit.
 */
uint64_t load_env_mem_end(uint64_t mem_max, uint64_t no_limit_end);

/*
 * A map would need more than MEM_RANGES_MAX ranges: say so (KX_ELIMIT).
 * Never go on with the map cut short: it could then call a crash area or
 * host RAM free.
 */
int load_env_map_full(const char *map, struct kx_error *err);

/* The host's firmware memory map (or /proc/iomem's typed entries when absent). */
void load_env_firmware_map(const struct host_facts *hf, struct mem_ranges *out);

#endif /* KEXEC_LOAD_ENV_H */
