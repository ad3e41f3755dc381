// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>

#include "e820.h"

bool e820_type_is_firmware(enum mem_type type)
{
	return type != MEM_OTHER;
}

static size_t count_entries(const struct mem_ranges *map)
{
	size_t n = 0;

	for (size_t i = 0; i < map->nr; i++)
		n += e820_type_is_firmware(map->r[i].type);
	return n;
}

size_t e820_ext_size(const struct mem_ranges *map)
{
	size_t n = count_entries(map);

	if (n <= E820_MAX_ENTRIES_ZEROPAGE)
		return 0;
	return sizeof(struct setup_data) + (n - E820_MAX_ENTRIES_ZEROPAGE) * sizeof(struct e820_entry);
}

void e820_fill(struct boot_params *bp, const struct mem_ranges *map, struct setup_data *ext)
{
	size_t zp = 0, nx = 0;

	for (size_t i = 0; i < map->nr; i++) {
		const struct mem_range *m = &map->r[i];
		struct e820_entry e;

		if (!e820_type_is_firmware(m->type))
			continue;
		e.addr = m->start;
		e.size = m->end - m->start;
		e.type = (uint32_t)m->type;
		if (zp < E820_MAX_ENTRIES_ZEROPAGE)
			bp->e820_table[zp++] = e;
		else
			memcpy(ext->data + nx++ * sizeof(e), &e, sizeof(e));
	}
	bp->e820_entries = (uint8_t)zp;
	if (ext && nx) {
		ext->type = SETUP_E820_EXT;
		ext->len = (uint32_t)(nx * sizeof(struct e820_entry));
		ext->next = 0;
	}
}
