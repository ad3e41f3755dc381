// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>

#include "mem-view.h"

int mem_view_add(struct mem_view *v, uint64_t start, uint64_t end)
{
	if (v->nr >= MEM_VIEW_MAX_RANGES || end <= start)
		return -1;
	v->r[v->nr].start = start;
	v->r[v->nr].end = end;
	v->nr++;
	return 0;
}

uint64_t mem_view_size(const struct mem_view *v)
{
	uint64_t total = 0;

	for (size_t i = 0; i < v->nr; i++)
		total += v->r[i].end - v->r[i].start;
	return total;
}

bool mem_view_contains(const struct mem_view *v, uint64_t addr, uint64_t len)
{
	for (size_t i = 0; i < v->nr; i++)
		if (len && addr >= v->r[i].start && addr < v->r[i].end &&
		    len <= v->r[i].end - addr)
			return true;
	return false;
}

int mem_view_read(struct mem_view *v, uint64_t addr, void *buf, size_t len)
{
	if (!mem_view_contains(v, addr, len)) {
		v->refused++;
		return -1;
	}
	return v->read(v->ctx, addr, buf, len);
}

int mem_view_read_u64(struct mem_view *v, uint64_t addr, uint64_t *out)
{
	return mem_view_read(v, addr, out, sizeof(*out));
}

int mem_view_read_u32(struct mem_view *v, uint64_t addr, uint32_t *out)
{
	return mem_view_read(v, addr, out, sizeof(*out));
}

static int buf_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	const struct mem_view_buf *b = ctx;

	if (addr < b->base || addr - b->base > b->size || len > b->size - (addr - b->base))
		return -1;
	memcpy(buf, b->buf + (addr - b->base), len);
	return 0;
}

void mem_view_buf_init(struct mem_view *v, struct mem_view_buf *b)
{
	memset(v, 0, sizeof(*v));
	v->read = buf_read;
	v->ctx = b;
	if (b->size)
		mem_view_add(v, b->base, b->base + b->size);
}
