#!/bin/sh
# tests/debian-system/guest-setup.sh - run by image.sh inside the new bookworm
# tree (chroot): what makes it the test's machine.  Everything else is Debian's
# own defaults.
set -eu

echo debian-system >/etc/hostname
printf '127.0.1.1\tdebian-system\n' >>/etc/hosts
# The root file system is the whole first virtio disk.
echo '/dev/vda / ext4 errors=remount-ro 0 1' >/etc/fstab
passwd -d root

# The NIC: QEMU's user network, a static address (the test forwards a host
# port to 10.0.2.15:80).
mkdir -p /etc/systemd/network
cat >/etc/systemd/network/10-wired.network <<'NET'
[Match]
Name=e*

[Network]
Address=10.0.2.15/24
Gateway=10.0.2.2
NET
systemctl enable systemd-networkd.service

# kdump-tools on (its debconf answer was set before it was installed).
sed -i 's/^USE_KDUMP=.*/USE_KDUMP=1/' /etc/default/kdump-tools
grep -q '^USE_KDUMP=1' /etc/default/kdump-tools

# The test's payload: a tar archive written raw onto the second virtio disk,
# unpacked and run once the system is up.  Its output goes to ttyS2.
cat >/etc/systemd/system/debian-system-test.service <<'UNIT'
[Unit]
Description=kexec-mk's Debian system test: the run script on /dev/vdb
Wants=dev-vdb.device
After=dev-vdb.device multi-user.target

[Service]
Type=simple
ExecStart=/bin/sh -c 'mkdir -p /run/debian-system-test && tar -xf /dev/vdb -C /run/debian-system-test && exec /bin/sh /run/debian-system-test/run'

[Install]
WantedBy=multi-user.target
UNIT
systemctl enable debian-system-test.service
apt-get clean
rm -rf /var/lib/apt/lists/*
