# shellcheck shell=sh
# /lib/mk-checks.sh - step helpers for the tests/kernel guests' /init scripts.
#
#   check NAME CMD...   run CMD; print "MK-CHECK NAME ok" or "MK-CHECK NAME FAIL"
#                       on the console, then CMD's output indented
#   proc_is LINE        /proc/multikernel is the two header lines plus LINE
#   cpu1_offline        take CPU 1 offline and confirm it

PROC_HEAD='Type        Start Address   Segments
----------  --------------  --------'

check()
{
	name=$1
	shift
	if "$@" >/tmp/out 2>&1; then
		echo "MK-CHECK $name ok"
	else
		echo "MK-CHECK $name FAIL"
	fi
	sed 's/^/    /' /tmp/out
}

proc_is()
{
	printf '%s\n%s\n' "$PROC_HEAD" "$1" >/tmp/want
	cat /proc/multikernel >/tmp/got
	cat /tmp/got
	cmp -s /tmp/want /tmp/got
}

cpu1_offline()
{
	echo 0 >/sys/devices/system/cpu/cpu1/online || return 1
	echo "cpu1/online: $(cat /sys/devices/system/cpu/cpu1/online)"
	[ "$(cat /sys/devices/system/cpu/cpu1/online)" = 0 ]
}

