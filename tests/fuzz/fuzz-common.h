/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What every libFuzzer harness in tests/fuzz shares: the program's own
 * invariants as checks that abort (so libFuzzer keeps the input), a guard
 * that turns any kexec_load/kexec_file_load/reboot into a crash, the
 * "%%name" sectioned input format, and a small recorded machine.
 */
#ifndef TESTS_FUZZ_COMMON_H
#define TESTS_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host-facts.h"
#include "load-request.h"
#include "plan.h"
#include "status.h"

/* An invariant of the program failed: say which, then abort (libFuzzer saves the input). */
#define FUZZ_ASSERT(cond, ...) \
	do { \
		if (!(cond)) \
			fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__); \
	} while (0)

void fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 4, 5)));

/* Every failure carries a reason: a status other than OK and a message. */
void fuzz_check_failure(const struct kx_error *err);

/*
 * Inputs made of named sections, each starting with a line "%%name" at the
 * start of the input or right after a newline; a section ends where the
 * next "\n%%" begins.  Unknown names are ignored; a missing one is NULL.
 */
struct fuzz_section {
	const char *name;
	const uint8_t *data;	/* NULL: absent */
	size_t size;
};

void fuzz_split(const uint8_t *data, size_t size, struct fuzz_section *sections, size_t nr);
/* A section's text as a NUL-terminated malloc'd copy ("" when absent). */
char *fuzz_strdup(const struct fuzz_section *s);

/*
 * Replace the sysroot dir with the machine the input describes: sections
 * iomem, cmdline, cpuinfo, meminfo, present, online, systab, multikernel,
 * loaded, crash_loaded, boot_id, possible, vmcoreinfo, elfcorehdr_size,
 * kcore, kmsg (dev/kmsg), console_active (files under proc/, sys/ and
 * dev/), instance and instance_loaded
 * (run/kexec-mk/cpu1 and loaded), fwmap, one /sys/firmware/memmap entry per
 * line "START END TYPE", notes, one CPU's crash notes per line
 * "CPU ADDR SIZE", and tty, one serial port per line "NAME TYPE PORT DEV".
 * Absent sections leave their file absent.
 */
void fuzz_write_sysroot(const char *dir, const uint8_t *data, size_t size);

/* Write size bytes to dir/rel, creating the directories on the way. */
void fuzz_write(const char *dir, const char *rel, const void *data, size_t size);
/* A fresh private directory under /dev/shm (or $TMPDIR); removed at exit, or by fuzz_rmdir. */
char *fuzz_mkdtemp(void);
void fuzz_rmdir(char *dir);

/*
 * The recorded 1 GiB QEMU guest of tests/fixtures (qemu-1g-mk), with a
 * crash kernel area added, as host facts.
 */
void fuzz_machine(struct host_facts *hf);

/*
 * Invariants of a plan that a loader returned, against the host's own maps
 * rather than the map the planner used: plan_check passes; an ordinary load
 * touches no crash area, nothing below 1 MiB and nothing but System RAM; a
 * multikernel load stays in its reservation and never touches host RAM.
 */
void fuzz_check_ordinary_plan(const struct kx_plan *plan, const struct load_env *env,
			      const struct host_facts *hf);
void fuzz_check_multikernel_plan(const struct kx_plan *plan, const struct load_env *env,
				 const struct host_facts *hf, const struct mem_range *reservation);

/* A reservation (mk_memory_find's main) is firmware RAM, below 4 GiB, and never host RAM. */
void fuzz_check_reservation(const struct host_facts *hf, const struct mem_range *main,
			    uint64_t mem_min, uint64_t mem_max);

/* Plan a kernel image (already in memory) with the loader type (NULL: the one that takes it). */
int fuzz_plan_image(const uint8_t *data, size_t size, const char *type,
		    const struct load_env *env, const char *cmdline, struct kx_plan *plan,
		    struct kx_error *err);

/*
 * The loader harnesses: plan data as a kernel of the given type
 * ("bzImage64", "elf-x86_64") for an ordinary load and for a multikernel
 * load on fuzz_machine(), and check each plan or failure.
 */
void fuzz_loader_one(const uint8_t *data, size_t size, const char *type);

/* A small valid bzImage (boot protocol 2.15, relocatable), malloc'd. */
uint8_t *fuzz_small_bzimage(size_t *size);

#endif /* TESTS_FUZZ_COMMON_H */
