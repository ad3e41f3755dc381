// SPDX-License-Identifier: GPL-2.0-only
/*
 * kexec --list --multikernel and -S --multikernel: what kexec recorded
 * (mk-instance.c) beside what the running kernel lists (/proc/multikernel,
 * or /sys/kernel's flags without it).  Reads only: the records are not
 * locked for writing.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mk-images.h"
#include "multikernel-dmesg.h"
#include "multikernel-list.h"

static void print_uptime(const struct mk_instance *in, time_t now)
{
	int64_t s = now - in->started;

	if (in->stale)
		printf("%-10s", "stale");
	else if (!in->started || s < 0)
		printf("%-10s", "-");
	else
		printf("%3" PRId64 ":%02" PRId64 ":%02" PRId64 " ", s / 3600, s / 60 % 60, s % 60);
}

/* The recorded instances, started ones by CPU, then the loaded image. */
static void list_instances(const struct mk_registry *reg)
{
	time_t now = time(NULL);

	if (!reg->nr && !reg->nr_damaged) {
		printf("no multikernel instances recorded\n");
		return;
	}
	printf("%-4s  %-11s  %-9s  %-50s  %s\n", "CPU", "STATE", "UPTIME", "MEMORY", "IMAGE");
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < reg->nr; i++) {
			const struct mk_instance *in = &reg->inst[i];
			char cpu[CPU_LIST_MAX * 6], mem[128] = "";
			size_t used = 0;

			if ((in->cpu < 0) != (pass == 1))
				continue;
			/* Every CPU it holds; a loaded image's are the ones its MADT lists. */
			mk_instance_cpu_list(in, cpu, sizeof(cpu));
			for (size_t j = 0; j < in->nr_ranges && used < sizeof(mem); j++)
				used += (size_t)snprintf(mem + used, sizeof(mem) - used,
							 "%s%s [0x%" PRIx64 ",0x%" PRIx64 ")",
							 j ? " " : "", in->ranges[j].name,
							 in->ranges[j].start, in->ranges[j].end);
			printf("%-4s  %-11s  ", cpu, in->stale ? "stale" : mk_state_name(in->state));
			print_uptime(in, now);
			printf(" %-50s  %s\n", mem, in->image);
		}
	}
	for (size_t i = 0; i < reg->nr_damaged; i++)
		printf("%s/%s: damaged record (%s)\n", reg->dir, reg->damaged[i].file,
		       reg->damaged[i].why);
}

int mk_list(const struct kexec_options *o, const struct host_facts *hf,
	    const struct mk_registry *reg)
{
	struct mk_image im[16];
	size_t n;
	bool any = false;

	list_instances(reg);
	if (o->action == ACT_LIST)
		mk_list_logs(hf, reg);
	n = mk_images(hf, im, 16);
	printf("\n");
	if (!hf->have_proc_multikernel) {
		static const char *const state[] = { "unknown", "no", "yes" };

		/* What /sys/kernel says; the records above say what kexec loaded. */
		printf("kexec images: not listed by the running kernel (no /proc/multikernel)\n");
		printf("ordinary kexec image loaded: %s\n", state[hf->kexec_loaded + 1]);
		printf("crash kernel loaded: %s\n", state[hf->kexec_crash_loaded + 1]);
		for (size_t i = 0; i < reg->nr; i++)
			any |= strcmp(reg->inst[i].file, MK_INSTANCE_LOADED) == 0;
	} else if (n == 0) {
		printf("no kexec images loaded\n");
	} else {
		printf("%-12s  %-18s  %s\n", "TYPE", "ENTRY", "SEGMENTS");
		for (size_t i = 0; i < n; i++) {
			printf("%-12s  0x%016" PRIx64 "  %lu\n", im[i].type, im[i].entry,
			       im[i].segments);
			any |= strcmp(im[i].type, "multikernel") == 0;
		}
	}
	/* -S: 1 when a multikernel image is loaded or an instance holds a CPU. */
	for (size_t i = 0; i < reg->nr; i++)
		any |= reg->inst[i].cpu >= 0 && mk_instance_holds(&reg->inst[i]);
	return o->action == ACT_STATUS ? any : 0;
}
