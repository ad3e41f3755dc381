/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Exit statuses and the error value every library function returns.
 *
 * Library code never prints and never exits: it fills a struct kx_error
 * and returns -1.  Only kexec.c turns that into "kexec: <message>" and
 * the status below.  The numbers are documented in doc/kexec.8 (EXIT
 * STATUS); never renumber them.
 */
#ifndef KEXEC_STATUS_H
#define KEXEC_STATUS_H

enum kx_status {
	KX_OK			= 0,
	KX_EKERNEL		= 1,	/* the kernel refused the request */
	KX_EUSAGE		= 2,	/* bad option or argument */
	KX_EFILE		= 3,	/* a file is missing or unreadable */
	KX_EFORMAT		= 4,	/* image format not recognised */
	KX_ETRUNCATED		= 5,	/* image truncated or its header inconsistent */
	KX_EUNSUPPORTED		= 6,	/* image recognised but cannot be booted this way */
	KX_ECMDLINE		= 7,	/* command line too long for the kernel */
	KX_ENOROOM		= 8,	/* a segment does not fit where it must go */
	KX_EPLAN		= 9,	/* the plan breaks a rule of the kernel */
	KX_ENOTLOADED		= 10,	/* nothing loaded to execute */
	KX_EPERM		= 11,	/* not allowed: not root, disabled, lockdown */
	KX_ENOSUPPORT		= 12,	/* the running kernel lacks the feature */
	KX_ECPU			= 13,	/* the CPU named cannot take a kernel */
	KX_ESTATE		= 14,	/* loaded state forbids this action */
	KX_ENORESERVATION	= 15,	/* no reserved memory for a multikernel */
	KX_EHOST		= 16,	/* a host fact could not be read */
	KX_EABI			= 17,	/* the kernel speaks a later multikernel ABI */
	KX_ENOLIFE		= 18,	/* a started multikernel showed no sign of life */
	KX_EDIGEST		= 19,	/* purgatory found a segment changed since the load */
	KX_EINSTANCE		= 20,	/* a running instance holds the CPU or memory */
	KX_ETSC			= 21,	/* no trustworthy TSC frequency for a multikernel */
	KX_ENOCRASH		= 22,	/* -p: no crash kernel memory reserved (crashkernel=) */
	KX_ELIMIT		= 24,	/* an input exceeds one of kexec's own limits */
	KX_ENOLOG		= 25,	/* a spawned kernel's log cannot be decoded (no VMCOREINFO, ...) */
	KX_EPANIC		= 26,	/* a spawned kernel's log shows a panic or an oops */
	KX_EOUTPUT		= 27,	/* standard output could not be written */
	KX_ESERIAL		= 28,	/* the new kernel would reset, or share the 8259 with, a running instance's console */
	KX_ENOFIT		= 29,	/* --plan-reservation: the request does not fit this machine */
	KX_ERESERVED		= 30,	/* --plan-reservation: this kernel already boots with one */
	KX_EGRUB		= 31,	/* --write-grub: the GRUB drop-in could not be written */
};

struct kx_error {
	enum kx_status status;
	int sys_errno;		/* the kernel's errno when a system call failed, else 0 */
	char msg[768];
};

/* Record an error and return -1, so callers can write `return kx_fail(...)`. */
int kx_fail(struct kx_error *err, enum kx_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* KEXEC_STATUS_H */
