// SPDX-License-Identifier: GPL-2.0-only
/*
 * Keeping the host's serial ports alive when a new kernel starts.
 *
 * What Linux 6.12's 8250 driver does (Debian's linux-source-6.12,
 * drivers/tty/serial/8250/): at init it sets up the legacy ISA ports
 * 0x3f8, 0x2f8, 0x3e8, 0x2e8 as ttyS0..ttyS3, the first 8250.nr_uarts of
 * them (8250_platform.c, __serial8250_isa_init_ports), and registers
 * each (serial8250_register_ports).  Registering probes the port
 * (8250_port.c, autoconfig): it clears the FIFOs and leaves IER at 0;
 * serial_core.c's uart_configure_port then writes MCR with only DTR kept,
 * so OUT2, which gates the interrupt line on PC UARTs, is cleared too.
 * A host tty on such a port receives no more interrupts: input and
 * output stop.
 *
 * Why the new kernel cannot be told to leave the host's ports alone:
 * nr_uarts counts from ttyS0, so its own ttyS1 means registering ttyS0;
 * console=uart,io,ADDR (univ8250_console_match) only matches ports
 * already set up from index 0; a console index past nr_uarts gets a port
 * with no address (univ8250_console_setup); and 8250.nr_uarts=0 with an
 * earlycon keeps the host's ports safe but leaves the new kernel without
 * a tty for its /dev/console.  So the host repairs its ports.
 *
 * The repair: the host's driver writes IER, MCR (with OUT2), LCR, the
 * divisor and FCR from its own cached state whenever an open port's
 * termios changes (serial8250_do_set_termios), so flipping one input flag
 * (IGNPAR) and flipping it back re-arms the port, exactly as stty does.
 * Only ports the host has open need it: a later open programs the port
 * afresh.  TCSANOW, not TCSADRAIN: a dead port never drains.
 *
 * When: the UART's registers cannot be watched (that needs /dev/port or
 * ioperm, which many kernels, and the test kernel, do not offer), but a
 * Linux kernel's own log says when its 8250 driver has registered its
 * ports (multikernel-boot.c, boot-signs.c): re-armed once, right then.
 * Where that log cannot be read, it re-arms at fixed times after the
 * start, spread over the first 10 s, which covers a Linux booting to its
 * device initcalls; characters that arrive in between wait in the UART's
 * FIFO (16 bytes) and are read at the next re-arm.  A kernel that probes
 * later (8250 as a module) needs the same flip by hand; kexec(8) gives
 * the stty command.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cmdline-params.h"
#include "multikernel-serial.h"

const unsigned int mk_rearm_at_ms[MK_REARM_STEPS] = { 250, 500, 1000, 2000, 3000, 5000,
						      7500, 10000 };

/* CONFIG_SERIAL_8250_RUNTIME_UARTS of Debian's kernels and of the test kernel. */
#define MK_DEFAULT_NR_UARTS 4

static unsigned int nr_uarts(const char *cmdline)
{
	char v[16];

	/* 8250_core. is the module's newer name; both set the same variable. */
	if (cmdline_last_value(cmdline, "8250.nr_uarts", v, sizeof(v)) ||
	    cmdline_last_value(cmdline, "8250_core.nr_uarts", v, sizeof(v)))
		return (unsigned int)strtoul(v, NULL, 0);
	return MK_DEFAULT_NR_UARTS;
}

uint16_t mk_serial_console_of(const char *cmdline)
{
	char v[32];

	if (!cmdline_last_value(cmdline, "console", v, sizeof(v)) || strncmp(v, "ttyS", 4) ||
	    v[4] < '0' || v[4] >= '0' + LEGACY_UARTS || (v[5] && v[5] != ','))
		return 0;
	return legacy_uart_io[v[4] - '0'];
}

bool mk_serial_resets(const char *cmdline, uint16_t io)
{
	unsigned int n = nr_uarts(cmdline);

	for (unsigned int i = 0; i < n && i < LEGACY_UARTS; i++)
		if (legacy_uart_io[i] == io)
			return true;
	return false;
}

/* "ttyS2", or what a kernel without a legacy console prints on. */
static const char *port_name(uint16_t io, char *out, size_t size)
{
	int k = legacy_uart_index(io);

	if (io && k >= 0)
		snprintf(out, size, "ttyS%d", k);
	else
		snprintf(out, size, "no legacy serial port");
	return out;
}

