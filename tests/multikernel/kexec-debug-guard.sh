#!/bin/bash
# tests/multikernel/kexec-debug-guard.sh KEXEC_STATIC DEBUG_KERNEL [LABEL]
#
# The loader on a host kernel that reads kexec_load's flag 0x10 as an
# ordinary load's debug flag (tests/kernel/build.sh --variant=kexec-debug:
# pristine 6.12 with 0x10 added to the legal flags as KEXEC_DEBUG, which only
# logs a line; nothing multikernel).  Such a kernel takes a multikernel load
# as an ordinary image that 'kexec -e' or systemd's reboot would boot in place
# of the host.  One host boot; the test talks to it on ttyS2:
#   - 'kexec --multikernel --cpu=1' and 'kexec -l --multikernel' are refused
#     (exit 12, naming KEXEC_DEBUG) after the kernel logged the ordinary load
#     ("kexec: debug: image loaded"), and each time the image is really gone:
#     kexec_loaded reads 0;
#   - 'kexec -e' then has nothing to boot (exit 10), reboot(LINUX_REBOOT_CMD_KEXEC)
#     answers EINVAL, nothing ran on CPU 1 (COM2 silent) and the host lives.
# If kexec_loaded reads 1 the guest stops there: booting the image would end
# the test's host.  The mutant guard-debug-image-not-unloaded (tests/mutation)
# skips the unload and this test fails.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../qemu/harness.sh"
kexec=$1 kernel=$2 L=${3:-multikernel-kexec-debug}
work=$(mktemp -d "${TMPDIR:-/tmp}/mk-kdebug.XXXXXX")

"$here/spawned-initramfs.sh" "$work/initrd-spawned.gz" || { t_fail $L/initramfs; t_exit; }
gcc -static -O2 -Wall -Wextra -Werror "$here/kexec-reboot.c" -o "$work/kexec-reboot" ||
	{ t_fail $L/kexec-reboot-build; t_exit; }

cat >"$work/init" <<'INIT'
#!/bin/sh
. /lib/guest-lib.sh
guest_setup
guest_talk_on 2
k() { t=$1; shift; echo "+ kexec $*"; /sbin/kexec "$@"; echo "$t status $?;"; }
loaded() { v=$(cat /sys/kernel/kexec_loaded); echo "$1-KEXEC-LOADED $v"; [ "$v" = 0 ]; }
debug_lines() { echo "$1-DEBUG-LOAD-LINES $(dmesg | grep -c 'kexec: debug: image loaded')"; }
stop() { echo "STOPPED: an image is loaded; not booting it"; guest_poweroff; }

k START --multikernel --cpu=1 --offline-cpu /bzImage --initrd=/initrd-spawned.gz
debug_lines START
loaded START || stop
k LOAD -l --multikernel --cpu=1 --offline-cpu /bzImage --initrd=/initrd-spawned.gz
debug_lines LOAD
loaded LOAD || stop
k EXEC -e
/kexec-reboot
echo "HOST-ALIVE uptime $(cut -d' ' -f1 /proc/uptime)"
guest_poweroff
INIT
mkinitramfs "$work/initrd.gz" "$work/init" "$kexec:/sbin/kexec" "$kernel:/bzImage" \
	"$work/initrd-spawned.gz:/initrd-spawned.gz" "$work/kexec-reboot:/kexec-reboot" ||
	{ t_fail $L/initramfs; t_exit; }

host=mk-kdebug
com1() { qemu_wait $host 2 "$1" "${2:-60}"; }
qemu_start $host "$kernel" "$work/initrd.gz" \
	'console=ttyS0 memmap=0x60000$0x20000 memmap=256M$0x20000000 hpet=disable' 2 1024 3 300

log=$(qemu_log $host 2)
if com1 "START status 12;" 150 && grep -q "KEXEC_DEBUG" "$log" &&
   com1 "START-DEBUG-LOAD-LINES 1" 20 && com1 "START-KEXEC-LOADED 0" 20; then
	t_pass $L/start-refused-and-unloaded
else
	t_fail $L/start-refused-and-unloaded
fi
if com1 "LOAD status 12;" 90 && com1 "LOAD-DEBUG-LOAD-LINES 2" 20 && com1 "LOAD-KEXEC-LOADED 0" 20; then
	t_pass $L/load-alone-refused-and-unloaded
else
	t_fail $L/load-alone-refused-and-unloaded
fi
if com1 "EXEC status 10;" 20 && com1 "REBOOT-KEXEC EINVAL" 20 && com1 "HOST-ALIVE" 20 &&
   ! grep -qE "Linux version|kexec purgatory" "$(qemu_log $host 1)"; then
	t_pass $L/nothing-left-to-boot
else
	t_fail $L/nothing-left-to-boot
fi
qemu_wait_exit $host 30 || true
qemu_stop $host
rm -rf "$work"
t_exit
