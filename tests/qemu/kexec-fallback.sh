#!/bin/bash
# tests/qemu/kexec-fallback.sh KEXEC_STATIC KERNEL LABEL
#
# The default syscall choice on a real kernel (Debian 6.12) in lockdown
# (lockdown=integrity): kexec tries kexec_file_load(2) first and falls back to
# kexec_load(2) only when the kernel cannot load the image that way (ENOSYS,
# EINVAL, ENOEXEC, ENOTSUP), never after a refusal of the image itself.
#   an ELF payload   the kernel's file loader has no ELF probe: ENOEXEC, so -d
#                    says it falls back (and lockdown then refuses kexec_load)
#   an unsigned bzImage  probed fine, then refused for its signature (EPERM in
#                    lockdown): no fallback, exit 11
# One boot; nothing is executed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/harness.sh"
kexec=$1 kernel=$2 label=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/kexec-fallback.XXXXXX")

gcc -O2 -Wall -Wextra -Werror "$here/../dryrun/mkimage.c" -o "$work/mkimage" &&
	"$work/mkimage" elf "$work/payload.elf" paddr=0x8000000 size=0x3000 ||
	{ t_fail "qemu/$label/fallback/images"; exit 1; }

cat >"$work/init" <<'INIT'
#!/bin/sh
. /lib/guest-lib.sh
guest_setup
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
echo "LOCKDOWN: $(cat /sys/kernel/security/lockdown)"
/sbin/kexec -d -l /boot/payload.elf >/tmp/elf.out 2>&1
echo "ELF-STATUS $?"
grep "^kexec" /tmp/elf.out | sed 's/^/ELF> /'
/sbin/kexec -d -l /boot/vmlinuz >/tmp/bz.out 2>&1
echo "BZ-STATUS $?"
grep "^kexec" /tmp/bz.out | sed 's/^/BZ> /'
echo "FALLBACK-DONE"
guest_poweroff
INIT
mkinitramfs "$work/initrd.gz" "$work/init" "$kexec:/sbin/kexec" "$kernel:/boot/vmlinuz" \
	"$work/payload.elf:/boot/payload.elf" || { t_fail "qemu/$label/fallback/initramfs"; exit 1; }

t_begin
name=fallback-$label
tag=qemu/$label/fallback
qemu_start "$name" "$kernel" "$work/initrd.gz" "console=ttyS0 lockdown=integrity" 1 512 2 180
if ! qemu_wait "$name" 0 "FALLBACK-DONE" 170; then
	t_fail "$tag/guest"
else
	log=$(qemu_log "$name" 0)
	grep -a "LOCKDOWN\|-STATUS\|ELF> \|BZ> " "$log" | sed "s|^|  $tag: |"
	if grep -qa "LOCKDOWN: .*\[integrity\]" "$log"; then
		grep -qa "ELF> kexec_file_load: Exec format error; falling back to kexec_load" "$log" &&
			grep -qa "ELF-STATUS 11" "$log" &&
			t_pass "$tag/enoexec-falls-back" || t_fail "$tag/enoexec-falls-back"
		grep -qa "BZ-STATUS 11" "$log" && ! grep -qa "BZ> .*falling back" "$log" &&
			t_pass "$tag/refused-image-does-not-fall-back" ||
			t_fail "$tag/refused-image-does-not-fall-back"
	else
		t_skip "$tag" "this kernel did not enter lockdown=integrity"
	fi
fi
qemu_stop "$name"
rm -rf "$work"
t_exit