/*
 * Does a kernel given cmdline take the 8259's interrupts?  With acpi=off
 * (a bzImage too old for tables of its own, or the user's word): yes.  On
 * its own tables (acpi-tables.h), hardware-reduced ACPI leaves it no 8259
 * and its console is polled (measured: A on ttyS2 and B on ttyS1, 14 and
 * 13 lines in 30 s, the host 13; in a second run 14, 14, 14).  A kernel built without ACPI ignores
 * the tables and takes the 8259 all the same; kexec cannot see that from
 * outside (doc/kexec.8).
 */
static bool on_the_pic(const char *cmdline)
{
	char v[16];

	return cmdline_last_value(cmdline, "acpi", v, sizeof(v)) && strcmp(v, "off") == 0;
}

/*
 * Two reasons a new kernel's console must be the one every running
 * instance prints on (the second only where one of them has acpi=off).
 *
 * The reset: why not re-arm the other instance's port as the host's are:
 * the host re-arms through its own driver's cached state (a termios flip),
 * and the other instance's port is driven by that instance's kernel, whose
 * cached IER and MCR only it knows; writing the UART's registers from here
 * would guess at them, and needs /dev/port.  Seen in QEMU (issue 17): an
 * instance on ttyS1 stops printing on it for good once a second kernel
 * starts on ttyS2 or ttyS3.
 *
 * The interrupt controller, whichever port comes first: with acpi=off and
 * noapic a spawned kernel takes the 8259 PIC's interrupts on its CPU (its local
 * APIC's LINT0 in ExtINT mode), and the PIC hands each interrupt to the
 * one CPU that acknowledges it first.  A Linux kernel given an interrupt
 * it has no handler for masks that line in the PIC and never unmasks it
 * (handle_level_irq with no action), so each instance's serial line is
 * masked for both the first time the other kernel wins it.  Measured in
 * QEMU (tests/multikernel/test-serial-ports.sh): A on ttyS2 (IRQ4) and B on
 * ttyS1 (IRQ3) kept printing for 30 s in 1 of 4 runs; in the others B's
 * tty, A's, or both stopped within 12 s.  On one shared port both kernels
 * handle the same line, which no one masks.
 */
int mk_serial_check_neighbours(const struct mk_registry *reg, const char *cmdline,
			       struct kx_error *err)
{
	uint16_t mine = mk_serial_console_of(cmdline);

	for (size_t i = 0; i < reg->nr; i++) {
		const struct mk_instance *in = &reg->inst[i];
		uint16_t theirs = mk_serial_console_of(in->cmdline);
		char what[PATH_MAX + 96], a[32], b[32];

		if (in->cpu < 0 || !mk_instance_holds(in) || theirs == mine)
			continue;
		mk_instance_describe(in, what, sizeof(what));
		port_name(theirs, a, sizeof(a));
		if (theirs && mk_serial_resets(cmdline, theirs))
			return kx_fail(err, KX_ESERIAL, "the new kernel's 8250 driver would reset "
				       "%s, the console of %s, which would then stay silent (it "
				       "registers and resets every legacy port up to its own, and "
				       "only the host's own ports can be re-armed); give it the same "
				       "port (--serial=%s)", a, what, a);
		if (!on_the_pic(cmdline) && !on_the_pic(in->cmdline))
			continue;
		return kx_fail(err, KX_ESERIAL, "%s prints on %s and the new kernel would print on "
			       "%s, one of them with acpi=off: both would take their serial "
			       "interrupts from the one 8259 interrupt controller, which hands "
			       "each to whichever CPU answers first, and a kernel handed a line "
			       "it does not drive masks it for both, so their consoles stop; give "
			       "it the same console%s%s%s, or both their own ACPI tables (no "
			       "acpi=off)", what, a, port_name(mine, b, sizeof(b)),
			       theirs ? " (--serial=" : "", theirs ? a : "", theirs ? ")" : "");
	}
	return 0;
}

void mk_serial_rearm_plan(const struct host_serial_ports *ports, const char *cmdline,
			  uint16_t own_port, struct mk_serial_rearm *out)
{
	unsigned int n = nr_uarts(cmdline);

	memset(out, 0, sizeof(*out));
	out->nr_uarts = n;
	for (unsigned int i = 0; i < n && i < LEGACY_UARTS; i++) {
		if (legacy_uart_io[i] == own_port)
			continue;
		for (unsigned int j = 0; j < ports->nr; j++)
			if (ports->port[j].io_port == legacy_uart_io[i])
				out->port[out->nr++] = ports->port[j];
	}
}

