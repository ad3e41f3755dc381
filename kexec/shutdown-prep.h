/* SPDX-License-Identifier: GPL-2.0-only */
/* What kexec -e does to the running system just before it reboots into the new kernel. */
#ifndef KEXEC_SHUTDOWN_PREP_H
#define KEXEC_SHUTDOWN_PREP_H

/* Bring every network interface down, so no device DMAs into the new kernel. */
void shutdown_ifdown(void);

#endif /* KEXEC_SHUTDOWN_PREP_H */
