# shellcheck shell=sh
# /lib/guest-lib.sh - helpers for guest /init scripts (busybox sh).
# Added to every image by tests/qemu/mkinitramfs.sh.  Use:  . /lib/guest-lib.sh
#
#   guest_setup        mount proc, sys, devtmpfs; console on ttyS0
#   guest_say PORT MSG print MSG on /dev/ttyS<PORT>
#   guest_poweroff     sync and power off (the harness runs qemu with
#                      -no-reboot, so reboot -f also ends the guest)

guest_setup()
{
	mount -t proc proc /proc 2>/dev/null
	mount -t sysfs sysfs /sys 2>/dev/null
	mount -t devtmpfs devtmpfs /dev 2>/dev/null
	[ -c /dev/null ] || mknod /dev/null c 1 3
	[ -c /dev/ttyS0 ] || mknod /dev/ttyS0 c 4 64
	[ -c /dev/ttyS1 ] || mknod /dev/ttyS1 c 4 65
	[ -c /dev/mem ] || mknod /dev/mem c 1 1
}

guest_say()
{
	echo "$2" >"/dev/ttyS$1"
}

guest_poweroff()
{
	sync
	# A tiny kernel may lack ACPI power-off; -no-reboot turns a reboot
	# into a qemu exit, so fall back to that.
	poweroff -f 2>/dev/null
	reboot -f 2>/dev/null
	# Still here: stop the guest from panicking with "init exited".
	while :; do sleep 3600; done
}
