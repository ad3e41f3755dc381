#!/bin/bash
# tests/multikernel/seed-abi.sh KEXEC_STATIC SEED_KERNEL [LABEL]
#
# The loader on a host kernel with the seed's ABI alone (tests/kernel/build.sh
# --variant=seed: RFC v1 1/7 + 2/7, the multikernel image in kexec_image, no
# image list, no /proc/multikernel).  One host boot (-smp 3,
# memmap=512M$0x20000000), the test talking to it on ttyS2:
#   a) 'kexec -l --multikernel' alone is refused (exit 12) and the image is
#      unloaded again: kexec_loaded reads 0, though the kernel's log shows the
#      seed's "Loading multikernel segment" lines for it; 'kexec -e' then has
#      nothing to boot (exit 10);
#   b) 'kexec --multikernel --cpu=1' spawns our test kernel to its /init and
#      leaves nothing in kexec_image; the host lives; 'kexec -e', an
#      ordinary 'kexec -l' (both 20: a running instance) and systemd's last step,
#      reboot(LINUX_REBOOT_CMD_KEXEC), find nothing to boot (EINVAL);
#   c) the stock Debian 6.12 kernel (tests/lib/debian-kernel.sh) spawned on
#      CPU 2 beside it reaches its /init too, as its own log (read by kexec)
#      shows, the host alive (SKIP when apt cannot fetch it).
# Prints each spawn's time from the request to the spawned /init.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../qemu/harness.sh"
kexec=$1 kernel=$2 L=${3:-multikernel-seed}
work=$(mktemp -d "${TMPDIR:-/tmp}/mk-seed.XXXXXX")

"$here/spawned-initramfs.sh" "$work/initrd-spawned.gz" || { t_fail $L/initramfs; t_exit; }
gcc -static -O2 -Wall -Wextra -Werror "$here/kexec-reboot.c" -o "$work/kexec-reboot" ||
	{ t_fail $L/kexec-reboot-build; t_exit; }
extra=()
if debian=$("$here/../lib/debian-kernel.sh" 2>"$work/debian.err"); then
	extra=("$debian:/vmlinuz")
else
	debian=
fi

cat >"$work/init" <<'INIT'
#!/bin/sh
. /lib/guest-lib.sh
guest_setup
guest_talk_on 2
go() { echo "WAITING $1"; read -r line; }
k() { t=$1; shift; echo "+ kexec $*"; /sbin/kexec "$@"; echo "$t status $?;"; }
loaded() { echo "$1-KEXEC-LOADED $(cat /sys/kernel/kexec_loaded)"; }
[ -e /proc/multikernel ] && echo "HOST-HAS-PROC-MULTIKERNEL" || echo "HOST-NO-PROC-MULTIKERNEL"

go phase-a
k A-LOAD -l --multikernel --cpu=1 --offline-cpu /bzImage --initrd=/initrd-spawned.gz
loaded A
echo "SEED-LOAD-LINES $(dmesg | grep -c 'Loading multikernel segment: mem=0x')"
k A-EXEC -e
echo "HOST-ALIVE-A"

go phase-b
echo "KICK-REQUESTED"
k B-SPAWN --multikernel --cpu=1 --offline-cpu /bzImage --initrd=/initrd-spawned.gz
loaded B
k B-EXEC -e
k B-LOAD -l /bzImage
/kexec-reboot
echo "HOST-ALIVE-B"

go phase-c
if [ -e /vmlinuz ]; then
	echo "KICK-REQUESTED-C"
	k C-SPAWN --multikernel --cpu=2 --offline-cpu /vmlinuz --initrd=/initrd-spawned.gz
	loaded C
fi
go end
echo "HOST-ALIVE-C uptime $(cut -d' ' -f1 /proc/uptime)"
guest_poweroff
INIT
mkinitramfs "$work/initrd.gz" "$work/init" "$kexec:/sbin/kexec" "$kernel:/bzImage" \
	"$work/initrd-spawned.gz:/initrd-spawned.gz" "$work/kexec-reboot:/kexec-reboot" \
	"${extra[@]}" || { t_fail $L/initramfs; t_exit; }

