#!/bin/bash
# tests/debian-system/image.sh HOST_KERNEL_DEB - build (or reuse) the Debian
# bookworm system the Debian system test boots: mmdebstrap of bookworm with
# systemd as init, kdump-tools (and with it Debian's kexec-tools, which the
# test replaces by installing kexec-mk, as an admin would), makedumpfile,
# initramfs-tools, busybox (the test's web server), Debian's stock kernel
# (linux-image-amd64: the kernel spawned on CPU 1), and HOST_KERNEL_DEB (the
# multikernel host kernel, tests/debian-system/host-kernel.sh).  The tree
# becomes an ext4 image with 'mke2fs -d' (no loop mount).  Cached under
#
#     ${KEXEC_TEST_CACHE:-/var/cache/kexec-tests}/debian-system/image/<key>/
#
# (root.img, and the host kernel's vmlinuz and initrd.img copied out of it for
# QEMU's -kernel/-initrd), keyed by the host kernel package and this script.
# Tests boot it through a qcow2 overlay, so the cached image stays clean.
# Prints the cache directory as its last line; progress goes to stderr.
set -euo pipefail
umask 022

here=$(cd "$(dirname "$0")" && pwd)
deb=${1:?usage: image.sh HOST_KERNEL_DEB}
cache=${KEXEC_TEST_CACHE:-/var/cache/kexec-tests}/debian-system/image
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
size=${DEBIAN_SYSTEM_IMAGE_SIZE:-3G}
packages=systemd-sysv,udev,kmod,dbus,initramfs-tools,zstd,kdump-tools,makedumpfile,busybox,iproute2,procps,linux-image-amd64

say() { printf 'image.sh: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

key=$({
	echo "deb $(sha256sum "$deb" | cut -d' ' -f1)"
	echo "image.sh $(sha256sum "$0" | cut -d' ' -f1)"
	echo "mirror $mirror size $size"
} | sha256sum | cut -c1-16)
out=$cache/$key
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock -w 3600 9 || die "timed out waiting for $cache/.lock"
if [[ -s $out/root.img && -s $out/vmlinuz ]]; then
	say "cached image $key"
	echo "$out"
	exit 0
fi
for p in mmdebstrap e2fsprogs qemu-utils; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$p" </dev/null >&2 ||
		die "apt-get install $p failed"
done

t0=$SECONDS
rm -rf "$out.tmp"; mkdir -p "$out.tmp"
root=$out.tmp/root
say "mmdebstrap bookworm (log: $out.tmp/mmdebstrap.log)"
# Hooks, in the order mmdebstrap runs them ($1 is the new root):
#  setup: initramfs-tools' images list no modules (every driver the host
#    kernel needs is built in; Debian's kernel is spawned with our initrd),
#    which also makes update-initramfs fast under TCG;
#  essential: kdump-tools enabled (its debconf question);
#  customize: the host kernel package (after kdump-tools, so its kernel hook
#    makes the crash kernel's initrd), the machine's configuration, and the
#    unit that runs the test's payload from the second disk.
if ! nice mmdebstrap --variant=minbase --include="$packages" \
	--setup-hook='mkdir -p "$1/etc/initramfs-tools/conf.d" && echo MODULES=list >"$1/etc/initramfs-tools/conf.d/debian-system-test"' \
	--essential-hook='echo "kdump-tools kdump-tools/use_kdump boolean true" | chroot "$1" debconf-set-selections' \
	--customize-hook="copy-in $deb /tmp" \
	--customize-hook='chroot "$1" sh -c "dpkg -i /tmp/linux-image-*.deb && rm /tmp/linux-image-*.deb"' \
	--customize-hook="upload $here/guest-setup.sh /tmp/guest-setup.sh" \
	--customize-hook='chroot "$1" sh /tmp/guest-setup.sh && rm "$1/tmp/guest-setup.sh"' \
	bookworm "$root" "$mirror" >"$out.tmp/mmdebstrap.log" 2>&1; then
	tail -n 40 "$out.tmp/mmdebstrap.log" >&2
	die "mmdebstrap failed (log: $out.tmp/mmdebstrap.log)"
fi
kver=$(cd "$root/lib/modules" && ls -d -- *-multikernel 2>/dev/null | head -n1 || true)
[[ -n $kver && -s $root/boot/vmlinuz-$kver && -s $root/boot/initrd.img-$kver ]] ||
	die "no multikernel host kernel and initrd in the image's /boot"
cp "$root/boot/vmlinuz-$kver" "$out.tmp/vmlinuz"
cp "$root/boot/initrd.img-$kver" "$out.tmp/initrd.img"
echo "$kver" >"$out.tmp/kernel-version"
dpkg-query --admindir="$root/var/lib/dpkg" -W >"$out.tmp/packages"
say "mke2fs -d (ext4, $size)"
mke2fs -q -t ext4 -L debian-root -d "$root" "$out.tmp/root.img" "$size" ||
	die "mke2fs -d failed"
rm -rf "$root"
rm -rf "$out"; mv "$out.tmp" "$out"
say "built in $((SECONDS - t0)) s: $(wc -l <"$out/packages") packages, host kernel $kver"
echo "$out"
