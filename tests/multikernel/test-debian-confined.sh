#!/bin/bash
# tests/multikernel/test-debian-confined.sh KEXEC_STATIC MK_KERNEL
#
# A stock Debian 6.12 kernel (tests/lib/debian-kernel.sh) spawned on CPU 1 of
# a host that keeps writing and read-verifying its virtio-blk disk (O_DIRECT,
# a fresh random 64 KiB block per round) across the spawn.  Two host boots:
#
#   confined   the default command line: the spawned kernel reaches /init,
#              sees no PCI device, no i8042 port and no RTC, and the host's
#              disk keeps making progress for 20 s after that, with no error
#              and no mismatch;
#   unguarded  the same, with the user turning PCI back on
#              (--append=pci=conf1) and dropping the virtio_pci guard: the
#              spawned kernel binds the host's disk and resets it, and the
#              host's disk makes no progress for 20 s.  This proves the guard
#              matters; it is the measured harm, not a flake.
#
# Prints the spawned kernel's time to /init and the host disk's rounds.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../qemu/harness.sh"
kexec=$1
host_kernel=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/mk-debian.XXXXXX")
T=multikernel-debian
watch_s=20

if ! debian=$("$here/../lib/debian-kernel.sh" 2>"$work/debian.err"); then
	t_skip "$T/confined" "cannot download linux-image-6.12: $(tail -n1 "$work/debian.err")"
	t_skip "$T/unguarded" "cannot download linux-image-6.12"
	exit 0
fi

# The spawned kernel's /init: what it found, then idle (never reboot: that
# would reset the machine the host runs on).
cat >"$work/spawned-init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
n=$(ls /sys/bus/pci/devices 2>/dev/null | wc -l)
echo "SPAWNED-PCI-DEVICES $n"
echo "SPAWNED-SERIO $(ls /sys/bus/serio/devices 2>/dev/null | tr '\n' ' ')."
echo "SPAWNED-RTC $(ls /sys/class/rtc 2>/dev/null | tr '\n' ' ')."
echo "SPAWNED-DEBIAN-INIT-OK cmdline: $(cat /proc/cmdline)"
while :; do sleep 3600; done
INIT
mkinitramfs "$work/initrd-spawned.gz" "$work/spawned-init" || { t_fail "$T/initramfs"; t_exit; }

# The host talks on ttyS2: the spawned kernel registers ttyS0 and ttyS1 only.
cat >"$work/init" <<'INIT'
#!/bin/sh
. /lib/guest-lib.sh
guest_setup
[ -c /dev/ttyS2 ] || mknod /dev/ttyS2 c 4 66
exec </dev/ttyS2 >/dev/ttyS2 2>&1
# One round: a fresh random block to one of 64 slots, written and read back
# around the page cache, compared.  A reset disk makes dd block for good.
disk_loop() {
	n=0
	while :; do
		n=$((n + 1))
		slot=$((n % 64))
		dd if=/dev/urandom of=/tmp/w bs=64k count=1 2>/dev/null
		if ! dd if=/tmp/w of=/dev/vda bs=64k seek=$slot oflag=direct conv=notrunc 2>/dev/null; then
			echo "DISK-ERROR write round $n"; continue
		fi
		if ! dd if=/dev/vda of=/tmp/r bs=64k skip=$slot count=1 iflag=direct 2>/dev/null; then
			echo "DISK-ERROR read round $n"; continue
		fi
		cmp -s /tmp/w /tmp/r || echo "DISK-MISMATCH round $n"
		echo "DISK-ROUND $n"
	done
}
[ -b /dev/vda ] && echo "HOST-HAS-DISK" || echo "HOST-NO-DISK"
echo "WAITING spawn"
read -r extra
disk_loop &
sleep 3
echo "KICK-REQUESTED"
# $extra: the case's options, split on purpose.  The default --start-wait:
# purgatory hashing the 12 MB kernel for seconds under TCG reports progress.
/sbin/kexec --multikernel --cpu=1 --offline-cpu /vmlinuz --initrd=/initrd-spawned.gz $extra
echo "kexec status $?"
while :; do sleep 3600; done
INIT
mkinitramfs "$work/initrd.gz" "$work/init" "$kexec:/sbin/kexec" "$debian:/vmlinuz" \
	"$work/initrd-spawned.gz:/initrd-spawned.gz" || { t_fail "$T/initramfs"; t_exit; }
truncate -s 16M "$work/disk.img"

# Seconds since qemu_start at which MARKER first appeared on ttyS<PORT>.
stamp() { grep -aF -- "$3" "$(qemu_log "$1" "$2")" | head -n1 | sed 's/^\[ *\([0-9.]*\)\].*/\1/'; }
rounds() { grep -acF 'DISK-ROUND' "$QEMU_LOGDIR/$1.ttyS2.raw"; }

