// SPDX-License-Identifier: GPL-2.0-only
/*
 * The reservation planner behind --plan-reservation (the rules and their
 * reasons are in multikernel-reserve.h).  Pure: it reads only the host
 * facts it is given, and the same facts give the same plan.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline-params.h"
#include "load-env.h"
#include "multikernel-memory.h"
#include "multikernel-reserve.h"
#include "plan.h"

#define ONE_MIB	 (1ull << 20)
#define FOUR_GIB MK_IDENTITY_MAP_END

static uint64_t round_up(uint64_t v, uint64_t align)
{
	return v > UINT64_MAX - (align - 1) ? UINT64_MAX & ~(align - 1) : (v + align - 1) & ~(align - 1);
}

static uint64_t round_down(uint64_t v, uint64_t align)
{
	return v & ~(align - 1);
}

/* "512 MiB", "192 KiB", "1 GiB", else bytes in hex: for messages. */
static const char *human(uint64_t v, char *buf, size_t size)
{
	if (v && v % (1ull << 30) == 0)
		snprintf(buf, size, "%" PRIu64 " GiB", v >> 30);
	else if (v && v % ONE_MIB == 0)
		snprintf(buf, size, "%" PRIu64 " MiB", v >> 20);
	else if (v && v % 1024 == 0)
		snprintf(buf, size, "%" PRIu64 " KiB", v >> 10);
	else
		snprintf(buf, size, "0x%" PRIx64 " bytes", v);
	return buf;
}

static int check_request(const struct mk_reserve_request *req, struct kx_error *err)
{
	char a[32];

	if (req->instances == 0 || req->instances > MK_RESERVE_MAX_INSTANCES)
		return kx_fail(err, KX_EUSAGE, "--plan-reservation: %u instances; give 1 to %d",
			       req->instances, MK_RESERVE_MAX_INSTANCES);
	if (req->instance_size == 0 || req->instance_size % MK_RESERVE_ALIGN)
		return kx_fail(err, KX_EUSAGE, "--plan-reservation: an instance size of %s is not a "
			       "multiple of 2 MiB (the 2 MiB pages of the wake-up trampoline and a "
			       "kernel's alignment); give e.g. 256M",
			       human(req->instance_size, a, sizeof(a)));
	return 0;
}

/* Refuse a kernel whose own maps already carry a reservation (or any memmap=/mem= edit). */
static int check_no_reservation(const struct host_facts *hf, struct kx_error *err)
{
	char value[128];
	const char *name = cmdline_has_param(hf->cmdline, "memmap") ? "memmap" :
			   cmdline_has_param(hf->cmdline, "mem") ? "mem" : NULL;

	if (!name)
		return 0;
	if (!cmdline_last_value(hf->cmdline, name, value, sizeof(value)))
		value[0] = '\0';
	return kx_fail(err, KX_ERESERVED, "this kernel already boots with %s=%s: its memory maps "
		       "show the machine with a reservation in place; 'kexec --multikernel' uses "
		       "that one, or boot once without it (remove it from GRUB, run update-grub, "
		       "reboot) to plan another", name, value);
}

/* Take every range of map that is not RAM out of ram, in whole pages. */
static int subtract_other(struct mem_ranges *ram, const struct mem_ranges *map,
			  struct kx_error *err)
{
	for (size_t i = 0; i < map->nr; i++)
		if (map->r[i].type != MEM_RAM &&
		    mem_ranges_subtract(ram, round_down(map->r[i].start, KX_PAGE_SIZE),
					round_up(map->r[i].end, KX_PAGE_SIZE)))
			return load_env_map_full("the RAM both maps agree on", err);
	return 0;
}

/*
 * Whole pages of what /proc/iomem calls System RAM and, when the kernel
 * exports it, the firmware's map calls RAM too, and that no other top-level
 * line of /proc/iomem claims (the kernel never lists overlapping lines; a
 * map that does is believed on the side of caution).
 */
static int usable_ram(const struct host_facts *hf, struct mem_ranges *out, struct kx_error *err)
{
	struct mem_ranges ram = hf->iomem.top;

	mem_ranges_keep_type(&ram, MEM_RAM);
	out->nr = 0;
	for (size_t i = 0; i < ram.nr; i++) {
		for (size_t j = 0; j < (hf->have_firmware_map ? hf->firmware_map.nr : 1); j++) {
			const struct mem_range *f = hf->have_firmware_map ? &hf->firmware_map.r[j] : NULL;
			uint64_t s = ram.r[i].start, e = ram.r[i].end;

			if (f && f->type != MEM_RAM)
				continue;
			if (f && f->start > s)
				s = f->start;
			if (f && f->end < e)
				e = f->end;
			s = round_up(s, KX_PAGE_SIZE);
			e = round_down(e, KX_PAGE_SIZE);
			if (s < e && mem_ranges_add(out, s, e, MEM_RAM))
				return load_env_map_full("the RAM both maps agree on", err);
		}
	}
	if (subtract_other(out, &hf->iomem.top, err))
		return -1;
	mem_ranges_normalize(out);
	return 0;
}

