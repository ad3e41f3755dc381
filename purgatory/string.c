/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The four functions gcc may call even in freestanding code.  Built with
 * -fno-tree-loop-distribute-patterns so these loops are not turned back
 * into calls to themselves.
 */
#include "purgatory.h"

void *memcpy(void *dst, const void *src, size_t size)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	while (size--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t size)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (d <= s)
		return memcpy(dst, src, size);
	while (size--)
		d[size] = s[size];
	return dst;
}

void *memset(void *dst, int c, size_t size)
{
	uint8_t *d = dst;

	while (size--)
		*d++ = (uint8_t)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t size)
{
	const uint8_t *x = a, *y = b;

	for (; size; size--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}
