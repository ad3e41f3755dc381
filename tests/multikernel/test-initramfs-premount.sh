#!/bin/bash
# tests/multikernel/test-initramfs-premount.sh KEXEC_STATIC MK_KERNEL [LABEL]
#
# An instance started from an initramfs, as kexec-multikernel(8) documents:
# the host (the multikernel test kernel, memmap= reservations as in
# test-spawn.sh) runs an initramfs holding what the initramfs-tools hook puts
# there - kexec as /usr/sbin/kexec, boot/kexec-multikernel, one config file
# with stage=initramfs naming a kernel and initrd at their paths - plus
# initramfs-tools' own scripts/functions, and calls
# boot/initramfs-tools/scripts/init-premount/kexec-multikernel the way
# initramfs-tools' init runs init-premount scripts (quiet=n).  Checks:
#   premount-starts-instance   the spawned kernel reaches its /init (COM2)
#   premount-returns           the script returns 0 and the host goes on
#   status-running             'kexec-multikernel status' exits 0, rows of CPU 1
#                              running and booted to init, from kexec's records
#   run-adopts                 'kexec-multikernel run' (what the unit runs after
#                              switch_root) adopts the running kernel instead of
#                              starting it again (which kexec would refuse, 20)
#   stop-keeps-running         'kexec-multikernel stop' says it keeps running, exit 0
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/../qemu/harness.sh"
kexec=$(realpath "$1") kernel=$(realpath "$2") L=${3:-multikernel-initramfs}	# absolute: mkinitramfs copies from its stage directory
work=$(mktemp -d "${TMPDIR:-/tmp}/mk-premount.XXXXXX")
functions=/usr/share/initramfs-tools/scripts/functions

if [ ! -f "$functions" ]; then
	echo "SKIP: $L (no $functions: apt-get install initramfs-tools-core)"
	exit 0
fi
"$here/spawned-initramfs.sh" "$work/initrd-spawned.gz" || { t_fail $L/initramfs; t_exit; }
printf 'cpu=1\nkernel=/boot/vmlinuz-mk\ninitrd=/boot/initrd-mk.gz\nstage=initramfs\n' >"$work/inst.conf"

cat >"$work/init" <<'INIT'
#!/bin/sh
. /lib/guest-lib.sh
guest_setup
mkdir -p /run
mount -t tmpfs tmpfs /run
guest_talk_on 2
# As initramfs-tools' init: its variables, then each init-premount script.
export quiet=n PATH=/usr/sbin:/usr/bin:/sbin:/bin
/scripts/init-premount/kexec-multikernel
echo "PREMOUNT-STATUS $?"
/usr/sbin/kexec-multikernel status inst
echo "STATUS-EXIT $?"
# The unit's main process after switch_root: adopts, then watches.
KEXEC_MULTIKERNEL_WATCH_INTERVAL=1 /usr/sbin/kexec-multikernel run inst &
pid=$!
sleep 4
kill $pid 2>/dev/null && echo "RUN-STILL-WATCHING"
wait $pid
/usr/sbin/kexec-multikernel stop inst
echo "STOP-EXIT $?"
echo "HOST-ALIVE uptime $(cut -d' ' -f1 /proc/uptime)"
read -r line
guest_poweroff
INIT
mkinitramfs "$work/initrd.gz" "$work/init" "$kexec:/usr/sbin/kexec" \
	"$top/boot/kexec-multikernel:/usr/sbin/kexec-multikernel" \
	"$top/boot/initramfs-tools/scripts/init-premount/kexec-multikernel:/scripts/init-premount/kexec-multikernel" \
	"$functions:/scripts/functions" "$work/inst.conf:/etc/kexec-multikernel/inst.conf" \
	"$kernel:/boot/vmlinuz-mk" "$work/initrd-spawned.gz:/boot/initrd-mk.gz" ||
	{ t_fail $L/initramfs; t_exit; }

host=mk-premount
com1() { qemu_wait $host 2 "$1" "${2:-60}"; }	# the host's test channel
com2() { qemu_wait $host 1 "$1" "${2:-60}"; }	# the spawned kernel's console
qemu_start $host "$kernel" "$work/initrd.gz" \
	'console=ttyS0 memmap=0x60000$0x20000 memmap=256M$0x20000000 hpet=disable' 2 1024 3 300

if com2 "SPAWNED-INIT-OK on APIC id 1 " 180; then t_pass $L/premount-starts-instance
else t_fail $L/premount-starts-instance; fi
if com1 "PREMOUNT-STATUS 0" 120 && grep -q "Begin: Starting multikernel instance /etc/kexec-multikernel/inst.conf" "$(qemu_log $host 2)"; then
	t_pass $L/premount-returns
else
	t_fail $L/premount-returns
fi
log=$(qemu_log $host 2)
if com1 "STATUS-EXIT 0" 60 && grep -qE '(^|\] )1 +running ' "$log" && grep -qE '(^|\] )1 +init ' "$log"; then
	t_pass $L/status-running
else
	t_fail $L/status-running
fi
if com1 "RUN-STILL-WATCHING" 60 &&
   grep -q "kexec-multikernel: inst: /boot/vmlinuz-mk already runs on CPU 1" "$log" &&
   [ "$(grep -c 'kexec-multikernel: inst: starting' "$log")" = 1 ]; then
	t_pass $L/run-adopts
else
	t_fail $L/run-adopts
fi
if com1 "STOP-EXIT 0" 30 && grep -q "inst: the kernel on CPU 1 keeps running" "$log" && com1 "HOST-ALIVE" 30; then
	t_pass $L/stop-keeps-running
else
	t_fail $L/stop-keeps-running
fi
qemu_send $host 2 $'go\r'
qemu_wait_exit $host 30 || true
qemu_stop $host
t_exit
