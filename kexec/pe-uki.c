// SPDX-License-Identifier: GPL-2.0-only
/*
 * PE/COFF facts used here (Microsoft's PE format specification): "MZ" at 0,
 * the PE header's offset (u32) at 0x3c, "PE\0\0" there, then the 20-byte
 * COFF header (NumberOfSections u16 at +2, SizeOfOptionalHeader u16 at
 * +16), the optional header, and the section table: 40 bytes per section,
 * Name[8] at 0, VirtualSize at 8, SizeOfRawData at 16, PointerToRawData at
 * 20.  A section's bytes are [PointerToRawData, + min(VirtualSize,
 * SizeOfRawData)): SizeOfRawData is padded to the file alignment.
 */
#include <string.h>

#include "pe-uki.h"

#define PE_OFFSET_AT	0x3c
#define COFF_SIZE	20
#define SECTION_SIZE	40

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static struct uki_section *section_for(struct uki_sections *out, const uint8_t *name)
{
	if (memcmp(name, ".linux\0\0", 8) == 0)
		return &out->linux_;
	if (memcmp(name, ".initrd\0", 8) == 0)
		return &out->initrd;
	if (memcmp(name, ".cmdline", 8) == 0)
		return &out->cmdline;
	return NULL;
}

int uki_find_sections(const uint8_t *data, size_t size, const char *path,
		      struct uki_sections *out, struct kx_error *err)
{
	size_t pe, table, nsect;

	memset(out, 0, sizeof(*out));
	if (size < PE_OFFSET_AT + 4 || data[0] != 'M' || data[1] != 'Z')
		return 0;
	pe = get32(data + PE_OFFSET_AT);
	if (pe > size || size - pe < 4 + COFF_SIZE || memcmp(data + pe, "PE\0\0", 4) != 0)
		return 0;
	nsect = get16(data + pe + 4 + 2);
	table = pe + 4 + COFF_SIZE + get16(data + pe + 4 + 16);
	if (table > size || (size - table) / SECTION_SIZE < nsect)
		return 0;	/* not a PE file we can read: let the other loaders judge */
	for (size_t i = 0; i < nsect; i++) {
		const uint8_t *s = data + table + i * SECTION_SIZE;
		struct uki_section *sec = section_for(out, s);
		uint32_t vsize = get32(s + 8), raw = get32(s + 16), off = get32(s + 20);
		uint32_t len = vsize && vsize < raw ? vsize : raw;

		if (!sec)
			continue;
		if (off > size || size - off < len)
			return kx_fail(err, KX_ETRUNCATED, "%s: UKI section %.8s [0x%x, +0x%x) lies "
				       "outside the file (%zu bytes)", path, (const char *)s, off, len,
				       size);
		sec->offset = off;
		sec->size = len;
	}
	if (!out->linux_.size) {
		if (out->initrd.size || out->cmdline.size)
			return kx_fail(err, KX_EFORMAT, "%s: a PE file with UKI sections but no (or an "
				       "empty) .linux section: no kernel to load", path);
		return 0;
	}
	return 1;
}
