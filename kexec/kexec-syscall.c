// SPDX-License-Identifier: GPL-2.0-only
/*
 * The only file that calls kexec_load, kexec_file_load and reboot.
 * Everything before this is planning; everything here is the last step.
 */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "file-type.h"
#include "kexec-syscall.h"

/* include/uapi/linux/kexec.h struct kexec_segment */
struct uapi_kexec_segment {
	const void *buf;
	size_t bufsz;
	const void *mem;
	size_t memsz;
};

/* kernel/reboot.c struct multikernel_boot_args: not in a UAPI header. */
struct multikernel_boot_args {
	int cpu;
};

int kx_sys_kexec_load(const struct kx_plan *plan, enum kx_call call, struct kx_error *err)
{
	struct uapi_kexec_segment segs[KX_MAX_SEGMENTS];

	for (size_t i = 0; i < plan->nr; i++)
		segs[i] = (struct uapi_kexec_segment){
			.buf = plan->seg[i].buf,
			.bufsz = plan->seg[i].bufsz,
			.mem = (const void *)(uintptr_t)plan->seg[i].mem,
			.memsz = plan->seg[i].memsz,
		};
	if (syscall(SYS_kexec_load, plan->entry, plan->nr, segs, plan->flags) != 0)
		return kx_explain_failure(call, -1, errno, -1, err);
	return 0;
}

int kx_sys_kexec_unload(unsigned long flags, enum kx_call call, struct kx_error *err)
{
	if (syscall(SYS_kexec_load, 0ul, 0ul, NULL, flags | kexec_arch_flags) != 0)
		return kx_explain_failure(call, -1, errno, -1, err);
	return 0;
}

int kx_sys_kexec_file_load(int kernel_fd, int initrd_fd, const char *cmdline,
			   unsigned long flags, struct kx_error *err)
{
	unsigned long len = cmdline ? strlen(cmdline) + 1 : 0;

	if (syscall(SYS_kexec_file_load, kernel_fd, initrd_fd, len, cmdline, flags) != 0)
		return kx_explain_failure(KX_CALL_FILE_LOAD, -1, errno, -1, err);
	return 0;
}

int kx_sys_reboot_kexec(struct kx_error *err)
{
	syscall(SYS_reboot, KX_REBOOT_MAGIC1, KX_REBOOT_MAGIC2, KX_REBOOT_CMD_KEXEC, NULL);
	/* Only reached on failure. */
	return kx_explain_failure(KX_CALL_EXEC, -1, errno, -1, err);
}

int kx_sys_reboot_multikernel(int cpu, struct kx_error *err)
{
	/* Always a valid pointer: the RFC leaks a mutex on EFAULT (doc/multikernel-abi.md 4.1). */
	struct multikernel_boot_args args = { .cpu = cpu };
	long ret;

	ret = syscall(SYS_reboot, KX_REBOOT_MAGIC1, KX_REBOOT_MAGIC2, KX_REBOOT_CMD_MULTIKERNEL,
		      &args);
	if (ret == 0)
		return 0;
	return kx_explain_failure(KX_CALL_START_MULTIKERNEL, ret, errno, cpu, err);
}
