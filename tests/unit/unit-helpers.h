/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the unit tests (linked into every test program):
 * a synthetic bzImage, a temporary sysroot, message assertions.
 */
#ifndef TESTS_UNIT_HELPERS_H
#define TESTS_UNIT_HELPERS_H

#include <stddef.h>
#include <stdint.h>

/*
 * A minimal, valid x86-64 bzImage: setup_sects 1 (setup 0x400 bytes),
 * kernel_size bytes of protected-mode part (a multiple of 16), boot
 * protocol 2.15, LOADED_HIGH, XLF_KERNEL_64, relocatable, kernel_alignment
 * 2 MiB, pref_address 16 MiB, init_size 8 MiB, cmdline_size 0x7ff,
 * initrd_addr_max 0x37ffffff, payload [0x100, 0x100 + 0x200).
 * Header fields are written at their boot.rst byte offsets, not through
 * struct setup_header, so the struct layout is checked too.  malloc'd.
 */
/* Number of rows in a table. */
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Append one cmocka test per row of arr, each getting its row as state. */
#define ROWS(arr, fn) \
	for (size_t i = 0; i < N(arr); i++) \
		tests[n++] = (struct CMUnitTest){ .name = arr[i].name, .test_func = fn, \
						  .initial_state = (void *)&arr[i] }

#define UNIT_BZ_SETUP_SIZE	0x400
#define UNIT_BZ_PREF_ADDRESS	0x1000000u
#define UNIT_BZ_INIT_SIZE	0x800000u
#define UNIT_BZ_CMDLINE_SIZE	0x7ffu
#define UNIT_BZ_INITRD_ADDR_MAX	0x37ffffffu
uint8_t *unit_bzimage(size_t kernel_size, size_t *size);

void unit_put8(uint8_t *buf, size_t off, uint8_t v);
void unit_put16(uint8_t *buf, size_t off, uint16_t v);
void unit_put32(uint8_t *buf, size_t off, uint32_t v);
void unit_put64(uint8_t *buf, size_t off, uint64_t v);
uint16_t unit_get16(const void *buf, size_t off);
uint32_t unit_get32(const void *buf, size_t off);
uint64_t unit_get64(const void *buf, size_t off);

/* A fresh directory under $TMPDIR (or /tmp); malloc'd path. */
char *unit_sysroot_new(void);
/* Write text to root/rel, creating the directories on the way. */
void unit_sysroot_write(const char *root, const char *rel, const char *text);
/* Read root/rel into buf (NUL-terminated); fails the test if missing. */
void unit_sysroot_read(const char *root, const char *rel, char *buf, size_t size);
/* Write size bytes to root/rel (binary), creating the directories on the way. */
void unit_sysroot_write_bytes(const char *root, const char *rel, const void *data, size_t size);
/* rm -rf root, then free it. */
void unit_sysroot_remove(char *root);

/* Fail unless haystack contains needle, printing both. */
void unit_assert_contains(const char *haystack, const char *needle);

#endif /* TESTS_UNIT_HELPERS_H */
