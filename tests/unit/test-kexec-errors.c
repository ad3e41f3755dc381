/* SPDX-License-Identifier: GPL-2.0-only */
/* kexec-errors.c: every refusal the kernel can give, as a status and a one-line message. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <cmocka.h>

#include "kexec-syscall.h"
#include "unit-helpers.h"

struct err_row {
	const char *name;
	enum kx_call call;
	long ret;
	int e;
	int cpu;
	enum kx_status status;
	const char *msg[2];	/* parts of the message; NULL: strerror(e) */
};

static const struct err_row rows[] = {
	{ "load_eperm", KX_CALL_LOAD, -1, EPERM, -1, KX_EPERM, { "(EPERM)", "kexec_load_disabled" } },
	{ "load_enosys", KX_CALL_LOAD, -1, ENOSYS, -1, KX_ENOSUPPORT,
	  { "no kexec_load system call (ENOSYS)", "CONFIG_KEXEC; try -s" } },
	{ "file_load_enosys", KX_CALL_FILE_LOAD, -1, ENOSYS, -1, KX_ENOSUPPORT,
	  { "no kexec_file_load system call", "CONFIG_KEXEC_FILE; try -c" } },
	{ "load_ebusy", KX_CALL_LOAD, -1, EBUSY, -1, KX_EKERNEL, { "(EBUSY)", "in progress" } },
	{ "load_einval", KX_CALL_LOAD, -1, EINVAL, -1, KX_EKERNEL, { "segment list (EINVAL)", "-d" } },
	{ "multikernel_load_einval", KX_CALL_LOAD_MULTIKERNEL, -1, EINVAL, -1, KX_ENOSUPPORT,
	  { "KEXEC_MULTIKERNEL (EINVAL)", "CONFIG_KEXEC_JUMP=y" } },
	{ "multikernel_unload_einval", KX_CALL_UNLOAD_MULTIKERNEL, -1, EINVAL, -1, KX_ENOSUPPORT,
	  { "CONFIG_KEXEC_JUMP", "multikernel RFC" } },
	{ "load_eaddrnotavail", KX_CALL_LOAD, -1, EADDRNOTAVAIL, -1, KX_EKERNEL,
	  { "destination address (EADDRNOTAVAIL); check", "--mem-min" } },
	{ "panic_load_eaddrnotavail", KX_CALL_LOAD_PANIC, -1, EADDRNOTAVAIL, -1, KX_EKERNEL,
	  { "(EADDRNOTAVAIL) outside the crash kernel area", "--mem-max" } },
	{ "load_enomem", KX_CALL_LOAD, -1, ENOMEM, -1, KX_EKERNEL, { "(ENOMEM)", "smaller initrd" } },
	{ "multikernel_load_enomem", KX_CALL_LOAD_MULTIKERNEL, -1, ENOMEM, -1, KX_EKERNEL,
	  { "(ENOMEM)", "reservation" } },
	{ "file_load_enoexec", KX_CALL_FILE_LOAD, -1, ENOEXEC, -1, KX_EUNSUPPORTED,
	  { "(ENOEXEC)", "try -c" } },
	{ "file_load_ekeyrejected", KX_CALL_FILE_LOAD, -1, EKEYREJECTED, -1, KX_EPERM,
	  { "signature", "rejected" } },
	{ "file_load_ebadmsg", KX_CALL_FILE_LOAD, -1, EBADMSG, -1, KX_EPERM, { "signature", "(" } },
	{ "load_other_errno", KX_CALL_LOAD, -1, EIO, -1, KX_EKERNEL,
	  { "refused the load: ", NULL } },
	{ "unload_eperm", KX_CALL_UNLOAD, -1, EPERM, -1, KX_EPERM, { "(EPERM)", "root" } },
	{ "exec_eperm", KX_CALL_EXEC, -1, EPERM, -1, KX_EPERM, { "reboot(KEXEC) not permitted", "root" } },
	{ "exec_einval", KX_CALL_EXEC, -1, EINVAL, -1, KX_ENOTLOADED, { "no kernel is loaded", "kexec -l" } },
	{ "exec_other", KX_CALL_EXEC, -1, EIO, -1, KX_EKERNEL, { "reboot(KEXEC) failed", NULL } },
	{ "start_ipi_status", KX_CALL_START_MULTIKERNEL, 0x4000, 0, 3, KX_ECPU,
	  { "INIT/SIPI to CPU 3 was not delivered", "APIC status 0x4000" } },
	{ "start_ebusy", KX_CALL_START_MULTIKERNEL, -1, EBUSY, 5, KX_ECPU,
	  { "CPU 5 is online", "/sys/devices/system/cpu/cpu5/online" } },
	{ "start_eperm", KX_CALL_START_MULTIKERNEL, -1, EPERM, 1, KX_EPERM, { "not permitted (EPERM)", "root" } },
	{ "start_einval", KX_CALL_START_MULTIKERNEL, -1, EINVAL, 7, KX_ENOTLOADED,
	  { "cannot address CPU 7", "kexec -l --multikernel" } },
	{ "start_other", KX_CALL_START_MULTIKERNEL, -1, EIO, 2, KX_EKERNEL,
	  { "reboot(MULTIKERNEL) for CPU 2 failed", NULL } },
};

