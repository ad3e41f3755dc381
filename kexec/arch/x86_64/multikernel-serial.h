/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host's serial ports across a multikernel start: which of them the
 * new kernel's 8250 driver resets, and re-arming the host's open ones
 * afterwards (multikernel-serial.c says why and how).
 */
#ifndef KEXEC_MULTIKERNEL_SERIAL_H
#define KEXEC_MULTIKERNEL_SERIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host-facts.h"
#include "legacy-uart.h"
#include "mk-instance.h"
#include "status.h"

/* When the re-arms happen, in ms after the start; the last bounds the wait. */
#define MK_REARM_STEPS 8
extern const unsigned int mk_rearm_at_ms[MK_REARM_STEPS];

struct mk_serial_rearm {
	unsigned int nr_uarts;		/* the ports its 8250 driver sets up, from ttyS0 */
	unsigned int nr;
	struct host_serial port[LEGACY_UARTS];
	bool open[LEGACY_UARTS];	/* the host has it open (mk_serial_rearm_open) */
	bool warned[LEGACY_UARTS];	/* a re-arm failed, and said so */
};

/*
 * The host's ports the new kernel's 8250 driver will reset (pure): the
 * legacy ports below its 8250.nr_uarts (the last such word of cmdline, or
 * the driver's default of 4), except own_port, its own.
 */
void mk_serial_rearm_plan(const struct host_serial_ports *ports, const char *cmdline,
			  uint16_t own_port, struct mk_serial_rearm *out);

/* "ttyS0 (0x3f8)" list for -d and --dry-run; "none" when empty. */
void mk_serial_rearm_describe(const struct mk_serial_rearm *r, char *out, size_t size);

/*
 * After the start: re-arm, at each of mk_rearm_at_ms, every planned port
 * the host has open.  Returns at once when none is open.  Never fails the
 * start; problems go to stderr as notes.
 */
void mk_serial_rearm_run(struct mk_serial_rearm *r, const struct host_facts *hf);

/* Which planned ports the host has open (r->open); how many. */
unsigned int mk_serial_rearm_open(struct mk_serial_rearm *r, const struct host_facts *hf);
/* Re-arm the open ones once, now; a failure is a note on stderr, once per port. */
void mk_serial_rearm_once(struct mk_serial_rearm *r);
/*
 * Why the start need not wait to re-arm anything (pure, after
 * mk_serial_rearm_open): 1 with the reason in out, for the one line the
 * start prints; 0 when an open port of the host's is to be re-armed.
 */
int mk_serial_rearm_none_why(const struct mk_serial_rearm *r, char *out, size_t size);
/* "ttyS0 ttyS2": the open ones. */
void mk_serial_rearm_names(const struct mk_serial_rearm *r, char *out, size_t size);

/*
 * The legacy port a spawned kernel prints on (pure): its last console=
 * word when that names ttyS0..ttyS3, else 0.
 */
uint16_t mk_serial_console_of(const char *cmdline);

/*
 * Does a kernel given cmdline reset the legacy port io (pure)?  Its 8250
 * driver registers, and so resets, ttyS0 up to its 8250.nr_uarts.
 */
bool mk_serial_resets(const char *cmdline, uint16_t io);

/*
 * Refuse (KX_ESERIAL) a kernel given cmdline whose console is not the one
 * a running (or possibly running) instance prints on, when its 8250
 * driver would reset their port, or when one of the two has acpi=off and
 * they would fight over the 8259's serial interrupts (the reasons are in
 * multikernel-serial.c).  Sharing one port is let through (doc/kexec.8).
 */
int mk_serial_check_neighbours(const struct mk_registry *reg, const char *cmdline,
			       struct kx_error *err);

#endif /* KEXEC_MULTIKERNEL_SERIAL_H */
