// SPDX-License-Identifier: GPL-2.0-only
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "shutdown-prep.h"

void shutdown_ifdown(void)
{
	struct if_nameindex *ifs = if_nameindex();
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (ifs && fd >= 0) {
		for (struct if_nameindex *i = ifs; i->if_index; i++) {
			struct ifreq ifr;

			memset(&ifr, 0, sizeof(ifr));
			strncpy(ifr.ifr_name, i->if_name, IFNAMSIZ - 1);
			if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0 || !(ifr.ifr_flags & IFF_UP) ||
			    (ifr.ifr_flags & IFF_LOOPBACK))
				continue;
			ifr.ifr_flags &= ~IFF_UP;
			ioctl(fd, SIOCSIFFLAGS, &ifr);	/* best effort, as kexec-tools */
		}
	}
	if (fd >= 0)
		close(fd);
	if (ifs)
		if_freenameindex(ifs);
}
