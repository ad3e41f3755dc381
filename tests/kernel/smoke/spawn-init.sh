#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# tests/kernel/smoke/spawn-init.sh - /init of the spawn-test host guest.
#
# Loads the test kernel itself (/spawn/bzImage, with /spawn/initrd.cpio.gz)
# as a multikernel image into memmap=256M$0x20000000 and starts it on CPU 1,
# then keeps printing a heartbeat so spawn-test.sh can see the host survive.
# shellcheck source=../../qemu/guest-lib.sh
. /lib/guest-lib.sh
# shellcheck source=mk-checks.sh
. /lib/mk-checks.sh
guest_setup
dmesg -n 1

# The spawned kernel: console on COM2, one CPU, hands off the host's
# interrupt routing (no ACPI, no IO-APIC), only two legacy UARTs.
SPAWN_CMDLINE="console=ttyS1,115200 earlyprintk=serial,ttyS1,115200 acpi=off noapic nosmp 8250.nr_uarts=2 panic=-1 rdinit=/init"
# mk-smoke is not our loader, so none of kexec's default confinement words
# (kexec/arch/x86_64/multikernel-cmdline.c) are added for it: give the ones
# that apply to the test kernel (.config: SERIO_I8042, PCI and VIRTIO_PCI
# built in; no RTC_DRV_CMOS, no RANDOMIZE_BASE).  Without i8042's, the
# spawned kernel probes the host's keyboard controller and froze there in
# 2 of 5 runs; tsc=nowatchdog keeps its TSC when the busy TCG host holds
# its CPU up and jiffies lag; PCI enumeration would reprogram the host's
# devices.
SPAWN_CMDLINE="$SPAWN_CMDLINE pci=off initcall_blacklist=virtio_pci_driver_init initcall_blacklist=i8042_init tsc=nowatchdog"
# Hand over the host's TSC frequency and loop calibration: under a busy TCG
# host the spawned kernel's own PIT calibration can fail, and it then waits
# for timer ticks that never reach its CPU (noapic, no ACPI).
tsc_khz=$(dmesg | sed -n 's/.*tsc: Detected \([0-9]*\)\.\([0-9][0-9][0-9]\) MHz.*/\1\2/p' | head -n 1)
lpj=$(dmesg | sed -n 's/.*(lpj=\([0-9]*\)).*/\1/p' | head -n 1)
[ -n "$tsc_khz" ] && SPAWN_CMDLINE="$SPAWN_CMDLINE tsc_early_khz=$tsc_khz"
[ -n "$lpj" ] && SPAWN_CMDLINE="$SPAWN_CMDLINE lpj=$lpj"

echo "MK-SPAWN-START"
check cpu1-offline cpu1_offline
check load-linux mk-smoke load-linux /spawn/bzImage /spawn/initrd.cpio.gz \
	"$SPAWN_CMDLINE" 0x20000000 0x10000000 0
check proc-one-image proc_is 'multikernel  0x000020000000         5'
check kick-cpu1 mk-smoke kick 1 0
i=0
while [ $i -lt 120 ]; do
	echo "MK-HOST-HEARTBEAT $i"
	i=$((i + 1))
	sleep 1
done
guest_poweroff