# run_case NAME EXTRA: boot, spawn, watch.  Sets init_s, during, after, bad.
run_case() {
	local g=$1 extra=$2 at_kick at_init
	init_s='' during='' after='' bad=''
	t_begin
	qemu_start "$g" "$host_kernel" "$work/initrd.gz" \
		'console=ttyS0 memmap=0x60000$0x20000 memmap=256M$0x20000000 hpet=disable' \
		2 1024 3 300 \
		-drive "file=$work/disk.img,format=raw,if=none,id=disk0,cache=none" \
		-device virtio-blk-pci,drive=disk0
	if ! qemu_wait "$g" 2 "WAITING spawn" 120 || ! qemu_wait "$g" 2 "HOST-HAS-DISK" 1; then
		t_fail "$T/$g-host-boot"
		qemu_stop "$g"
		return 1
	fi
	qemu_send "$g" 2 "$extra"$'\r'
	if ! qemu_wait "$g" 2 "kexec status 0" 150; then
		t_fail "$T/$g-kexec-loads-and-starts"
		qemu_stop "$g"
		return 1
	fi
	at_kick=$(rounds "$g")
	if ! qemu_wait "$g" 1 "SPAWNED-DEBIAN-INIT-OK" 240; then
		t_fail "$T/$g-spawned-reaches-init"
		qemu_stop "$g"
		return 1
	fi
	at_init=$(rounds "$g")
	sleep "$watch_s"
	# (The timestamped logs trail the raw ones by a line; read them after the watch.)
	init_s=$(echo "$(stamp "$g" 1 SPAWNED-DEBIAN-INIT-OK) - $(stamp "$g" 2 KICK-REQUESTED)" | bc)
	after=$(($(rounds "$g") - at_init))
	during=$((at_init - at_kick))
	bad=$(grep -aE 'DISK-(ERROR|MISMATCH)' "$QEMU_LOGDIR/$g.ttyS2.raw" | head -n3)
	return 0
}

spawned_has() { grep -aqF -- "$2" "$QEMU_LOGDIR/$1.ttyS1.raw"; }
# The same outside the lines that echo the command line (which names i8042_init).
spawned_logs() { grep -aF -- "$2" "$QEMU_LOGDIR/$1.ttyS1.raw" | grep -qv 'ommand line\|cmdline:'; }

# --- confined: the default command line ---
if run_case confined ""; then
	g=confined
	printf '%s: spawned Debian kernel reached /init %s s after the kick; host disk rounds: %s during the spawn, %s in the %s s after /init\n' \
		"$T" "$init_s" "$during" "$after" "$watch_s"
	if ((after >= 10)) && [[ -z $bad ]]; then
		t_pass "$T/confined-host-disk-keeps-going"
	else
		echo "$T: $after rounds in ${watch_s} s after /init; errors: ${bad:-none}"
		t_fail "$T/confined-host-disk-keeps-going"
	fi
	# What the spawned kernel itself found, and what its boot log says.
	if spawned_has $g "SPAWNED-PCI-DEVICES 0" && spawned_has $g "PCI: System does not support PCI" &&
	   ! grep -aq '^pci 0000:\|\] pci 0000:' "$QEMU_LOGDIR/$g.ttyS1.raw"; then
		t_pass "$T/confined-no-pci-device"
	else
		t_fail "$T/confined-no-pci-device"
	fi
	if spawned_has $g "SPAWNED-SERIO ." && ! spawned_logs $g "i8042"; then
		t_pass "$T/confined-no-i8042"
	else
		t_fail "$T/confined-no-i8042"
	fi
	# (arch/x86 still registers the rtc_cmos platform device, which touches
	# nothing; the driver that would program the RTC never runs.)
	if spawned_has $g "SPAWNED-RTC ." && ! spawned_logs $g "registered as rtc" &&
	   ! spawned_logs $g "setting system clock"; then
		t_pass "$T/confined-no-rtc"
	else
		t_fail "$T/confined-no-rtc"
	fi
	qemu_stop $g
fi

# --- unguarded: the user hands PCI back; the host's disk is taken ---
if run_case unguarded "--no-default-param=initcall_blacklist=virtio_pci_driver_init --append=pci=conf1"; then
	g=unguarded
	printf '%s: unguarded spawn reached /init %s s after the kick; host disk rounds: %s during the spawn, %s in the %s s after /init\n' \
		"$T" "$init_s" "$during" "$after" "$watch_s"
	if ! spawned_has $g "SPAWNED-PCI-DEVICES 0" && ((after <= 1)); then
		t_pass "$T/unguarded-host-disk-stalls"
	else
		echo "$T: the spawned kernel with PCI on left the host's disk going ($after rounds in ${watch_s} s)"
		t_fail "$T/unguarded-host-disk-stalls"
	fi
	qemu_stop $g
fi
t_exit
