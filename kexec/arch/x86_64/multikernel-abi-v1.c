// SPDX-License-Identifier: GPL-2.0-only
/*
 * Multikernel RFC v1 as one implementation of struct mk_abi
 * (multikernel-abi.h; the contract in doc/multikernel-abi.md): the plan's
 * load part (multikernel-load.c: purgatory and the image in the memmap=
 * reservation, the "loaded" record) and start part (multikernel-start.c),
 * its printer (multikernel-plan-print.c) and its executor
 * (multikernel-exec.c: kexec_load(KEXEC_MULTIKERNEL),
 * reboot(MULTIKERNEL, {cpu}), purgatory's status record).
 */
#include <stdlib.h>
#include <string.h>

#include "acpi-tables.h"
#include "kexec-syscall.h"
#include "multikernel-abi.h"
#include "multikernel-exec.h"
#include "multikernel-load.h"
#include "multikernel-plan-print.h"
#include "multikernel-start.h"

/*
 * Every kernel without the later interface's /sys/fs/multikernel: whether
 * it has the RFC at all is what its kexec_load answers (status 12,
 * kexec-errors.c), and without /proc/multikernel the load is the probe.
 */
static bool v1_speaks(const struct host_facts *hf)
{
	return !hf->have_sys_fs_multikernel;
}

/* The host's MADT: 44 bytes and 8 to 16 per CPU; 64 KiB holds thousands. */
#define MK_HOST_MADT_MAX (64u << 10)

/*
 * The 8-bit id for the MADT's phantom entry: the highest below 0xff that
 * no CPU of the machine has: none the firmware's MADT lists (every CPU,
 * online, offline or hot-pluggable, when it can be read), none
 * /proc/cpuinfo lists (every online host CPU) and none of the
 * instance's.  -1 when there is none, or cpuinfo cannot be read.
 */
static int choose_phantom(const struct host_facts *hf, const struct mk_plan *p)
{
	bool used[0xff] = { false };
	uint8_t *madt = malloc(MK_HOST_MADT_MAX);
	ssize_t len = madt ? host_firmware_table(hf, "APIC", madt, MK_HOST_MADT_MAX) : -1;

	if (len > 0)
		acpi_madt_mark_apic_ids(madt, (size_t)len, used);
	free(madt);
	if (host_mark_apic_ids(hf, used))
		return -1;
	for (size_t i = 0; i < p->nr_cpus; i++)
		if (p->apic_ids[i] >= 0 && p->apic_ids[i] < 0xff)
			used[p->apic_ids[i]] = true;
	return acpi_phantom_apic_id(used);
}

static int v1_plan(const struct kexec_options *o, const struct host_facts *hf,
		   const struct mk_registry *reg, struct mk_plan *p, struct kx_error *err)
{
	memset(p, 0, sizeof(*p));
	p->load = o->action != ACT_EXEC;
	p->start = o->action != ACT_LOAD;
	p->cpu = o->cpu;
	p->nr_cpus = o->nr_cpus;
	p->phantom_apic_id = -1;
	for (size_t i = 0; i < o->nr_cpus; i++) {
		uint32_t id;

		p->cpus[i] = o->cpus[i];
		/* The rules passed only if --offline-cpu asked for an online CPU to be taken. */
		p->online[i] = cpu_set_has(&hf->online, (unsigned int)o->cpus[i]);
		p->offline_cpu |= p->online[i];
		/* cpuinfo lists online CPUs only: read the id before the executor offlines it. */
		p->apic_ids[i] = host_cpu_apic_id(hf, (unsigned int)o->cpus[i], &id) == 0 ? (int64_t)id : -1;
	}
	if (p->nr_cpus > 1)
		p->phantom_apic_id = choose_phantom(hf, p);
	if (p->load && mk_plan_load(o, hf, reg, p, err))
		return -1;
	if (p->start && mk_plan_start(o, hf, reg, p, err))
		return -1;
	return 0;
}

/* Every multikernel image the kernel lists and never started goes; running ones stay. */
static int v1_unload(struct kx_error *err)
{
	return kx_sys_kexec_unload(KEXEC_MULTIKERNEL, KX_CALL_UNLOAD_MULTIKERNEL, err);
}

static void v1_plan_free(struct mk_plan *p)
{
	mk_load_plan_free(&p->l);
}

const struct mk_abi mk_abi_rfc_v1 = {
	.name = "RFC v1 (kexec_load with KEXEC_MULTIKERNEL, reboot(MULTIKERNEL))",
	.speaks = v1_speaks,
	.plan = v1_plan,
	.print = mk_plan_print,
	.execute = mk_plan_execute,
	.unload = v1_unload,
	.plan_free = v1_plan_free,
};
