/* SPDX-License-Identifier: GPL-2.0-only */
/* Reading numbers off a fuzz input, for the harnesses that decode operations. */
#ifndef TESTS_FUZZ_INPUT_H
#define TESTS_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

struct fuzz_input {
	const uint8_t *data;
	size_t size, pos;
};

static inline uint64_t fuzz_bytes(struct fuzz_input *in, unsigned int n)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < n; i++)
		v |= (uint64_t)(in->pos < in->size ? in->data[in->pos++] : 0) << (8 * i);
	return v;
}

static inline int fuzz_more(const struct fuzz_input *in)
{
	return in->pos < in->size;
}

/*
 * An address: mostly page multiples in the first 4 GiB, where ranges meet
 * and collide, sometimes any 64-bit value (the ends of the address space).
 */
static inline uint64_t fuzz_addr(struct fuzz_input *in)
{
	uint8_t kind = (uint8_t)fuzz_bytes(in, 1);

	switch (kind & 3) {
	case 0: return fuzz_bytes(in, 1) << 12;
	case 1: return fuzz_bytes(in, 2) << 16;
	case 2: return fuzz_bytes(in, 8);
	default: return UINT64_MAX - (fuzz_bytes(in, 2) << 12);
	}
}

#endif /* TESTS_FUZZ_INPUT_H */
