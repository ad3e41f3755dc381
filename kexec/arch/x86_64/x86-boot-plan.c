// SPDX-License-Identifier: GPL-2.0-only
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot-params.h"
#include "e820.h"
#include "x86-boot-plan.h"
#include "x86-purgatory.h"

#define FOUR_GIB (1ull << 32)

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* The initrd goes as high as allowed, out of the way of the kernel's decompression. */
static int place_initrd(struct kx_plan *plan, const struct load_env *env,
			const struct load_request *req, const struct x86_boot_target *t,
			uint64_t *addr, struct kx_error *err)
{
	struct placement_request r = {
		.align = KX_PAGE_SIZE,
		.max_end = min_u64(env->max_end, t->initrd_end_max),
		.top_down = true,
	};
	char source[80];

	*addr = 0;
	if (!req->initrd)
		return 0;
	if (req->initrd->size == 0)
		return kx_fail(err, KX_EFILE, "initrd %s is empty; give a cpio archive or drop "
			       "--initrd", req->initrd->path);
	snprintf(source, sizeof(source), "%s", req->initrd->path);
	return plan_place(plan, req->initrd->data, req->initrd->size, req->initrd->size, &r,
			  "initrd", source, addr, err);
}

int x86_plan_boot(struct kx_plan *plan, const struct load_env *env,
		  const struct load_request *req, const struct x86_boot_target *target,
		  struct kx_error *err)
{
	size_t cmdline_len = strlen(req->cmdline) + 1;
	size_t cmdline_off = sizeof(struct boot_params);
	size_t ext_off = (cmdline_off + cmdline_len + 15) & ~(size_t)15;
	size_t ext_size = e820_ext_size(&env->e820);
	size_t size = ext_off + ext_size;
	struct placement_request r = {
		.align = KX_PAGE_SIZE,
		.max_end = min_u64(env->max_end, FOUR_GIB),
		.top_down = true,
	};
	struct purgatory_setup ps;
	struct bp_inputs in;
	uint64_t initrd_addr, bp_addr;
	uint8_t *buf;

	if (place_initrd(plan, env, req, target, &initrd_addr, err))
		return -1;

	buf = calloc(1, size);
	if (plan_own(plan, buf, err))
		return -1;
	if (plan_place(plan, buf, size, size, &r, "boot_params", "built", &bp_addr, err))
		return -1;
	memcpy(buf + cmdline_off, req->cmdline, cmdline_len);

	in = (struct bp_inputs){
		.hdr = target->hdr,
		.hdr_len = target->hdr_len,
		.kernel_addr = target->kernel_addr,
		.cmdline_addr = bp_addr + cmdline_off,
		.initrd_addr = initrd_addr,
		.initrd_size = req->initrd ? req->initrd->size : 0,
		.setup_data_addr = ext_size ? bp_addr + ext_off : 0,
		.e820 = &env->e820,
		.e820_ext = ext_size ? (struct setup_data *)(buf + ext_off) : NULL,
		.acpi_rsdp_addr = env->acpi_rsdp_addr,
	};
	boot_params_build((struct boot_params *)buf, &in);

	ps = (struct purgatory_setup){
		.jump_addr = target->jump_addr,
		.rsi = bp_addr,
		.serial_port = req->serial_port,
		.verify_digests = req->verify_digests,
		.own_page_tables = env->purgatory_own_page_tables,
		.status_addr = env->status_addr,
	};
	return x86_add_purgatory(plan, env, &ps, err);
}