void mk_serial_rearm_describe(const struct mk_serial_rearm *r, char *out, size_t size)
{
	size_t len = 0;

	snprintf(out, size, "none");
	for (unsigned int i = 0; i < r->nr && len < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s (0x%x)", i ? ", " : "",
					r->port[i].name, r->port[i].io_port);
}

/* Flip IGNPAR and back: two termios changes, each rewriting the port from the host's state. */
static int rearm_one(const struct host_serial *p)
{
	char path[64];
	struct termios t, flipped;
	int fd, ret = 0;

	snprintf(path, sizeof(path), "/dev/%s", p->name);
	/* O_NONBLOCK: no wait for carrier; the port is open already, so no startup either. */
	fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (tcgetattr(fd, &t) == 0) {
		flipped = t;
		flipped.c_iflag ^= IGNPAR;
		if (tcsetattr(fd, TCSANOW, &flipped) || tcsetattr(fd, TCSANOW, &t))
			ret = -1;
	} else {
		ret = -1;
	}
	if (ret) {
		int e = errno;

		/* Never leave the flag flipped. */
		tcsetattr(fd, TCSANOW, &t);
		errno = e;
	}
	close(fd);
	return ret;
}

static void sleep_until_ms(const struct timespec *t0, unsigned int ms)
{
	struct timespec at = *t0;

	at.tv_sec += ms / 1000;
	at.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (at.tv_nsec >= 1000000000L) {
		at.tv_sec++;
		at.tv_nsec -= 1000000000L;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) == EINTR)
		;
}

unsigned int mk_serial_rearm_open(struct mk_serial_rearm *r, const struct host_facts *hf)
{
	unsigned int nr_open = 0;

	for (unsigned int i = 0; i < r->nr; i++) {
		r->open[i] = host_serial_in_use(hf, &r->port[i]);
		nr_open += r->open[i];
	}
	return nr_open;
}

void mk_serial_rearm_once(struct mk_serial_rearm *r)
{
	for (unsigned int i = 0; i < r->nr; i++) {
		if (!r->open[i] || r->warned[i] || rearm_one(&r->port[i]) == 0)
			continue;
		fprintf(stderr, "kexec: note: cannot re-arm %s: %s; if it stops answering, "
			"run 'stty -F /dev/%s ignpar; stty -F /dev/%s -ignpar'\n",
			r->port[i].name, strerror(errno), r->port[i].name, r->port[i].name);
		r->warned[i] = true;
	}
}

void mk_serial_rearm_names(const struct mk_serial_rearm *r, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (unsigned int i = 0; i < r->nr && len < size; i++)
		if (r->open[i])
			len += (size_t)snprintf(out + len, size - len, "%s%s", len ? " " : "",
						r->port[i].name);
}

void mk_serial_rearm_run(struct mk_serial_rearm *r, const struct host_facts *hf)
{
	unsigned int nr_open = mk_serial_rearm_open(r, hf);
	struct timespec t0;

	if (nr_open == 0)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* Say why the command takes this long. */
	printf("multikernel: re-arming");
	for (unsigned int i = 0; i < r->nr; i++)
		if (r->open[i])
			printf(" %s", r->port[i].name);
	printf(" for %u s: the new kernel's serial driver resets %s\n",
	       mk_rearm_at_ms[MK_REARM_STEPS - 1] / 1000, nr_open > 1 ? "them" : "it");
	fflush(stdout);
	for (unsigned int s = 0; s < MK_REARM_STEPS; s++) {
		sleep_until_ms(&t0, mk_rearm_at_ms[s]);
		mk_serial_rearm_once(r);
	}
}

int mk_serial_rearm_none_why(const struct mk_serial_rearm *r, char *out, size_t size)
{
	char planned[128];

	for (unsigned int i = 0; i < r->nr; i++)
		if (r->open[i])
			return 0;
	if (r->nr_uarts == 0) {
		snprintf(out, size, "its command line gives its 8250 driver no port "
			 "(8250.nr_uarts=0), so it resets none of the host's");
	} else if (r->nr == 0) {
		unsigned int last = (r->nr_uarts < LEGACY_UARTS ? r->nr_uarts : LEGACY_UARTS) - 1;

		snprintf(planned, sizeof(planned), last ? "ttyS0 to ttyS%u" : "ttyS0", last);
		snprintf(out, size, "its 8250 driver resets %s, and the host has none of them "
			 "(the new kernel's own console port aside)", planned);
	} else {
		mk_serial_rearm_describe(r, planned, sizeof(planned));
		snprintf(out, size, "the host's ports its 8250 driver resets, %s, are not open "
			 "(an open sets a port up afresh)", planned);
	}
	return 1;
}
