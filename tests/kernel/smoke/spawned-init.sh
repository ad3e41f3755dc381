#!/bin/sh
# tests/kernel/smoke/spawned-init.sh - /init of the kernel spawned by
# spawn-test.sh.  Its console is COM2.  It must never reboot: that would
# reset the whole machine, host included.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
echo "MK-SPAWNED-INIT-ALIVE cpus=$(grep -c ^processor /proc/cpuinfo)"
echo "cmdline: $(cat /proc/cmdline)"
grep -i 'system ram\|kernel' /proc/iomem
echo "MK-SPAWNED-DONE"
while :; do sleep 3600; done
