/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The x86 "zero page" (struct boot_params) and the bzImage setup header,
 * as Documentation/arch/x86/boot.rst and zero-page.rst lay them out.
 * Every field carries its byte offset; static_asserts pin the layout.
 * Only the fields this loader reads or writes are named; the rest are
 * padding of the right size.
 */
#ifndef KEXEC_X86_BOOTPARAM_H
#define KEXEC_X86_BOOTPARAM_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#define BP_HEADER_OFFSET	0x1f1	/* setup header inside the image and the zero page */
#define BP_BOOT_FLAG		0xaa55
#define BP_HDRS_MAGIC		0x53726448	/* "HdrS" */
#define BP_MIN_PROTOCOL		0x020c	/* 2.12: xloadflags, so XLF_KERNEL_64 can be checked */
#define BP_ENTRY64_OFFSET	0x200	/* 64-bit entry = protected-mode load address + 0x200 */

/* loadflags */
#define LOADED_HIGH		0x01
/* xloadflags */
#define XLF_KERNEL_64		0x01
#define XLF_CAN_BE_LOADED_ABOVE_4G 0x02

#define SETUP_E820_EXT		1
#define E820_MAX_ENTRIES_ZEROPAGE 128

struct setup_header {
	uint8_t  setup_sects;		/* 0x1f1 */
	uint16_t root_flags;		/* 0x1f2 */
	uint32_t syssize;		/* 0x1f4 protected-mode size in 16-byte units */
	uint16_t ram_size;		/* 0x1f8 */
	uint16_t vid_mode;		/* 0x1fa */
	uint16_t root_dev;		/* 0x1fc */
	uint16_t boot_flag;		/* 0x1fe 0xaa55 */
	uint16_t jump;			/* 0x200 */
	uint32_t header;		/* 0x202 "HdrS" */
	uint16_t version;		/* 0x206 boot protocol version */
	uint32_t realmode_swtch;	/* 0x208 */
	uint16_t start_sys_seg;		/* 0x20c */
	uint16_t kernel_version;	/* 0x20e */
	uint8_t  type_of_loader;	/* 0x210 */
	uint8_t  loadflags;		/* 0x211 */
	uint16_t setup_move_size;	/* 0x212 */
	uint32_t code32_start;		/* 0x214 */
	uint32_t ramdisk_image;		/* 0x218 */
	uint32_t ramdisk_size;		/* 0x21c */
	uint32_t bootsect_kludge;	/* 0x220 */
	uint16_t heap_end_ptr;		/* 0x224 */
	uint8_t  ext_loader_ver;	/* 0x226 */
	uint8_t  ext_loader_type;	/* 0x227 */
	uint32_t cmd_line_ptr;		/* 0x228 */
	uint32_t initrd_addr_max;	/* 0x22c highest address for the initrd's last byte */
	uint32_t kernel_alignment;	/* 0x230 */
	uint8_t  relocatable_kernel;	/* 0x234 */
	uint8_t  min_alignment;		/* 0x235 log2 */
	uint16_t xloadflags;		/* 0x236 */
	uint32_t cmdline_size;		/* 0x238 max command line length, NUL excluded */
	uint32_t hardware_subarch;	/* 0x23c */
	uint64_t hardware_subarch_data;	/* 0x240 */
	uint32_t payload_offset;	/* 0x248 */
	uint32_t payload_length;	/* 0x24c */
	uint64_t setup_data;		/* 0x250 physical address of the first setup_data */
	uint64_t pref_address;		/* 0x258 */
	uint32_t init_size;		/* 0x260 linear memory the kernel needs from its load address */
	uint32_t handover_offset;	/* 0x264 */
	uint32_t kernel_info_offset;	/* 0x268 */
} __attribute__((packed));

struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));

struct setup_data {
	uint64_t next;
	uint32_t type;
	uint32_t len;
	uint8_t  data[];
} __attribute__((packed));

struct boot_params {
	/* screen_info, 0x000-0x03f */
	uint8_t  orig_x;		/* 0x000 */
	uint8_t  orig_y;		/* 0x001 */
	uint16_t ext_mem_k;		/* 0x002 */
	uint8_t  _screen_info1[0x00e - 0x004];
	uint8_t  orig_video_lines;	/* 0x00e */
	uint8_t  orig_video_isVGA;	/* 0x00f */
	uint8_t  _screen_info2[0x040 - 0x010];
	uint8_t  _apm_ist[0x070 - 0x040];
	uint64_t acpi_rsdp_addr;	/* 0x070 */
	uint8_t  _pad1[0x0c0 - 0x078];
	uint32_t ext_ramdisk_image;	/* 0x0c0 high 32 bits of ramdisk_image */
	uint32_t ext_ramdisk_size;	/* 0x0c4 */
	uint32_t ext_cmd_line_ptr;	/* 0x0c8 */
	uint8_t  _pad2[0x1e0 - 0x0cc];
	uint32_t alt_mem_k;		/* 0x1e0 */
	uint32_t scratch;		/* 0x1e4 */
	uint8_t  e820_entries;		/* 0x1e8 */
	uint8_t  eddbuf_entries;	/* 0x1e9 */
	uint8_t  edd_mbr_sig_buf_entries; /* 0x1ea */
	uint8_t  kbd_status;		/* 0x1eb */
	uint8_t  secure_boot;		/* 0x1ec */
	uint8_t  _pad3[2];		/* 0x1ed */
	uint8_t  sentinel;		/* 0x1ef must stay 0 */
	uint8_t  _pad4;			/* 0x1f0 */
	struct setup_header hdr;	/* 0x1f1 */
	uint8_t  _pad5[0x2d0 - 0x1f1 - sizeof(struct setup_header)];
	struct e820_entry e820_table[E820_MAX_ENTRIES_ZEROPAGE]; /* 0x2d0 */
	uint8_t  _pad6[0x1000 - 0xcd0];
} __attribute__((packed));

static_assert(sizeof(struct setup_header) == 0x26c - 0x1f1, "setup_header size");
static_assert(offsetof(struct setup_header, header) == 0x202 - 0x1f1, "HdrS offset");
static_assert(offsetof(struct setup_header, xloadflags) == 0x236 - 0x1f1, "xloadflags offset");
static_assert(offsetof(struct setup_header, init_size) == 0x260 - 0x1f1, "init_size offset");
static_assert(sizeof(struct e820_entry) == 20, "e820 entry size");
static_assert(offsetof(struct boot_params, acpi_rsdp_addr) == 0x070, "acpi_rsdp_addr offset");
static_assert(offsetof(struct boot_params, ext_cmd_line_ptr) == 0x0c8, "ext_cmd_line_ptr offset");
static_assert(offsetof(struct boot_params, e820_entries) == 0x1e8, "e820_entries offset");
static_assert(offsetof(struct boot_params, hdr) == BP_HEADER_OFFSET, "setup header offset");
static_assert(offsetof(struct boot_params, e820_table) == 0x2d0, "e820_table offset");
static_assert(sizeof(struct boot_params) == 4096, "boot_params is one page");

#endif /* KEXEC_X86_BOOTPARAM_H */
