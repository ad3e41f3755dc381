// SPDX-License-Identifier: GPL-2.0-only
/*
 * Turning a kernel's refusal into one line: what is wrong and what to do.
 * Pure, so unit tests cover every errno without touching the kernel.
 */
#include <errno.h>
#include <string.h>

#include "kexec-syscall.h"

static int explain_load(enum kx_call call, int e, struct kx_error *err)
{
	bool mk = call == KX_CALL_LOAD_MULTIKERNEL || call == KX_CALL_UNLOAD_MULTIKERNEL;

	switch (e) {
	case EPERM:
		return kx_fail(err, KX_EPERM, "the kernel refused kexec (EPERM): run as root with "
			       "CAP_SYS_BOOT, and check kernel.kexec_load_disabled and lockdown "
			       "(a locked-down kernel needs -s and a signed image)");
	case ENOSYS:
		return kx_fail(err, KX_ENOSUPPORT, "the running kernel has no %s system call "
			       "(ENOSYS): it was built without CONFIG_KEXEC%s",
			       call == KX_CALL_FILE_LOAD ? "kexec_file_load" : "kexec_load",
			       call == KX_CALL_FILE_LOAD ? "_FILE; try -c" : "; try -s");
	case EBUSY:
		return kx_fail(err, KX_EKERNEL, "another kexec operation is in progress (EBUSY); "
			       "wait for it and try again");
	case EINVAL:
		if (mk)
			return kx_fail(err, KX_ENOSUPPORT, "the running kernel rejects KEXEC_MULTIKERNEL "
				       "(EINVAL): it needs the multikernel RFC patches and "
				       "CONFIG_KEXEC_JUMP=y");
		return kx_fail(err, KX_EKERNEL, "the kernel rejected the segment list (EINVAL); "
			       "run with -d to see it and report this as a bug");
	case EADDRNOTAVAIL:
		return kx_fail(err, KX_EKERNEL, "the kernel refused a destination address "
			       "(EADDRNOTAVAIL)%s; check --mem-min/--mem-max",
			       call == KX_CALL_LOAD_PANIC ? " outside the crash kernel area" : "");
	case ENOMEM:
		if (mk)
			return kx_fail(err, KX_EKERNEL, "the kernel could not map a destination "
				       "(ENOMEM): every page of the reservation must be plain memory, "
				       "not half RAM; segments may be partly written");
		return kx_fail(err, KX_EKERNEL, "the kernel ran out of memory staging the image "
			       "(ENOMEM); free memory or use a smaller initrd");
	case ENOEXEC:
		return kx_fail(err, KX_EUNSUPPORTED, "the kernel cannot parse this image for "
			       "kexec_file_load (ENOEXEC); try -c");
	case EKEYREJECTED:
	case EBADMSG:
		return kx_fail(err, KX_EPERM, "the kernel rejected the image's signature (%s)",
			       strerror(e));
	default:
		return kx_fail(err, KX_EKERNEL, "the kernel refused the load: %s", strerror(e));
	}
}

static int explain_exec(int e, struct kx_error *err)
{
	switch (e) {
	case EPERM:
		return kx_fail(err, KX_EPERM, "reboot(KEXEC) not permitted (EPERM): run as root");
	case EINVAL:
		return kx_fail(err, KX_ENOTLOADED, "no kernel is loaded (EINVAL); load one with "
			       "'kexec -l' first");
	default:
		return kx_fail(err, KX_EKERNEL, "reboot(KEXEC) failed: %s", strerror(e));
	}
}

static int explain_start(long ret, int e, int cpu, struct kx_error *err)
{
	if (ret > 0)
		return kx_fail(err, KX_ECPU, "the INIT/SIPI to CPU %d was not delivered (APIC status "
			       "0x%lx); the CPU may be absent or stuck; try another CPU", cpu, ret);
	switch (e) {
	case EPERM:
		return kx_fail(err, KX_EPERM, "starting a multikernel is not permitted (EPERM): run "
			       "as root in the initial PID namespace");
	case EBUSY:
		return kx_fail(err, KX_ECPU, "CPU %d is online or a kexec operation is in progress "
			       "(EBUSY); offline it (echo 0 > /sys/devices/system/cpu/cpu%d/online) "
			       "or pass --offline-cpu", cpu, cpu);
	case EINVAL:
		return kx_fail(err, KX_ENOTLOADED, "the kernel has no multikernel image to start, "
			       "cannot address CPU %d, or lacks the multikernel RFC (EINVAL); "
			       "load one with 'kexec -l --multikernel' and check the CPU number",
			       cpu);
	default:
		return kx_fail(err, KX_EKERNEL, "reboot(MULTIKERNEL) for CPU %d failed: %s",
			       cpu, strerror(e));
	}
}

int kx_explain_failure(enum kx_call call, long ret, int e, int cpu, struct kx_error *err)
{
	switch (call) {
	case KX_CALL_EXEC:
		explain_exec(e, err);
		break;
	case KX_CALL_START_MULTIKERNEL:
		explain_start(ret, e, cpu, err);
		break;
	default:
		explain_load(call, e, err);
		break;
	}
	err->sys_errno = ret == -1 ? e : 0;
	return -1;
}

bool kx_file_load_falls_back(int e)
{
	/*
	 * kexec-tools' rule: only "this kernel cannot do it this way".  A
	 * refused signature (EKEYREJECTED, EBADMSG, EPERM under lockdown) must
	 * never turn into an unverified kexec_load.
	 */
	return e == ENOSYS || e == EINVAL || e == ENOEXEC || e == ENOTSUP;
}
