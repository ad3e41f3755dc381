/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The multikernel plan (multikernel-plan.h) as a value: RFC v1's plan for
 * 'kexec --multikernel --cpu=1 --offline-cpu --serial=ttyS2 payload.elf'
 * on a recorded QEMU host (tests/fixtures/qemu-1g-mk: CPU 1 online, the
 * reservation memmap=256M$0x20000000, ttyS0-3), checked field by field:
 * where it goes, what the kernel is told, the CPU, the record the load
 * writes and the start reads, the ports to re-arm, the waits.  Building it
 * reads the fixture and changes nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "host-facts.h"
#include "mk-instance.h"
#include "multikernel-abi.h"
#include "options.h"
#include "unit-helpers.h"

#define PAYLOAD_ADDR 0x28000000u

/* An ET_EXEC payload for x86-64: one PT_LOAD of a page at PAYLOAD_ADDR. */
static void write_payload(const char *root, char *path, size_t size)
{
	uint8_t f[0x1000] = { 0 };

	memcpy(f, "\177ELF", 4);
	f[4] = 2;	/* ELFCLASS64 */
	f[5] = 1;	/* little-endian */
	f[6] = 1;	/* EI_VERSION */
	unit_put16(f, 16, 2);			/* e_type: ET_EXEC */
	unit_put16(f, 18, 62);			/* e_machine: EM_X86_64 */
	unit_put32(f, 20, 1);			/* e_version */
	unit_put64(f, 24, PAYLOAD_ADDR);	/* e_entry */
	unit_put64(f, 32, 64);			/* e_phoff */
	unit_put16(f, 52, 64);			/* e_ehsize */
	unit_put16(f, 54, 56);			/* e_phentsize */
	unit_put16(f, 56, 1);			/* e_phnum */
	unit_put32(f, 64, 1);			/* p_type: PT_LOAD */
	unit_put32(f, 68, 5);			/* p_flags: R X */
	unit_put64(f, 64 + 8, 0x800);		/* p_offset */
	unit_put64(f, 64 + 16, PAYLOAD_ADDR);	/* p_vaddr */
	unit_put64(f, 64 + 24, PAYLOAD_ADDR);	/* p_paddr */
	unit_put64(f, 64 + 32, 0x800);		/* p_filesz */
	unit_put64(f, 64 + 40, 0x1000);		/* p_memsz */
	unit_sysroot_write_bytes(root, "payload.elf", f, sizeof(f));
	snprintf(path, size, "%s/payload.elf", root);
}

static void plan_of_a_load_and_start(void **state)
{
	const char *src = getenv("UNIT_SRCDIR");
	char fixture[4096], sysroot_opt[4200], payload[4200];
	char *tmp = unit_sysroot_new();
	struct host_facts *hf = calloc(1, sizeof(*hf));
	struct mk_plan *p = calloc(1, sizeof(*p));
	struct kexec_options o;
	struct mk_registry reg;
	struct kx_error err = { 0 };
	bool passed_low = false, passed_room = false;

	(void)state;
	assert_non_null(hf);
	assert_non_null(p);
	snprintf(fixture, sizeof(fixture), "%s/tests/fixtures/qemu-1g-mk", src ? src : ".");
	snprintf(sysroot_opt, sizeof(sysroot_opt), "--sysroot=%s", fixture);
	write_payload(tmp, payload, sizeof(payload));
	{
		char *argv[] = { "kexec", "--dry-run", sysroot_opt, "--multikernel", "--cpu=1",
				 "--offline-cpu", "--serial=ttyS2", payload, NULL };

		optind = 0;
		if (options_parse(8, argv, &o, &err))
			fail_msg("options_parse: %s", err.msg);
	}
	if (host_facts_read(o.sysroot, hf, &err))
		fail_msg("host_facts_read: %s", err.msg);
	assert_int_equal(mk_registry_open(o.sysroot, hf->boot_id, false, &reg, &err), 0);
	if (mk_abi_rfc_v1.plan(&o, hf, &reg, p, &err))
		fail_msg("plan: %s", err.msg);

	/* Which CPU, and kexec offlines it (online in the fixture, --offline-cpu). */
	assert_true(p->load);
	assert_true(p->start);
	assert_int_equal(p->cpu, 1);
	assert_true(p->offline_cpu);
	/* Where: the bottom of the reservation; an ELF payload needs no low memory. */
	assert_int_equal(p->l.mem.main.start, 0x20000000);
	assert_int_equal(p->l.mem.main.end, 0x30000000);
	for (size_t i = 0; i < p->l.passed.nr; i++) {
		passed_low |= strcmp(p->l.passed.name[i], "low-memory-for-linux") == 0;
		passed_room |= strcmp(p->l.passed.name[i], "reservation-has-room") == 0;
	}
	assert_true(passed_room);
	assert_false(passed_low);
	assert_int_equal(p->l.reached, MK_LOAD_CHECKED);
	/* What it is told: its console on ttyS2, the host's TSC rate from the log. */
	unit_assert_contains(p->l.in.req.cmdline, "console=ttyS2,115200 8250.nr_uarts=3");
	assert_int_not_equal(p->l.tsc.khz, 0);
	/* The record the load writes, and the start reads: its port and command line. */
	assert_int_equal(p->l.rec.serial_port, 0x3e8);
	assert_string_equal(p->l.rec.cmdline, p->l.in.req.cmdline);
	assert_true(p->s.recorded);
	assert_int_equal(p->s.rec.serial_port, 0x3e8);
	/* The ports its 8250 driver resets: ttyS0 and ttyS1, never its own ttyS2. */
	assert_int_equal(p->s.rearm.nr, 2);
	assert_int_equal(p->s.rearm.port[0].io_port, 0x3f8);
	assert_int_equal(p->s.rearm.port[1].io_port, 0x2f8);
	/* The waits: the defaults. */
	assert_int_equal(p->s.start_wait_ms, o.start_wait_ms);
	assert_int_equal(p->s.boot_wait_ms, o.boot_wait_ms);
	assert_false(p->s.linux_image);

	mk_registry_close(&reg);
	mk_abi_rfc_v1.plan_free(p);
	free(p);
	free(hf);
	unit_sysroot_remove(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plan_of_a_load_and_start),
	};

	return cmocka_run_group_tests_name("mk-plan", tests, NULL, NULL);
}