host=mk-seed
com1() { qemu_wait $host 2 "$1" "${2:-60}"; }	# the host's test channel
com2() { qemu_wait $host 1 "$1" "${2:-60}"; }
step() { qemu_send $host 2 $'go\r'; }
next_phase() {
	com1 "WAITING $1" 90 && { step; return 0; }
	t_fail "$L/host-reaches-$1"
	qemu_stop $host
	t_exit
}
# Seconds from the line $2 on ttyS2 to the line $4 on ttyS$3 (timestamped logs).
since() {
	local a b
	a=$(grep -m1 -F "$2" "$(qemu_log $1 2)" | sed 's/^\[ *\([0-9.]*\)\].*/\1/')
	b=$(grep -m1 -F "$4" "$(qemu_log $1 $3)" | sed 's/^\[ *\([0-9.]*\)\].*/\1/')
	[ -n "$a" ] && [ -n "$b" ] && echo "$b - $a" | bc
}

qemu_start $host "$kernel" "$work/initrd.gz" \
	'console=ttyS0 memmap=0x60000$0x20000 memmap=512M$0x20000000 hpet=disable' 3 1536 3 400
if com1 "HOST-NO-PROC-MULTIKERNEL" 120; then t_pass $L/host-boot-no-listing
else t_fail $L/host-boot-no-listing; t_exit; fi

# a) A load alone would leave the image where a reboot boots it: refused, undone.
next_phase phase-a
if com1 "A-LOAD status 12;" 90 && com1 "A-KEXEC-LOADED 0" 10; then
	t_pass $L/a-load-alone-refused-and-unloaded
else
	t_fail $L/a-load-alone-refused-and-unloaded
fi
if com1 "SEED-LOAD-LINES " 10 && ! grep -q "SEED-LOAD-LINES 0" "$(qemu_log $host 2)"; then
	t_pass $L/a-kernel-took-it-as-multikernel
else
	t_fail $L/a-kernel-took-it-as-multikernel
fi
if com1 "A-EXEC status 10;" 20 && com1 "HOST-ALIVE-A" 20; then t_pass $L/a-exec-has-nothing-to-boot
else t_fail $L/a-exec-has-nothing-to-boot; fi

# b) Load and start in one command: our test kernel to its /init, nothing left loaded.
next_phase phase-b
if com2 "SPAWNED-INIT-OK on APIC id 1 " 240 && com1 "B-SPAWN status 0;" 60; then
	t_pass $L/b-spawned-linux-reaches-init
	printf '%s: spawned test kernel reached /init %s s after the kick was requested\n' "$L" \
		"$(since $host KICK-REQUESTED 1 'SPAWNED-INIT-OK on APIC id 1 ')"
else
	t_fail $L/b-spawned-linux-reaches-init
fi
if com1 "B-KEXEC-LOADED 0" 20 && com1 "B-EXEC status 20;" 20 && com1 "B-LOAD status 20;" 30 &&
   com1 "REBOOT-KEXEC EINVAL" 20 && com1 "HOST-ALIVE-B" 20; then
	t_pass $L/b-nothing-left-to-boot-as-ordinary
else
	t_fail $L/b-nothing-left-to-boot-as-ordinary
fi

# c) The stock Debian kernel beside it.
next_phase phase-c
if [ -z "$debian" ]; then
	t_skip $L/c-debian-reaches-init "cannot download linux-image-6.12: $(tail -n1 "$work/debian.err")"
elif com1 "multikernel: booted to /init on CPU 2 " 300 && com1 "C-SPAWN status 0;" 60 &&
     com1 "C-KEXEC-LOADED 0" 20; then
	# Seen in its own log (issue 20's confirmation), not on ttyS1: both
	# instances use ttyS1 here, and the second one's /init line never
	# reached that port in a run whose kernel log showed "Run /init" (two
	# 8250 drivers on one port, see kexec(8) on what instances share).
	t_pass $L/c-debian-reaches-init
	printf '%s: spawned Debian 6.12 reached /init %s s after the kick was requested\n' "$L" \
		"$(since $host KICK-REQUESTED-C 2 'multikernel: booted to /init on CPU 2 ')"
else
	t_fail $L/c-debian-reaches-init
fi
next_phase end
if com1 "HOST-ALIVE-C" 30; then t_pass $L/host-alive-at-end; else t_fail $L/host-alive-at-end; fi
qemu_wait_exit $host 30 || true
qemu_stop $host
rm -rf "$work"
t_exit
