# shellcheck shell=sh
# /lib/guest-lib.sh - helpers for guest /init scripts (busybox sh).
# Added to every image by tests/qemu/mkinitramfs.sh.  Use:  . /lib/guest-lib.sh
#
#   guest_setup        mount proc, sys, devtmpfs; console on ttyS0
#   guest_talk_on N    the init's input and output on ttySN from here on
#   guest_busy_on TAG CPU  a busy loop pinned to CPU, printing where it ran
#   guest_say PORT MSG print MSG on /dev/ttyS<PORT>
#   guest_poweroff     sync and end the guest (reboot -f; qemu runs with
#                      -no-reboot, so that makes qemu exit with status 0)

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

# guest_talk_on N: the init's own input and output on ttySN from here on
# (a port the spawned kernel does not register), after guest_setup.
guest_talk_on()
{
	[ -c "/dev/ttyS$1" ] || mknod "/dev/ttyS$1" c 4 $((64 + $1))
	exec <"/dev/ttyS$1" >"/dev/ttyS$1" 2>&1
}

# guest_busy_on TAG CPU: a busy loop pinned to CPU, in the background; every
# round prints "TAG cpuCPU ran-on N", N the CPU it ran on (/proc/self/stat's
# field 39).  Needs /dev/null (guest_setup): a background job's stdin.
guest_busy_on()
{
	taskset -c "$2" sh -c 'while :; do i=0; while [ $i -lt 3000 ]; do i=$((i + 1)); done
		echo "$0 cpu$1 ran-on $(awk "{print \$39}" /proc/self/stat)"; done' "$1" "$2" &
}

guest_say()
{
	echo "$2" >"/dev/ttyS$1"
}

guest_poweroff()
{
	sync
	# The harness runs qemu with -no-reboot, so a reboot ends qemu with
	# status 0.  poweroff -f is no better: without a power-off method the
	# kernel halts instead and qemu would run into its hard timeout.
	reboot -f
	while :; do sleep 3600; done
}
