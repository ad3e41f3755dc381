// SPDX-License-Identifier: GPL-2.0-only
/*
 * The zero page, one setup_<thing>() per concern, in the order boot.rst
 * describes them.  Everything not set here stays zero, which the kernel
 * reads as "absent" (no EDD, no APM, no video, sentinel clear).
 */
#include <string.h>

#include "boot-params.h"
#include "e820.h"

static void setup_header_copy(struct boot_params *bp, const struct bp_inputs *in)
{
	size_t n = in->hdr_len < sizeof(bp->hdr) ? in->hdr_len : sizeof(bp->hdr);

	memcpy(&bp->hdr, in->hdr, n);
	bp->hdr.type_of_loader = BP_LOADER_TYPE_UNDEFINED;
	bp->hdr.code32_start = (uint32_t)in->kernel_addr;
	/* The heap and the real-mode switch hook belong to the 16-bit entry we skip. */
	bp->hdr.heap_end_ptr = 0;
	bp->hdr.loadflags &= (uint8_t)~0x80;	/* CAN_USE_HEAP */
	bp->hdr.setup_data = in->setup_data_addr;
}

static void setup_cmdline(struct boot_params *bp, const struct bp_inputs *in)
{
	bp->hdr.cmd_line_ptr = (uint32_t)in->cmdline_addr;
	bp->ext_cmd_line_ptr = (uint32_t)(in->cmdline_addr >> 32);
}

static void setup_initrd(struct boot_params *bp, const struct bp_inputs *in)
{
	if (!in->initrd_size)
		return;
	bp->hdr.ramdisk_image = (uint32_t)in->initrd_addr;
	bp->ext_ramdisk_image = (uint32_t)(in->initrd_addr >> 32);
	bp->hdr.ramdisk_size = (uint32_t)in->initrd_size;
	bp->ext_ramdisk_size = (uint32_t)(in->initrd_size >> 32);
}

/* e820 plus alt_mem_k: KiB of RAM contiguous from 1 MiB, for old consumers. */
static void setup_memory_map(struct boot_params *bp, const struct bp_inputs *in)
{
	e820_fill(bp, in->e820, in->e820_ext);
	for (size_t i = 0; i < in->e820->nr; i++) {
		const struct mem_range *m = &in->e820->r[i];
		uint64_t kib;

		if (m->type != MEM_RAM || m->start > 0x100000 || m->end <= 0x100000)
			continue;
		kib = (m->end - 0x100000) >> 10;
		bp->alt_mem_k = kib > UINT32_MAX ? UINT32_MAX : (uint32_t)kib;
		bp->ext_mem_k = kib > 0xfc00 ? 0xfc00 : (uint16_t)kib;
	}
}

static void setup_acpi(struct boot_params *bp, const struct bp_inputs *in)
{
	bp->acpi_rsdp_addr = in->acpi_rsdp_addr;
}

/* No video console: the new kernel talks on the serial port it is told about. */
static void setup_screen_info(struct boot_params *bp)
{
	bp->orig_video_isVGA = 0;
	bp->orig_video_lines = 0;
}

void boot_params_build(struct boot_params *bp, const struct bp_inputs *in)
{
	memset(bp, 0, sizeof(*bp));
	setup_header_copy(bp, in);
	setup_cmdline(bp, in);
	setup_initrd(bp, in);
	setup_memory_map(bp, in);
	setup_acpi(bp, in);
	setup_screen_info(bp);
}