/* The running kernel's image from its "Kernel ..." lines, widened to 2 MiB. */
static int kernel_image(const struct host_facts *hf, struct mem_range *out, struct kx_error *err)
{
	const struct mem_ranges *k = &hf->iomem.kernel;

	if (k->nr == 0)
		return kx_fail(err, KX_EHOST, "%s/proc/iomem names no \"Kernel code\": cannot tell "
			       "where the running kernel lies, so no reservation can be planned "
			       "around it", hf->sysroot);
	*out = k->r[0];
	for (size_t i = 1; i < k->nr; i++) {
		if (k->r[i].start < out->start)
			out->start = k->r[i].start;
		if (k->r[i].end > out->end)
			out->end = k->r[i].end;
	}
	out->start = round_down(out->start, MK_RESERVE_ALIGN);
	out->end = round_up(out->end, MK_RESERVE_ALIGN);
	return 0;
}

static int subtract_all(struct mem_ranges *from, const struct mem_ranges *what,
			struct kx_error *err)
{
	for (size_t i = 0; i < what->nr; i++)
		if (mem_ranges_subtract(from, what->r[i].start, what->r[i].end))
			return load_env_map_full("the RAM free for a reservation", err);
	return 0;
}

/* The instances' low memory: one piece at or above 64 KiB, as low as it fits. */
static int place_low(const struct mem_ranges *ram, const struct mem_ranges *keep_out,
		     struct mk_reserve_plan *p, struct kx_error *err)
{
	struct mem_ranges low = *ram;
	struct placement_request r = {
		.size = p->instances * MK_LOW_SIZE,
		.align = KX_PAGE_SIZE,
		.max_end = ONE_MIB,
	};
	char a[32], b[32];

	mem_ranges_clip(&low, MK_RESERVE_LOW_START, ONE_MIB);
	if (subtract_all(&low, keep_out, err))
		return -1;
	if (mem_ranges_find_space(&low, &r, &p->low.start))
		return kx_fail(err, KX_ENOFIT, "%u instances need %s of low memory for their "
			       "trampolines (192 KiB each) in one piece between 64 KiB and 1 MiB; "
			       "the largest piece of RAM there is %s: ask for fewer instances",
			       p->instances, human(r.size, a, sizeof(a)),
			       human(mem_ranges_largest(&low), b, sizeof(b)));
	p->low.end = p->low.start + r.size;
	p->low.type = MEM_RESERVED;
	if (mem_ranges_subtract(&low, p->low.start, p->low.end))
		return load_env_map_full("the RAM below 1 MiB", err);
	p->host_low_left = mem_ranges_largest(&low);
	if (p->host_low_left < MK_RESERVE_HOST_LOW_KEEP)
		return kx_fail(err, KX_ENOFIT, "%u instances' low memory (%s) would leave the host "
			       "%s in one piece below 1 MiB, less than the 128 KiB its own real-mode "
			       "and wake-up trampolines need: ask for fewer instances",
			       p->instances, human(r.size, a, sizeof(a)),
			       human(p->host_low_left, b, sizeof(b)));
	return 0;
}

/* The instances, as high below 4 GiB as they fit, each on a 2 MiB boundary. */
static int place_instances(struct mem_ranges *free_ram, struct mk_reserve_plan *p,
			   struct kx_error *err)
{
	struct placement_request r = {
		.size = p->instance_size,
		.align = MK_RESERVE_ALIGN,
		.max_end = UINT64_MAX,	/* free_ram ends at 4 GiB */
		.top_down = true,
	};
	uint64_t largest = mem_ranges_largest(free_ram);
	char a[32], b[32];

	for (unsigned int i = 0; i < p->instances; i++) {
		uint64_t addr;

		if (mem_ranges_find_space(free_ram, &r, &addr))
			return kx_fail(err, KX_ENOFIT, "%u instances of %s do not fit in this machine's "
				       "RAM below 4 GiB (room for %u): the largest free piece above "
				       "16 MiB and the kernel's size, outside the running kernel and "
				       "the crash kernel area, is %s; ask for fewer or smaller instances",
				       p->instances, human(p->instance_size, a, sizeof(a)), i,
				       human(largest, b, sizeof(b)));
		p->instance[i] = (struct mem_range){ addr, addr + r.size, MEM_RESERVED };
		if (mem_ranges_subtract(free_ram, addr, addr + r.size))
			return load_env_map_full("the RAM free for a reservation", err);
	}
	/* Placed top-down; listed bottom-up, the order default loads take them in. */
	for (unsigned int i = 0; i < p->instances / 2; i++) {
		struct mem_range t = p->instance[i];

		p->instance[i] = p->instance[p->instances - 1 - i];
		p->instance[p->instances - 1 - i] = t;
	}
	return 0;
}

