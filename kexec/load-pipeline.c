// SPDX-License-Identifier: GPL-2.0-only
/*
 * The load pipeline both load kinds share: inputs -> command line -> plan
 * -> check -> load.  kexec-actions.c (ordinary) and multikernel-load.c
 * differ only in the environment they plan in and the command line
 * prefix they add; every step after that is here, once.
 */
#include <stdio.h>
#include <string.h>

#include "cmdline-params.h"
#include "kexec-syscall.h"
#include "load-pipeline.h"
#include "pe-uki.h"
#include "plan-check.h"
#include "plan-print.h"

/*
 * A UKI (pe-uki.c): the kernel is its .linux section; its .initrd is the
 * initrd unless --initrd names one; its .cmdline is kept for
 * inputs_embedded_cmdline().  All are views into the mapped file.
 */
static int unwrap_uki(const struct kexec_options *o, struct loaded_inputs *in,
		      struct kx_error *err)
{
	const uint8_t *base = in->kernel.data;
	struct uki_sections uki;
	int rc = uki_find_sections(base, in->kernel.size, o->kernel_path, &uki, err);
	size_t n;

	if (rc <= 0)
		return rc;
	if (uki.cmdline.size >= sizeof(in->embedded_cmdline))
		return kx_fail(err, KX_ECMDLINE, "%s: the UKI's .cmdline is %zu bytes; at most %zu "
			       "fit", o->kernel_path, uki.cmdline.size, sizeof(in->embedded_cmdline) - 1);
	memcpy(in->embedded_cmdline, base + uki.cmdline.offset, uki.cmdline.size);
	/* ukify ends it with a NUL or a newline. */
	n = strnlen(in->embedded_cmdline, uki.cmdline.size);
	while (n && (in->embedded_cmdline[n - 1] == '\n' || in->embedded_cmdline[n - 1] == ' '))
		n--;
	in->embedded_cmdline[n] = '\0';
	if (!o->initrd_path && uki.initrd.size) {
		snprintf(in->initrd_label, sizeof(in->initrd_label), "%s(.initrd)", o->kernel_path);
		in->initrd = (struct image_file){ .path = in->initrd_label,
						  .data = base + uki.initrd.offset,
						  .size = uki.initrd.size };
	}
	in->kernel.data = base + uki.linux_.offset;
	in->kernel.size = uki.linux_.size;
	in->kernel.compression = "UKI .linux";
	return 0;
}

int inputs_embedded_cmdline(const struct kexec_options *o, const struct loaded_inputs *in,
			    char *out, size_t size, struct kx_error *err)
{
	if (!in->embedded_cmdline[0] || o->have_cmdline || o->reuse_cmdline)
		return 0;
	if (cmdline_append(out, size, in->embedded_cmdline))
		return kx_fail(err, KX_ECMDLINE, "the command line exceeds %zu bytes", size - 1);
	return 0;
}

int inputs_open(const struct kexec_options *o, struct loaded_inputs *in, struct kx_error *err)
{
	memset(in, 0, sizeof(*in));
	if (image_file_open(o->kernel_path, true, &in->kernel, err))
		return -1;
	if (o->initrd_path && image_file_open(o->initrd_path, false, &in->initrd, err)) {
		image_file_close(&in->kernel);
		return -1;
	}
	if (unwrap_uki(o, in, err)) {
		inputs_close(in);
		return -1;
	}
	in->type = file_type_select(&in->kernel, o->type, err);
	if (!in->type) {
		inputs_close(in);
		return -1;
	}
	in->req.kernel = &in->kernel;
	in->req.initrd = o->initrd_path || in->initrd.data ? &in->initrd : NULL;
	in->req.verify_digests = !o->no_checks;
	/* kexec-tools' default port for --console-serial is COM1. */
	in->req.serial_port = !o->console_serial ? 0 : o->serial_port ? o->serial_port : 0x3f8;
	return 0;
}

void inputs_close(struct loaded_inputs *in)
{
	image_file_close(&in->kernel);
	image_file_close(&in->initrd);
}

int compose_cmdline(const struct kexec_options *o, const struct host_facts *hf,
		    const char *const drop[], size_t nr_drop, const char *prefix,
		    char *out, size_t size, struct kx_error *err)
{
	const char *always_drop[8] = { "BOOT_IMAGE" };
	size_t n = 1;

	for (size_t i = 0; i < nr_drop && n < 8; i++)
		always_drop[n++] = drop[i];
	out[0] = '\0';
	if (o->reuse_cmdline &&
	    cmdline_drop_params(hf->cmdline, always_drop, n, out, size))
		return kx_fail(err, KX_ECMDLINE, "this kernel's command line does not fit in %zu "
			       "bytes", size);
	if (cmdline_append(out, size, prefix) || cmdline_append(out, size, o->append))
		return kx_fail(err, KX_ECMDLINE, "the command line exceeds %zu bytes", size - 1);
	return 0;
}

int plan_build(const struct loaded_inputs *in, const struct load_env *env,
	       unsigned long flags, struct kx_plan *plan, struct kx_error *err)
{
	struct plan_rules rules = {
		.allowed = &env->allowed,
		.allowed_name = env->allowed_name,
		.max_end = env->max_end,
		.totalram_bytes = env->totalram_bytes,
	};

	plan_init(plan, &env->allowed, env->allowed_name, env->no_room_hint);
	/* First, so that no image segment can take the status page. */
	if (env->status_addr && plan_place_fixed(plan, NULL, 0, env->status_addr, KX_PAGE_SIZE,
						 "status", "zeroed", err))
		return -1;
	if (env->fixed.memsz) {
		if (plan_place_fixed(plan, env->fixed.buf, env->fixed.bufsz, env->fixed.mem,
				     env->fixed.memsz, env->fixed.purpose, env->fixed.source, err))
			return -1;
		plan->seg[plan->nr - 1].unchecked = env->fixed.unchecked;
	}
	if (in->type->plan(&in->kernel, &in->req, env, plan, err))
		return -1;
	plan->flags = flags | kexec_arch_flags;
	plan_sort(plan);
	return plan_check(plan, &rules, err);
}

void plan_explain(FILE *out, const struct loaded_inputs *in, const struct kx_plan *plan)
{
	fprintf(out, "%s image %s%s%s%s\n", in->type->name, in->kernel.path,
		in->kernel.compression ? " (" : "",
		in->kernel.compression ? in->kernel.compression : "",
		in->kernel.compression ? ")" : "");
	fprintf(out, "command line: \"%s\"\n", in->req.cmdline);
	plan_print(out, plan);
}

int pipeline_plan_and_load(const struct loaded_inputs *in, const struct load_env *env,
			   unsigned long flags, enum kx_call call, const struct kexec_options *o,
			   struct kx_error *err)
{
	struct kx_plan plan;
	int ret = plan_build(in, env, flags, &plan, err);

	if (ret == 0 && (o->dry_run || o->debug))
		plan_explain(stdout, in, &plan);
	if (ret == 0 && !o->dry_run)
		ret = kx_sys_kexec_load(&plan, call, err);
	plan_free(&plan);
	return ret;
}
