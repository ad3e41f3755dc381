/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The only door to the kernel: kexec_load(2), kexec_file_load(2) and the
 * reboot(2) commands that start a loaded image.  Every failure comes back
 * as one line naming the likely cause and the fix (kexec-errors.c).
 */
#ifndef KEXEC_SYSCALL_H
#define KEXEC_SYSCALL_H

#include <stdbool.h>

#include "plan.h"
#include "status.h"

/* include/uapi/linux/kexec.h */
#define KEXEC_ON_CRASH		0x00000001ul
#define KEXEC_PRESERVE_CONTEXT	0x00000002ul
#define KEXEC_UPDATE_ELFCOREHDR	0x00000004ul	/* the kernel may rewrite the ELF core header */
#define KEXEC_MULTIKERNEL	0x00000010ul	/* multikernel RFC v1 */
#define KEXEC_FILE_UNLOAD	0x00000001ul
#define KEXEC_FILE_ON_CRASH	0x00000002ul
#define KEXEC_FILE_NO_INITRAMFS	0x00000004ul

/* include/uapi/linux/reboot.h */
#define KX_REBOOT_MAGIC1		0xfee1deadu
#define KX_REBOOT_MAGIC2		672274793u
#define KX_REBOOT_CMD_KEXEC		0x45584543u
#define KX_REBOOT_CMD_MULTIKERNEL	0x4d4b4c49u	/* "MKLI", multikernel RFC v1 */

/* What the call was for, to word its errors. */
enum kx_call {
	KX_CALL_LOAD,
	KX_CALL_LOAD_PANIC,
	KX_CALL_LOAD_MULTIKERNEL,
	KX_CALL_UNLOAD,
	KX_CALL_UNLOAD_MULTIKERNEL,
	KX_CALL_FILE_LOAD,
	KX_CALL_EXEC,
	KX_CALL_START_MULTIKERNEL,
};

int kx_sys_kexec_load(const struct kx_plan *plan, enum kx_call call, struct kx_error *err);
int kx_sys_kexec_unload(unsigned long flags, enum kx_call call, struct kx_error *err);
int kx_sys_kexec_file_load(int kernel_fd, int initrd_fd, const char *cmdline,
			   unsigned long flags, struct kx_error *err);
int kx_sys_reboot_kexec(struct kx_error *err);
int kx_sys_reboot_multikernel(int cpu, struct kx_error *err);

/*
 * Pure: the status and one-line message for a failed call.  ret is the
 * raw return of the syscall (reboot(MULTIKERNEL) can return a positive
 * APIC delivery status), e is errno when ret is -1.
 */
int kx_explain_failure(enum kx_call call, long ret, int e, int cpu, struct kx_error *err);

/*
 * True if kexec_file_load(2) failing with errno e lets the default (and -a)
 * try kexec_load(2): ENOSYS, EINVAL, ENOEXEC, ENOTSUP, as kexec-tools.
 */
bool kx_file_load_falls_back(int e);

#endif /* KEXEC_SYSCALL_H */
