#!/bin/bash
# tests/multikernel/test-probe-stock-host.sh KEXEC_STATIC MK_KERNEL
#
# Support detection on a kernel without the multikernel RFC: a stock Debian
# 6.12 kernel as the host, booted with the reservation, has no
# /proc/multikernel, so kexec goes as far as the load and the kernel's
# EINVAL for flag 0x10 must come back as status 12 with its one line, and
# nothing left loaded (/sys/kernel/kexec_loaded still 0).  (MK_KERNEL is
# unused: the host here is the distribution kernel.)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../qemu/harness.sh"
kexec=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/mk-probe.XXXXXX")
T=multikernel-probe

if ! debian=$("$here/../lib/debian-kernel.sh" 2>"$work/debian.err"); then
	t_skip "$T/stock-host-einval-is-status-12" "cannot download linux-image-6.12: $(tail -n1 "$work/debian.err")"
	exit 0
fi
"$here/spawned-initramfs.sh" "$work/initrd-spawned.gz" || { t_fail "$T/initramfs"; t_exit; }
cat >"$work/init" <<'INIT'
#!/bin/sh
. /lib/guest-lib.sh
guest_setup
[ -e /proc/multikernel ] && echo "HOST-HAS-PROC-MULTIKERNEL" || echo "HOST-NO-PROC-MULTIKERNEL"
echo 0 >/sys/devices/system/cpu/cpu1/online
/sbin/kexec --multikernel --cpu=1 /vmlinuz --initrd=/initrd-spawned.gz 2>&1
echo "kexec status $?;"
echo "kexec_loaded $(cat /sys/kernel/kexec_loaded)"
guest_poweroff
INIT
mkinitramfs "$work/initrd.gz" "$work/init" "$kexec:/sbin/kexec" "$debian:/vmlinuz" \
	"$work/initrd-spawned.gz:/initrd-spawned.gz" || { t_fail "$T/initramfs"; t_exit; }

g=stock-host
qemu_start $g "$debian" "$work/initrd.gz" \
	'console=ttyS0 memmap=0x60000$0x20000 memmap=256M$0x20000000' 2 1024 2 240
if qemu_wait $g 0 "kexec_loaded" 200 && qemu_wait $g 0 "HOST-NO-PROC-MULTIKERNEL" 1 &&
   qemu_wait $g 0 "kexec: the running kernel rejects KEXEC_MULTIKERNEL (EINVAL)" 1 &&
   qemu_wait $g 0 "kexec status 12;" 1 && qemu_wait $g 0 "kexec_loaded 0" 1; then
	t_pass "$T/stock-host-einval-is-status-12"
else
	t_fail "$T/stock-host-einval-is-status-12"
fi
qemu_stop $g
t_exit
