/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Writing one file into /etc/default/grub.d/ (through the sysroot), the
 * only place kexec writes outside /run/kexec-mk: atomically (a complete
 * file or the old one, never half of one), and never over a file kexec did
 * not write (one whose first line is not mark).
 */
#ifndef KEXEC_GRUB_DROPIN_H
#define KEXEC_GRUB_DROPIN_H

#include <stddef.h>

#include "status.h"

#define GRUB_DROPIN_DIR "/etc/default/grub.d"

/*
 * Write text to SYSROOT/etc/default/grub.d/name (mode 0644), creating
 * grub.d when /etc/default exists.  text must begin with mark; an existing
 * file is replaced only when it begins with mark too.  path gets the full
 * path written.  Errors: KX_EGRUB.
 */
int grub_dropin_write(const char *sysroot, const char *name, const char *mark,
		      const char *text, char *path, size_t path_size, struct kx_error *err);

#endif /* KEXEC_GRUB_DROPIN_H */