/* memmap= words: the low piece, then the instances with touching ones merged. */
static int make_words(struct mk_reserve_plan *p, struct kx_error *err)
{
	struct mem_range w[1 + MK_RESERVE_MAX_INSTANCES];
	size_t n = 0;

	w[n++] = p->low;
	for (unsigned int i = 0; i < p->instances; i++) {
		if (n > 1 && w[n - 1].end == p->instance[i].start)
			w[n - 1].end = p->instance[i].end;
		else
			w[n++] = p->instance[i];
	}
	if (n > MK_RESERVE_MAX_WORDS)
		return kx_fail(err, KX_ENOFIT, "the instances fit only in pieces that need %zu "
			       "memmap= ranges; the kernel's KASLR steers around the first %d only "
			       "and stops randomizing after them: ask for fewer or smaller instances",
			       n, MK_RESERVE_MAX_WORDS);
	memcpy(p->word, w, n * sizeof(w[0]));
	p->nr_words = n;
	return 0;
}

int mk_reserve_plan(const struct host_facts *hf, const struct mk_reserve_request *req,
		    struct mk_reserve_plan *out, struct kx_error *err)
{
	struct mem_ranges *ram = NULL, *keep_out = NULL, *free_ram = NULL;
	struct mem_range image = { 0 };
	uint64_t ram_below_4g, total;
	char a[32];
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (check_request(req, err) || load_env_require_iomem(hf, err) ||
	    check_no_reservation(hf, err) || kernel_image(hf, &image, err))
		return -1;
	out->instances = req->instances;
	out->instance_size = req->instance_size;
	total = (uint64_t)req->instances * req->instance_size;	/* at most 64 x 4 GiB */
	if (req->instance_size > FOUR_GIB || total > FOUR_GIB)
		return kx_fail(err, KX_ENOFIT, "%u instances of %s: more than the 4 GiB below 4 GiB "
			       "where every instance must lie", req->instances,
			       human(req->instance_size, a, sizeof(a)));
	ram = malloc(sizeof(*ram));
	keep_out = malloc(sizeof(*keep_out));
	free_ram = malloc(sizeof(*free_ram));
	if (!ram || !keep_out || !free_ram) {
		kx_fail(err, KX_ELIMIT, "out of memory planning the reservation");
		goto out;
	}
	if (usable_ram(hf, ram, err))
		goto out;
	/* What no reservation may touch: the running kernel, crash areas, shared memory. */
	*keep_out = hf->iomem.crash;
	if (mem_ranges_add(keep_out, image.start, image.end, MEM_RESERVED))
		goto full;
	for (size_t i = 0; i < hf->iomem.mk_shared.nr; i++)
		if (mem_ranges_add(keep_out, hf->iomem.mk_shared.r[i].start,
				   hf->iomem.mk_shared.r[i].end, MEM_RESERVED))
			goto full;
	if (place_low(ram, keep_out, out, err))
		goto out;

	*free_ram = *ram;
	mem_ranges_clip(free_ram, MK_RESERVE_MAIN_START + (image.end - image.start), FOUR_GIB);
	if (subtract_all(free_ram, keep_out, err) || place_instances(free_ram, out, err) ||
	    make_words(out, err))
		goto out;

	/* What the host keeps below 4 GiB, its crash areas aside. */
	*free_ram = *ram;
	mem_ranges_clip(free_ram, 0, FOUR_GIB);
	if (subtract_all(free_ram, &hf->iomem.crash, err))
		goto out;
	ram_below_4g = mem_ranges_total(free_ram);
	total += out->low.end - out->low.start;
	out->host_ram_left = ram_below_4g > total ? ram_below_4g - total : 0;
	if (out->host_ram_left < MK_RESERVE_HOST_RAM_KEEP) {
		kx_fail(err, KX_ENOFIT, "%u instances of %s would leave the host %" PRIu64 " MiB "
			"of RAM below 4 GiB (crash kernel areas aside), less than the 256 MiB it "
			"keeps for 32-bit DMA and its own boot; ask for fewer or smaller instances",
			req->instances, human(req->instance_size, a, sizeof(a)),
			out->host_ram_left >> 20);
		goto out;
	}
	ret = 0;
	goto out;
full:
	load_env_map_full("the areas a reservation must avoid", err);
out:
	free(ram);
	free(keep_out);
	free(free_ram);
	return ret;
}
