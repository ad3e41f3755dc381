// SPDX-License-Identifier: GPL-2.0-only
/*
 * bzImage for x86-64, entered at its 64-bit entry point (load address +
 * 0x200) through purgatory.  Probe checks the setup header field by field;
 * plan places the protected-mode kernel with its init_size, then hands the
 * rest to x86_plan_boot().
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "kexec-bzImage64.h"
#include "x86-boot-plan.h"

#define FOUR_GIB (1ull << 32)
#define ONE_MIB  (1ull << 20)

static int check_identity(const struct image_file *f, struct kx_error *err)
{
	uint16_t flag;
	uint32_t magic;

	if (f->size < 0x206)
		return kx_fail(err, f->size >= 0x200 ? KX_ETRUNCATED : KX_EFORMAT,
			       "%s: too short (%zu bytes) to be a bzImage", f->path, f->size);
	memcpy(&flag, f->data + 0x1fe, sizeof(flag));
	memcpy(&magic, f->data + 0x202, sizeof(magic));
	if (flag != BP_BOOT_FLAG || magic != BP_HDRS_MAGIC)
		return kx_fail(err, KX_EFORMAT, "%s: not a bzImage: boot_flag 0x%04x (want 0xaa55), "
			       "header 0x%08x (want \"HdrS\")", f->path, flag, magic);
	return 0;
}

static int check_header_fields(const struct image_file *f, const struct setup_header *h,
			       struct kx_error *err)
{
	if (h->version < BP_MIN_PROTOCOL)
		return kx_fail(err, KX_EUNSUPPORTED, "%s: boot protocol %u.%02u is too old; "
			       "version >= 2.12 is needed", f->path, h->version >> 8,
			       h->version & 0xff);
	if (!(h->loadflags & LOADED_HIGH))
		return kx_fail(err, KX_EUNSUPPORTED, "%s: loadflags has no LOADED_HIGH: a zImage "
			       "cannot be loaded", f->path);
	if (!(h->xloadflags & XLF_KERNEL_64))
		return kx_fail(err, KX_EUNSUPPORTED, "%s: xloadflags lacks XLF_KERNEL_64: the kernel "
			       "has no 64-bit entry point (a 32-bit kernel?)", f->path);
	if (h->kernel_alignment == 0 || (h->kernel_alignment & (h->kernel_alignment - 1)))
		return kx_fail(err, KX_ETRUNCATED, "%s: kernel_alignment 0x%x is not a power of two",
			       f->path, h->kernel_alignment);
	if (h->init_size == 0)
		return kx_fail(err, KX_ETRUNCATED, "%s: init_size is 0", f->path);
	if (h->cmdline_size == 0)
		return kx_fail(err, KX_ETRUNCATED, "%s: cmdline_size is 0", f->path);
	if (!h->relocatable_kernel && (h->pref_address & (KX_PAGE_SIZE - 1)))
		return kx_fail(err, KX_EUNSUPPORTED, "%s: not relocatable and pref_address 0x%" PRIx64
			       " is not page aligned", f->path, h->pref_address);
	return 0;
}

int bzimage64_probe(const struct image_file *f, struct bzimage *bz, struct kx_error *err)
{
	size_t hdr_end, setup_sects, expect;

	memset(bz, 0, sizeof(*bz));
	if (check_identity(f, err))
		return -1;
	/* The header ends at 0x202 + the jump's byte offset (boot.rst). */
	hdr_end = 0x202 + f->data[0x201];
	if (hdr_end > f->size)
		return kx_fail(err, KX_ETRUNCATED, "%s: truncated inside the setup header", f->path);
	bz->hdr_len = hdr_end - BP_HEADER_OFFSET;
	if (bz->hdr_len > sizeof(bz->hdr))
		bz->hdr_len = sizeof(bz->hdr);
	memcpy(&bz->hdr, f->data + BP_HEADER_OFFSET, bz->hdr_len);
	if (bz->hdr_len < offsetof(struct setup_header, kernel_info_offset))
		return kx_fail(err, KX_EUNSUPPORTED, "%s: setup header is only %zu bytes; boot "
			       "protocol 2.12 or later is needed", f->path, bz->hdr_len);
	if (check_header_fields(f, &bz->hdr, err))
		return -1;

	setup_sects = bz->hdr.setup_sects ? bz->hdr.setup_sects : 4;
	bz->setup_size = (setup_sects + 1) * 512;
	expect = bz->setup_size + (size_t)bz->hdr.syssize * 16;
	if (f->size <= bz->setup_size || f->size < expect)
		return kx_fail(err, KX_ETRUNCATED, "%s: truncated: the header says %zu bytes "
			       "(setup %zu + syssize*16 %zu), the file has %zu", f->path,
			       expect, bz->setup_size, (size_t)bz->hdr.syssize * 16, f->size);
	bz->kernel = f->data + bz->setup_size;
	bz->kernel_size = f->size - bz->setup_size;
	if ((uint64_t)bz->hdr.payload_offset + bz->hdr.payload_length > bz->kernel_size)
		return kx_fail(err, KX_ETRUNCATED, "%s: truncated: the compressed payload ends at "
			       "0x%x, the kernel part has 0x%zx bytes", f->path,
			       bz->hdr.payload_offset + bz->hdr.payload_length, bz->kernel_size);
	return 0;
}

