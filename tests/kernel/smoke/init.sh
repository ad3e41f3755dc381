#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# tests/kernel/smoke/init.sh - /init of the multikernel smoke-test guest.
#
# Runs each step and prints "MK-CHECK <name> ok" or "MK-CHECK <name> FAIL"
# (followed by the step's output) on the console, ttyS0.  smoke-test.sh
# turns those into PASS/FAIL lines.  The payload prints on ttyS1 itself.
# shellcheck source=../../qemu/guest-lib.sh
. /lib/guest-lib.sh
# shellcheck source=mk-checks.sh
. /lib/mk-checks.sh
guest_setup
# Keep kernel messages off the console while we print markers; the log is
# dumped at the end instead.
dmesg -n 1

BASE=0x20000000		# start of memmap=256M$0x20000000
MAGIC=0x4556494c412d4b4d	# "MK-ALIVE", written by the payload at BASE+8

reserved()
{
	grep -i '20000000-2fffffff : Reserved' /proc/iomem
}

echo "MK-SMOKE-START"
check memmap-reserved reserved
check cpu1-offline cpu1_offline
check proc-empty proc_is 'No kimages loaded'
check kick-nothing-loaded mk-smoke kick 1 EINVAL
check load mk-smoke load $BASE /payload.bin $BASE 0x10000 0
check proc-one-image proc_is 'multikernel  0x000020000000         1'
check kick-online-cpu mk-smoke kick 0 EBUSY
check kick-no-such-cpu mk-smoke kick 7 EINVAL
check kick-bad-pointer mk-smoke kick-badptr EFAULT
# If EFAULT had leaked system_transition_mutex this would hang (timeout).
check kick-after-efault mk-smoke kick 0 EBUSY
check kick-cpu1 mk-smoke kick 1 0
if mk-smoke wait $((BASE + 8)) $MAGIC 20000 >/tmp/wait 2>&1; then
	echo "MK-HOST-SAW-PAYLOAD"
	echo "MK-CHECK payload-magic ok"
else
	echo "MK-CHECK payload-magic FAIL"
fi
sed 's/^/    /' /tmp/wait
check entry-state mk-smoke state $BASE
check unload mk-smoke unload 0
check proc-empty-after-unload proc_is 'No kimages loaded'
check unload-again mk-smoke unload 0

echo "---- dmesg ----"
dmesg | tail -n 40
echo "MK-SMOKE-DONE"
guest_poweroff
