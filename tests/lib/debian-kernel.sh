#!/bin/bash
# Prints the path of a stock Debian 6.12 amd64 kernel (vmlinuz), downloading
# linux-image-6.12.*-amd64-unsigned with apt-get and unpacking it with dpkg-deb
# into a cache outside the repository the first time.
#   KEXEC_TEST_CACHE  cache root (default /var/cache/kexec-tests)
set -euo pipefail

cache=${KEXEC_TEST_CACHE:-/var/cache/kexec-tests}/debian-kernel
mkdir -p "$cache"

# The newest linux-image-6.12.*-amd64-unsigned this machine's apt knows.
pkg=$(apt-cache search --names-only '^linux-image-6\.12\.[0-9.]+\+deb[0-9]+-amd64-unsigned$' 2>/dev/null |
	awk '{print $1}' | sort -V | tail -n1)
if [ -z "$pkg" ]; then
	apt-get update -qq >/dev/null 2>&1 || true
	pkg=$(apt-cache search --names-only '^linux-image-6\.12\.[0-9.]+\+deb[0-9]+-amd64-unsigned$' |
		awk '{print $1}' | sort -V | tail -n1)
fi
[ -n "$pkg" ] || { echo "debian-kernel: no linux-image-6.12 package known to apt" >&2; exit 1; }

dir=$cache/$pkg
if [ ! -f "$dir/vmlinuz" ]; then
	tmp=$(mktemp -d "$cache/.dl.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && apt-get download -qq "$pkg" >/dev/null)
	dpkg-deb -x "$tmp"/*.deb "$tmp/x"
	mkdir -p "$dir"
	cp "$tmp"/x/boot/vmlinuz-* "$dir/vmlinuz"
fi
echo "$dir/vmlinuz"
