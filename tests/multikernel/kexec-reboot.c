// SPDX-License-Identifier: GPL-2.0-only
/*
 * kexec-reboot: what systemd's last step does with a loaded kexec image,
 * reboot(LINUX_REBOOT_CMD_KEXEC), and nothing before it (no sync, no
 * shutdown).  Prints "REBOOT-KEXEC <errno name>" when the kernel returns:
 * EINVAL means it had no image in kexec_image.  If it does not return, the
 * kernel booted (or crashed on) what was loaded, and the test's host dies.
 */
#include <errno.h>
#include <linux/reboot.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	long ret = syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
			   LINUX_REBOOT_CMD_KEXEC, NULL);

	printf("REBOOT-KEXEC %s\n", ret == 0 ? "0" : errno == EINVAL ? "EINVAL" :
	       strerror(errno));
	return ret == 0 ? 0 : 1;
}
