/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * After purgatory's jump: the new kernel's init run, or its panic, read
 * from its own log (multikernel-boot.c).
 */
#ifndef KEXEC_MULTIKERNEL_BOOT_H
#define KEXEC_MULTIKERNEL_BOOT_H

#include <stdbool.h>

#include "host-facts.h"
#include "mk-instance.h"
#include "multikernel-serial.h"
#include "options.h"
#include "status.h"

/* Is the image at path a Linux kernel whose log a start waits for? */
bool mk_image_is_linux(const char *path);

/*
 * After purgatory jumped to a Linux kernel, watch its log: re-arm the
 * host's open ports in rearm (may be NULL) right after its 8250 driver
 * registered its ports (the fixed schedule while the log cannot be read),
 * and wait up to --boot-wait from t0 (the kick) for its init run (0, one
 * line) or a panic (KX_EPANIC, its lines printed).  A log that cannot be
 * read is a note, and 0.
 */
int mk_boot_wait(const struct kexec_options *o, const struct host_facts *hf,
		 const struct mk_instance *in, struct mk_serial_rearm *rearm, double t0,
		 struct kx_error *err);

#endif /* KEXEC_MULTIKERNEL_BOOT_H */
