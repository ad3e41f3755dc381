// SPDX-License-Identifier: GPL-2.0-only
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acpi-tables.h"
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

/*
 * The new kernel's own ACPI tables (acpi-tables.h), when the load asks for
 * them: two pages of the plan, hashed like the rest; in map (a copy of the
 * e820 the kernel gets) the tables' page is ACPI data and the I/O APIC
 * window's page reserved, so it never takes either for RAM.  *rsdp_addr
 * becomes the tables' RSDP, *madt_addr their MADT, which purgatory makes
 * name the CPU it runs on (purgatory/madt.c).
 */
static int place_acpi_tables(struct kx_plan *plan, const struct load_env *env,
			     struct mem_ranges *map, uint64_t *rsdp_addr, uint64_t *madt_addr,
			     struct kx_error *err)
{
	struct placement_request r = {
		.align = KX_PAGE_SIZE,
		.max_end = min_u64(env->max_end, FOUR_GIB),
		.top_down = true,
	};
	struct acpi_layout lay;
	uint64_t addr, window;
	uint8_t *buf;

	if (!env->acpi_nr_cpus)
		return 0;
	acpi_tables_layout(env->acpi_nr_cpus + env->acpi_phantom, &lay);
	buf = calloc(1, ACPI_BLOCK_SIZE);
	if (plan_own(plan, buf, err))
		return -1;
	if (plan_place(plan, buf, ACPI_BLOCK_SIZE, ACPI_BLOCK_SIZE, &r, "acpi", "built", &addr, err))
		return -1;
	if (acpi_tables_build(buf, addr, env->acpi_apic_ids, env->acpi_nr_cpus,
			      env->acpi_phantom ? (int64_t)env->acpi_phantom_apic_id : -1,
			      env->acpi_uart_io))
		return kx_fail(err, KX_ELIMIT, "%zu CPUs do not fit the ACPI tables' page",
			       env->acpi_nr_cpus);
	window = addr + ACPI_IOAPIC_WINDOW_OFF;
	if (mem_ranges_subtract(map, addr, addr + ACPI_BLOCK_SIZE) ||
	    mem_ranges_add(map, addr, window, MEM_ACPI) ||
	    mem_ranges_add(map, window, addr + ACPI_BLOCK_SIZE, MEM_RESERVED))
		return kx_fail(err, KX_ELIMIT, "the new kernel's memory map is full");
	mem_ranges_normalize(map);
	*rsdp_addr = addr + lay.rsdp_off;
	*madt_addr = env->acpi_nr_cpus == 1 ? addr + lay.madt_off : 0;
	return 0;
}

int x86_plan_boot(struct kx_plan *plan, const struct load_env *env,
		  const struct load_request *req, const struct x86_boot_target *target,
		  struct kx_error *err)
{
	size_t cmdline_len = strlen(req->cmdline) + 1;
	size_t cmdline_off = sizeof(struct boot_params);
	size_t ext_off = (cmdline_off + cmdline_len + 15) & ~(size_t)15;
	struct mem_ranges *map = malloc(sizeof(*map));
	uint64_t rsdp_addr = env->acpi_rsdp_addr, madt_addr = 0;
	size_t ext_size, size;
	struct placement_request r = {
		.align = KX_PAGE_SIZE,
		.max_end = min_u64(env->max_end, FOUR_GIB),
		.top_down = true,
	};
	struct purgatory_setup ps;
	struct bp_inputs in;
	uint64_t initrd_addr, bp_addr;
	uint8_t *buf;

	if (plan_own(plan, map, err))
		return -1;
	*map = env->e820;
	if (place_initrd(plan, env, req, target, &initrd_addr, err) ||
	    place_acpi_tables(plan, env, map, &rsdp_addr, &madt_addr, err))
		return -1;
	ext_size = e820_ext_size(map);
	size = ext_off + ext_size;

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
		.e820 = map,
		.e820_ext = ext_size ? (struct setup_data *)(buf + ext_off) : NULL,
		.acpi_rsdp_addr = rsdp_addr,
	};
	boot_params_build((struct boot_params *)buf, &in);

	ps = (struct purgatory_setup){
		.jump_addr = target->jump_addr,
		.rsi = bp_addr,
		.serial_port = req->serial_port,
		.verify_digests = req->verify_digests,
		.own_page_tables = env->purgatory_own_page_tables,
		.status_addr = env->status_addr,
		.madt_addr = madt_addr,
	};
	return x86_add_purgatory(plan, env, &ps, err);
}
