/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A printk ring written the way Linux 6.12's writer leaves it
 * (printk_ringbuffer.c: the descriptor ring starts with one reusable
 * placeholder at id -(count + 1), text positions start at -size and grow
 * without bound, a block that would cross the ring's end starts over at
 * index 0, the oldest descriptors are given up when their text or their
 * slot is needed), in a buffer the tests read through printk-ring.c.
 * Shared by the unit tests and the fuzz harness.
 */
#ifndef TESTS_UNIT_PRB_SIM_H
#define TESTS_UNIT_PRB_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "printk-ring.h"
#include "vmcoreinfo.h"

/* The simulated kernel's memory: SIM_SIZE bytes, seen at virtual SIM_VA. */
#define SIM_VA		0xffff888020000000ull
#define SIM_SIZE	0x80000u
#define SIM_PRB		0x0	/* SYMBOL(prb): a pointer to the ring */
#define SIM_RING	0x100
#define SIM_DESCS	0x1000
#define SIM_INFOS	0x10000
#define SIM_DATA	0x40000

/* VMCOREINFO as Debian's 6.12 prints it (the printk part and what parsing requires). */
extern const char prb_sim_vmcoreinfo[];

struct prb_sim {
	uint8_t *mem;
	unsigned int count_bits, size_bits;
	uint64_t head_id, tail_id, head_lpos, seq;
	unsigned int wrapped;		/* blocks that started over at index 0 */
	uint8_t facility;		/* written into every record appended (0: kern) */
	struct prb_layout l;
};

void prb_sim_init(struct prb_sim *s, uint8_t *mem, unsigned int count_bits, unsigned int size_bits);
/* Append one record in the given state (enum prb_desc_state), level 0-7: its id. */
uint64_t prb_sim_append(struct prb_sim *s, const char *text, unsigned int state, int level);
/* Rewrite a descriptor's state word. */
void prb_sim_set_state(struct prb_sim *s, uint64_t id, unsigned int state);
/* The offsets of a descriptor and its info in mem. */
size_t prb_sim_desc(const struct prb_sim *s, uint64_t id);
size_t prb_sim_info(const struct prb_sim *s, uint64_t id);

/* A reader of SIM_VA..SIM_VA + SIM_SIZE that refuses (and counts) anything else. */
struct prb_sim_reader {
	const uint8_t *mem;
	unsigned long refused;
};
int prb_sim_read(void *ctx, uint64_t va, void *buf, size_t len);

#endif /* TESTS_UNIT_PRB_SIM_H */
