/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The memory a crash kernel load describes (pure, from /proc/iomem):
 * what the crashed kernel's dump covers, where the capture kernel runs, and
 * the memory map the capture kernel is given.  The rules are the kernel's
 * own for kexec_file_load (arch/x86/kernel/crash.c).
 */
#ifndef KEXEC_CRASH_MEMORY_H
#define KEXEC_CRASH_MEMORY_H

#include "iomem.h"
#include "mem-range.h"
#include "status.h"

/*
 * The crash region segments must lie in (the kernel's crashk_res): with
 * crashkernel=X,high there is also a low region, and the main one is the
 * highest.  -1 if none.
 */
int crash_load_region(const struct iomem_map *iomem, struct mem_range *out);

/*
 * The crashed kernel's RAM to dump: System RAM minus the first MiB (x86
 * keeps it reserved, so the capture kernel may use it as its own RAM and no
 * 640 KiB backup is needed: Documentation/admin-guide/kdump/kdump.rst) and
 * minus every crash region.
 */
int crash_dump_ranges(const struct iomem_map *iomem, struct mem_ranges *out,
		      struct kx_error *err);

/*
 * The capture kernel's e820: System RAM below 1 MiB, ACPI tables, ACPI NVS
 * and reserved ranges as they are, and the crash regions as RAM except the
 * ELF core header [hdr_start, hdr_end).
 */
int crash_capture_e820(const struct iomem_map *iomem, uint64_t hdr_start, uint64_t hdr_end,
		       struct mem_ranges *out, struct kx_error *err);

#endif /* KEXEC_CRASH_MEMORY_H */
