#!/bin/bash
# Prints the path of a stock Debian amd64 kernel (vmlinuz), downloading it
# with apt-get and unpacking it with dpkg-deb into a cache outside the
# repository the first time.
#   debian-kernel.sh        6.12: linux-image-6.12.*-amd64-unsigned (bookworm-backports, trixie)
#   debian-kernel.sh 6.1    6.1: linux-image-6.1.0-*-amd64-unsigned, Debian 12's default kernel
#   debian-kernel.sh --config [6.1|6.12]   that kernel's config instead (from
#                           its linux-headers package, a few MB, cached beside it)
#   KEXEC_TEST_CACHE  cache root (default /var/cache/kexec-tests)
set -euo pipefail

want_config=0
if [ "${1:-}" = --config ]; then want_config=1; shift; fi
case ${1:-6.12} in
6.12) want='^linux-image-6\.12\.[0-9.]+\+deb[0-9]+-amd64-unsigned$' ;;
6.1) want='^linux-image-6\.1\.0-[0-9]+-amd64-unsigned$' ;;
*) echo "debian-kernel: no such series: $1 (6.1 or 6.12)" >&2; exit 2 ;;
esac

cache=${KEXEC_TEST_CACHE:-/var/cache/kexec-tests}/debian-kernel
mkdir -p "$cache"

# The newest such package this machine's apt knows.
pkg=$(apt-cache search --names-only "$want" 2>/dev/null |
	awk '{print $1}' | sort -V | tail -n1)
if [ -z "$pkg" ]; then
	apt-get update -qq >/dev/null 2>&1 || true
	pkg=$(apt-cache search --names-only "$want" |
		awk '{print $1}' | sort -V | tail -n1)
fi
[ -n "$pkg" ] || { echo "debian-kernel: no linux-image package of the ${1:-6.12} series known to apt" >&2; exit 1; }

dir=$cache/$pkg

# fetch PACKAGE FILE DEST: FILE (a path, or a glob matching one path) from
# PACKAGE's .deb into DEST, through DEST.tmp so a cut-off copy is never cached.
fetch() {
	local src
	tmp=$(mktemp -d "$cache/.dl.XXXXXX")	# global: the EXIT trap removes it
	trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && apt-get download -qq "$1" >/dev/null)
	dpkg-deb -x "$tmp"/*.deb "$tmp/x"
	src=$(compgen -G "$tmp/x/$2" | head -n1)
	[ -n "$src" ] || { echo "debian-kernel: $1 has no $2" >&2; exit 1; }
	mkdir -p "$(dirname "$3")"
	cp "$src" "$3.tmp"
	mv "$3.tmp" "$3"
}

if [ $want_config = 1 ]; then
	# linux-image-V-amd64-unsigned's config is in linux-headers-V-amd64.
	hdr=linux-headers-${pkg#linux-image-}; hdr=${hdr%-unsigned}
	[ -f "$dir/config" ] || fetch "$hdr" "usr/src/$hdr/.config" "$dir/config"
	echo "$dir/config"
	exit 0
fi
[ -f "$dir/vmlinuz" ] || fetch "$pkg" "boot/vmlinuz-*" "$dir/vmlinuz"
echo "$dir/vmlinuz"