/*
 * Where the protected-mode kernel goes.  A relocatable one: the highest fit
 * in an ordinary load, the lowest elsewhere (a crash area, an instance's
 * reservation).  Highest, as kexec_file_load and kexec-tools place it: low
 * memory is where the running system's busiest pages are, and the last
 * copy of the new kernel over them is slow where writes to pages that held
 * running code are costly (QEMU's TCG emulator without KVM: at 16 MiB or
 * 30 MiB after a full systemd boot the copy was still in the kernel's first
 * 12 MiB after 60 s; from the top of RAM the new kernel printed in 3-4 s).
 * A fixed one: its preferred address or nothing.
 */
static int place_kernel(struct kx_plan *plan, const struct bzimage *bz, const struct load_env *env,
			const char *source, uint64_t *addr, struct kx_error *err)
{
	uint64_t memsz = bz->hdr.init_size > bz->kernel_size ? bz->hdr.init_size : bz->kernel_size;
	struct placement_request r = {
		.align = bz->hdr.kernel_alignment,
		.min_addr = ONE_MIB,
		.max_end = env->max_end,
		.top_down = env->kernel_top_down,
	};

	memsz = kx_page_up(memsz);
	if (!bz->hdr.relocatable_kernel) {
		if (plan_place_fixed(plan, bz->kernel, bz->kernel_size, bz->hdr.pref_address, memsz,
				     "kernel", source, err)) {
			if (memsz > UINT64_MAX - bz->hdr.pref_address)
				return -1;	/* no such range at all: plan_place_fixed says so */
			return kx_fail(err, KX_ENOROOM, "the kernel is not relocatable and must run at "
				       "[0x%" PRIx64 ", 0x%" PRIx64 "), which is not free in %s; use a "
				       "kernel built with CONFIG_RELOCATABLE=y",
				       bz->hdr.pref_address, bz->hdr.pref_address + memsz,
				       plan->region_name);
		}
		*addr = bz->hdr.pref_address;
		return 0;
	}
	return plan_place(plan, bz->kernel, bz->kernel_size, memsz, &r, "kernel", source, addr, err);
}

int bzimage64_plan(const struct image_file *f, const struct load_request *req,
		   const struct load_env *env, struct kx_plan *plan, struct kx_error *err)
{
	struct x86_boot_target t;
	struct bzimage bz;
	char source[96];
	uint64_t kernel_addr;
	size_t len = strlen(req->cmdline);

	if (bzimage64_probe(f, &bz, err))
		return -1;
	if (len > bz.hdr.cmdline_size)
		return kx_fail(err, KX_ECMDLINE, "command line is %zu bytes; %s accepts at most %u",
			       len, f->path, bz.hdr.cmdline_size);
	snprintf(source, sizeof(source), "%s+0x%zx", f->path, bz.setup_size);
	if (place_kernel(plan, &bz, env, source, &kernel_addr, err))
		return -1;

	t = (struct x86_boot_target){
		.hdr = &bz.hdr,
		.hdr_len = bz.hdr_len,
		.kernel_addr = kernel_addr,
		.jump_addr = kernel_addr + BP_ENTRY64_OFFSET,
		.initrd_end_max = (bz.hdr.xloadflags & XLF_CAN_BE_LOADED_ABOVE_4G) ?
				  FOUR_GIB : (uint64_t)bz.hdr.initrd_addr_max + 1,
	};
	return x86_plan_boot(plan, env, req, &t, err);
}
