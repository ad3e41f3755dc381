// SPDX-License-Identifier: GPL-2.0-only
#define _XOPEN_SOURCE 700
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "unit-helpers.h"

void unit_put8(uint8_t *buf, size_t off, uint8_t v)
{
	buf[off] = v;
}

void unit_put16(uint8_t *buf, size_t off, uint16_t v)
{
	memcpy(buf + off, &v, sizeof(v));
}

void unit_put32(uint8_t *buf, size_t off, uint32_t v)
{
	memcpy(buf + off, &v, sizeof(v));
}

void unit_put64(uint8_t *buf, size_t off, uint64_t v)
{
	memcpy(buf + off, &v, sizeof(v));
}

uint16_t unit_get16(const void *buf, size_t off)
{
	uint16_t v;

	memcpy(&v, (const uint8_t *)buf + off, sizeof(v));
	return v;
}

uint32_t unit_get32(const void *buf, size_t off)
{
	uint32_t v;

	memcpy(&v, (const uint8_t *)buf + off, sizeof(v));
	return v;
}

uint64_t unit_get64(const void *buf, size_t off)
{
	uint64_t v;

	memcpy(&v, (const uint8_t *)buf + off, sizeof(v));
	return v;
}

uint8_t *unit_bzimage(size_t kernel_size, size_t *size)
{
	uint8_t *img;

	assert_int_equal(kernel_size % 16, 0);
	*size = UNIT_BZ_SETUP_SIZE + kernel_size;
	img = calloc(1, *size);
	assert_non_null(img);
	/* Offsets from Documentation/arch/x86/boot.rst. */
	unit_put8(img, 0x1f1, UNIT_BZ_SETUP_SIZE / 512 - 1);	/* setup_sects */
	unit_put32(img, 0x1f4, (uint32_t)(kernel_size / 16));	/* syssize */
	unit_put16(img, 0x1fe, 0xaa55);				/* boot_flag */
	unit_put8(img, 0x200, 0xeb);				/* jump: short jmp ... */
	unit_put8(img, 0x201, 0x6a);				/* ... to 0x26c, the header's end */
	memcpy(img + 0x202, "HdrS", 4);				/* header */
	unit_put16(img, 0x206, 0x020f);				/* version 2.15 */
	unit_put8(img, 0x211, 0x01);				/* loadflags: LOADED_HIGH */
	unit_put32(img, 0x214, 0x100000);			/* code32_start */
	unit_put32(img, 0x22c, UNIT_BZ_INITRD_ADDR_MAX);	/* initrd_addr_max */
	unit_put32(img, 0x230, 0x200000);			/* kernel_alignment */
	unit_put8(img, 0x234, 1);				/* relocatable_kernel */
	unit_put8(img, 0x235, 21);				/* min_alignment */
	unit_put16(img, 0x236, 0x0001);				/* xloadflags: XLF_KERNEL_64 */
	unit_put32(img, 0x238, UNIT_BZ_CMDLINE_SIZE);		/* cmdline_size */
	unit_put32(img, 0x248, 0x100);				/* payload_offset */
	unit_put32(img, 0x24c, 0x200);				/* payload_length */
	unit_put64(img, 0x258, UNIT_BZ_PREF_ADDRESS);		/* pref_address */
	unit_put32(img, 0x260, UNIT_BZ_INIT_SIZE);		/* init_size */
	for (size_t i = UNIT_BZ_SETUP_SIZE; i < *size; i++)
		img[i] = (uint8_t)(i * 7 + 3);
	return img;
}

char *unit_sysroot_new(void)
{
	const char *tmp = getenv("TMPDIR");
	char *root = malloc(4096);

	assert_non_null(root);
	snprintf(root, 4096, "%s/kexec-unit-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(root));
	return root;
}

static void make_parents(char *path)
{
	for (char *p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			fail_msg("mkdir %s: %s", path, strerror(errno));
		*p = '/';
	}
}

void unit_sysroot_write(const char *root, const char *rel, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	make_parents(path);
	f = fopen(path, "w");
	if (!f)
		fail_msg("create %s: %s", path, strerror(errno));
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

void unit_sysroot_write_bytes(const char *root, const char *rel, const void *data, size_t size)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	make_parents(path);
	f = fopen(path, "wb");
	if (!f)
		fail_msg("create %s: %s", path, strerror(errno));
	assert_int_equal(fwrite(data, 1, size, f), size);
	assert_int_equal(fclose(f), 0);
}

void unit_sysroot_read(const char *root, const char *rel, char *buf, size_t size)
{
	char path[4096];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "r");
	if (!f)
		fail_msg("open %s: %s", path, strerror(errno));
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void unit_sysroot_remove(char *root)
{
	if (!root)
		return;
	nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	free(root);
}

void unit_assert_contains(const char *haystack, const char *needle)
{
	if (!strstr(haystack, needle))
		fail_msg("\"%s\" does not contain \"%s\"", haystack, needle);
}
