// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ordinary kexec: load (-l, -f, no option), exec (-e), unload (-u),
 * status (-S).  Each follows parse -> plan -> check -> load/start, and
 * --dry-run stops right before the kernel is called.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmdline-params.h"
#include "instance-guard.h"
#include "kexec-actions.h"
#include "kexec-crash.h"
#include "kexec-syscall.h"
#include "load-env.h"
#include "load-pipeline.h"
#include "mk-images.h"
#include "shutdown-prep.h"

/*
 * The bytes kexec_file_load(2) gets: the file itself, or, when kexec
 * decompressed it or took it out of a UKI, a memfd holding what the
 * loaders saw (the kernel parses neither gzip/xz/zstd nor a UKI on x86).
 */
static int open_for_file_load(const struct image_file *f, struct kx_error *err)
{
	size_t done = 0;
	int fd;

	if (f->map && f->data == f->map && f->size == f->map_size) {
		fd = open(f->path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return kx_fail(err, KX_EFILE, "cannot open %s: %s", f->path, strerror(errno));
		return fd;
	}
	fd = memfd_create("kexec-image", MFD_CLOEXEC);
	if (fd < 0)
		return kx_fail(err, KX_EFILE, "cannot create a memfd for %s: %s", f->path,
			       strerror(errno));
	while (done < f->size) {
		ssize_t n = write(fd, f->data + done, f->size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return kx_fail(err, KX_EFILE, "cannot copy %s into a memfd: %s", f->path,
				       strerror(errno));
		}
		done += (size_t)n;
	}
	return fd;
}

/* kexec_file_load(2): the kernel parses the image, so there is no table to print. */
static int load_with_file_syscall(const struct kexec_options *o, const struct loaded_inputs *in,
				  struct kx_error *err)
{
	unsigned long flags = o->panic ? KEXEC_FILE_ON_CRASH : 0;
	const struct image_file *k = &in->kernel, *rd = in->req.initrd;
	int kfd, ifd = -1, ret;

	if (!rd)
		flags |= KEXEC_FILE_NO_INITRAMFS;
	if (o->dry_run) {
		printf("kexec_file_load(%s%s%s%s, %s, \"%s\", 0x%lx): the kernel lays out the segments\n",
		       k->path, k->compression ? " (" : "", k->compression ? k->compression : "",
		       k->compression ? ")" : "", rd ? rd->path : "-", in->req.cmdline, flags);
		return 0;
	}
	kfd = open_for_file_load(k, err);
	if (kfd < 0)
		return -1;
	if (rd && (ifd = open_for_file_load(rd, err)) < 0) {
		close(kfd);
		return -1;
	}
	ret = kx_sys_kexec_file_load(kfd, ifd, in->req.cmdline, flags, err);
	close(kfd);
	if (ifd >= 0)
		close(ifd);
	if (ret == 0 && o->debug)
		printf("kexec_file_load: loaded\n");
	return ret;
}

static int load_with_kexec_load(const struct kexec_options *o, const struct host_facts *hf,
				const struct loaded_inputs *in, struct kx_error *err)
{
	struct load_env env;

	if (o->panic)
		return crash_load(o, hf, in, err);
	if (load_env_ordinary(hf, o->mem_min, o->mem_max, &env, err))
		return -1;
	return pipeline_plan_and_load(in, &env, o->preserve_context ? KEXEC_PRESERVE_CONTEXT : 0,
				      KX_CALL_LOAD, o, err);
}

enum load_path load_path_choose(const struct kexec_options *o)
{
	/* kexec_file_load cannot preserve context; kexec-tools refuses, we pick the one that can. */
	if (o->syscall == SYSCALL_KEXEC_LOAD || o->preserve_context)
		return LOAD_PATH_KEXEC_LOAD;
	if (o->syscall == SYSCALL_FILE_LOAD)
		return LOAD_PATH_FILE;
	return LOAD_PATH_FILE_THEN_KEXEC_LOAD;
}

/* The default and -a: kexec_file_load, and kexec_load only when the kernel cannot do that. */
static int load_file_then_kexec_load(const struct kexec_options *o, const struct host_facts *hf,
				     const struct loaded_inputs *in, struct kx_error *err)
{
	if (load_with_file_syscall(o, in, err) == 0 && !o->dry_run)
		return 0;
	if (!o->dry_run && !kx_file_load_falls_back(err->sys_errno))
		return -1;	/* a refused signature never becomes an unverified kexec_load */
	if (o->dry_run)
		printf("if that fails with ENOSYS, EINVAL, ENOEXEC or ENOTSUP: kexec_load\n");
	else if (o->debug)
		printf("kexec_file_load: %s; falling back to kexec_load\n",
		       strerror(err->sys_errno));
	return load_with_kexec_load(o, hf, in, err);
}

static void print_notes(const struct kexec_options *o)
{
	if (!o->dry_run && !o->debug)
		return;
	for (size_t i = 0; i < o->nr_noted; i++)
		printf("note: --%s has no effect: %s\n", o->noted[i], options_note(o->noted[i]));
}

int action_load(const struct kexec_options *o, struct host_facts *hf, struct kx_error *err)
{
	struct loaded_inputs in;
	int ret;

	print_notes(o);
	/* Refused at the load too: systemd reboots into a loaded kernel without 'kexec -e'. */
	if (!o->panic && instance_guard_reboot(hf, err))
		return -1;
	/* kexec-tools checks this and nothing more on x86: the initrd is still --initrd's. */
	if (o->reuse_initrd && !cmdline_has_param(hf->cmdline, "retain_initrd"))
		return kx_fail(err, KX_EUSAGE, "--reuseinitrd: this kernel was not booted with "
			       "retain_initrd, so its initrd is gone; drop --reuseinitrd");
	if (o->panic && load_env_require_iomem(hf, err))
		return -1;
	if (o->panic && hf->iomem.crash.nr == 0)
		return kx_fail(err, KX_ENOCRASH, "no memory is reserved for a crash kernel (no "
			       "\"Crash kernel\" in /proc/iomem); boot with crashkernel=SIZE");
	if (inputs_open(o, &in, err))
		return -1;
	ret = compose_cmdline(o, hf, (const char *const[]){ "crashkernel" }, o->panic ? 1 : 0,
			      "", in.req.cmdline, sizeof(in.req.cmdline), err);
	if (ret == 0)
		ret = inputs_embedded_cmdline(o, &in, in.req.cmdline, sizeof(in.req.cmdline), err);
	if (ret == 0) {
		switch (load_path_choose(o)) {
		case LOAD_PATH_KEXEC_LOAD:
			ret = load_with_kexec_load(o, hf, &in, err);
			break;
		case LOAD_PATH_FILE:
			ret = load_with_file_syscall(o, &in, err);
			break;
		case LOAD_PATH_FILE_THEN_KEXEC_LOAD:
			ret = load_file_then_kexec_load(o, hf, &in, err);
			break;
		}
	}
	inputs_close(&in);
	return ret;
}

int action_print_ckr_size(const struct host_facts *hf, struct kx_error *err)
{
	uint64_t size = 0;

	if (load_env_require_iomem(hf, err))
		return -1;
	for (size_t i = 0; i < hf->iomem.crash.nr; i++)
		size += hf->iomem.crash.r[i].end - hf->iomem.crash.r[i].start;
	printf("%" PRIu64 "\n", size);
	return 0;
}

/* kexec-tools' jump-back helper: kexec_load(entry, 0 segments, KEXEC_PRESERVE_CONTEXT). */
int action_jump_back_helper(const struct kexec_options *o, const struct host_facts *hf,
			    struct kx_error *err)
{
	struct kx_plan plan = { .flags = KEXEC_PRESERVE_CONTEXT | kexec_arch_flags };
	const char *p = strstr(hf->cmdline, "kexec_jump_back_entry=");

	if (o->have_entry)
		plan.entry = o->entry;
	else if (p && (p == hf->cmdline || p[-1] == ' '))
		plan.entry = strtoull(p + strlen("kexec_jump_back_entry="), NULL, 0);
	if (!plan.entry)
		return kx_fail(err, KX_EUSAGE, "--load-jump-back-helper needs --entry=ADDR or "
			       "kexec_jump_back_entry= on this kernel's command line");
	if (o->dry_run) {
		printf("kexec_load(entry 0x%" PRIx64 ", no segments, flags 0x%lx)\n", plan.entry,
		       plan.flags);
		return 0;
	}
	return kx_sys_kexec_load(&plan, KX_CALL_LOAD, err);
}

int action_exec(const struct kexec_options *o, const struct host_facts *hf, struct kx_error *err)
{
	/* machine_kexec() would use a control page a multikernel load never allocated. */
	if (mk_loaded(hf, NULL))
		return kx_fail(err, KX_ESTATE, "a multikernel image is loaded; 'kexec -e' would crash "
			       "this kernel (the RFC's load allocates no control page); run "
			       "'kexec -u --multikernel' first");
	if (instance_guard_reboot(hf, err))
		return -1;
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
	/* As a load: kexec_file_load first unless -c, since lockdown refuses kexec_load. */
	if (o->syscall != SYSCALL_KEXEC_LOAD) {
		if (kx_sys_kexec_file_load(-1, -1, NULL, KEXEC_FILE_UNLOAD |
					   (o->panic ? KEXEC_FILE_ON_CRASH : 0), err) == 0)
			return 0;
		if (o->syscall == SYSCALL_FILE_LOAD || !kx_file_load_falls_back(err->sys_errno))
			return -1;
	}
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