static void test_explain(void **state)
{
	const struct err_row *row = *state;
	struct kx_error err = { 0 };

	assert_int_equal(kx_explain_failure(row->call, row->ret, row->e, row->cpu, &err), -1);
	assert_int_equal(err.status, row->status);
	/* Other errnos are named by the C library: glibc and musl word them differently. */
	for (size_t i = 0; i < 2; i++)
		unit_assert_contains(err.msg, row->msg[i] ? row->msg[i] : strerror(row->e));
	assert_null(strchr(err.msg, '\n'));	/* one line */
}

/*
 * The default and -a try kexec_load only when kexec_file_load says this
 * kernel cannot do it; a rejected signature must stay a refusal (lockdown).
 */
struct fallback_row {
	const char *name;
	int e;
	bool falls_back;
};

static const struct fallback_row fallback_rows[] = {
	{ "fallback_enosys", ENOSYS, true },
	{ "fallback_einval", EINVAL, true },
	{ "fallback_enoexec", ENOEXEC, true },
	{ "fallback_enotsup", ENOTSUP, true },
	{ "no_fallback_ekeyrejected", EKEYREJECTED, false },
	{ "no_fallback_ebadmsg", EBADMSG, false },
	{ "no_fallback_eperm", EPERM, false },
	{ "no_fallback_enomem", ENOMEM, false },
	{ "no_fallback_ebusy", EBUSY, false },
	{ "no_fallback_ekeyrevoked", EKEYREVOKED, false },
	{ "no_fallback_none", 0, false },
};

static void test_fallback(void **state)
{
	const struct fallback_row *row = *state;
	struct kx_error err = { 0 };

	assert_int_equal(kx_file_load_falls_back(row->e), row->falls_back);
	/* The errno reaches the caller's decision through the error value. */
	if (row->e) {
		kx_explain_failure(KX_CALL_FILE_LOAD, -1, row->e, -1, &err);
		assert_int_equal(err.sys_errno, row->e);
		assert_int_equal(kx_file_load_falls_back(err.sys_errno), row->falls_back);
	}
}

int main(void)
{
	struct CMUnitTest tests[N(rows) + N(fallback_rows)];

	for (size_t i = 0; i < N(rows); i++)
		tests[i] = (struct CMUnitTest){ .name = rows[i].name, .test_func = test_explain,
						.initial_state = (void *)&rows[i] };
	for (size_t i = 0; i < N(fallback_rows); i++)
		tests[N(rows) + i] = (struct CMUnitTest){ .name = fallback_rows[i].name,
							  .test_func = test_fallback,
							  .initial_state = (void *)&fallback_rows[i] };
	return _cmocka_run_group_tests("kexec-errors", tests, N(rows) + N(fallback_rows), NULL, NULL);
}
