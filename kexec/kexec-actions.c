// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ordinary kexec: load (-l, -f, no option), exec (-e), unload (-u),
 * status (-S).  Each follows parse -> plan -> check -> load/start, and
 * --dry-run stops right before the kernel is called.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kexec-actions.h"
#include "kexec-syscall.h"
#include "load-env.h"
#include "load-pipeline.h"
#include "shutdown-prep.h"

/* kexec_file_load(2): the kernel parses the image, so there is no table to print. */
static int load_with_file_syscall(const struct kexec_options *o, const struct loaded_inputs *in,
				  struct kx_error *err)
{
	unsigned long flags = o->panic ? KEXEC_FILE_ON_CRASH : 0;
	int kfd, ifd = -1, ret;

	if (!o->initrd_path)
		flags |= KEXEC_FILE_NO_INITRAMFS;
	if (o->dry_run) {
		printf("kexec_file_load(%s, %s, \"%s\", 0x%lx): the kernel lays out the segments\n",
		       o->kernel_path, o->initrd_path ? o->initrd_path : "-", in->req.cmdline, flags);
		return 0;
	}
	kfd = open(o->kernel_path, O_RDONLY | O_CLOEXEC);
	if (kfd < 0)
		return kx_fail(err, KX_EFILE, "cannot open %s: %s", o->kernel_path, strerror(errno));
	if (o->initrd_path && (ifd = open(o->initrd_path, O_RDONLY | O_CLOEXEC)) < 0) {
		close(kfd);
		return kx_fail(err, KX_EFILE, "cannot open %s: %s", o->initrd_path, strerror(errno));
	}
	ret = kx_sys_kexec_file_load(kfd, ifd, in->req.cmdline, flags, err);
	close(kfd);
	if (ifd >= 0)
		close(ifd);
	return ret;
}

static int load_with_kexec_load(const struct kexec_options *o, const struct host_facts *hf,
				const struct loaded_inputs *in, struct kx_error *err)
{
	struct load_env env;

	if (load_env_ordinary(hf, o->mem_min, o->mem_max, &env, err))
		return -1;
	return pipeline_plan_and_load(in, &env, 0, KX_CALL_LOAD, o, err);
}

int action_load(const struct kexec_options *o, struct host_facts *hf, struct kx_error *err)
{
	struct loaded_inputs in;
	int ret;

	if (o->panic && o->syscall != SYSCALL_FILE_LOAD)
		return kx_fail(err, KX_EUNSUPPORTED, "loading a panic kernel with kexec_load (-p) is "
			       "not implemented; use -p -s to let the kernel lay it out");
	if (inputs_open(o, &in, err))
		return -1;
	ret = compose_cmdline(o, hf, (const char *const[]){ "crashkernel" }, o->panic ? 1 : 0,
			      "", in.req.cmdline, sizeof(in.req.cmdline), err);
	if (ret == 0) {
		if (o->syscall == SYSCALL_KEXEC_LOAD)
			ret = load_with_kexec_load(o, hf, &in, err);
		else if (o->syscall == SYSCALL_FILE_LOAD)
			ret = load_with_file_syscall(o, &in, err);
		else if ((ret = load_with_file_syscall(o, &in, err)) != 0 && !o->dry_run)
			ret = load_with_kexec_load(o, hf, &in, err);	/* -a: fall back */
	}
	inputs_close(&in);
	return ret;
}

int action_exec(const struct kexec_options *o, const struct host_facts *hf, struct kx_error *err)
{
	/* machine_kexec() would use a control page a multikernel load never allocated. */
	if (multikernel_loaded(hf))
		return kx_fail(err, KX_ESTATE, "a multikernel image is loaded; 'kexec -e' would crash "
			       "this kernel (the RFC's load allocates no control page); run "
			       "'kexec -u --multikernel' first");
	if (hf->kexec_loaded == 0)
		return kx_fail(err, KX_ENOTLOADED, "no kernel is loaded; load one with 'kexec -l' "
			       "first");
	if (o->dry_run) {
		printf("would %s%sreboot into the loaded kernel\n", o->no_sync ? "" : "sync, ",
		       o->no_ifdown ? "" : "bring network interfaces down, ");
		return 0;
	}
	if (!o->no_sync)
		sync();
	if (!o->no_ifdown)
		shutdown_ifdown();
	return kx_sys_reboot_kexec(err);
}

int action_unload(const struct kexec_options *o, struct kx_error *err)
{
	if (o->dry_run) {
		printf("would unload the %s kernel\n", o->panic ? "panic" : "loaded");
		return 0;
	}
	if (o->syscall == SYSCALL_FILE_LOAD)
		return kx_sys_kexec_file_load(-1, -1, NULL, KEXEC_FILE_UNLOAD |
					      (o->panic ? KEXEC_FILE_ON_CRASH : 0), err);
	return kx_sys_kexec_unload(o->panic ? KEXEC_ON_CRASH : 0, KX_CALL_UNLOAD, err);
}

int action_status(const struct kexec_options *o, const struct host_facts *hf, struct kx_error *err)
{
	bool crash = !o->saw_load;
	int loaded = crash ? hf->kexec_crash_loaded : hf->kexec_loaded;

	if (loaded < 0)
		return kx_fail(err, KX_EHOST, "cannot read %s/sys/kernel/%s", hf->sysroot,
			       crash ? "kexec_crash_loaded" : "kexec_loaded");
	/* kexec-tools: exit 1 when loaded, 0 when not. */
	return loaded;
}

int action_shutdown(const struct kexec_options *o, struct kx_error *err)
{
	if (o->dry_run) {
		printf("would run: shutdown -r now\n");
		return 0;
	}
	execlp("shutdown", "shutdown", "-r", "now", (char *)NULL);
	return kx_fail(err, KX_EKERNEL, "the kernel is loaded but shutdown(8) could not be run: "
		       "%s; reboot into it with 'kexec -e'", strerror(errno));
}
