#!/bin/bash
# Prints a directory holding Debian's makedumpfile (bin/makedumpfile) and every
# shared library it needs (lib/, ld-linux included), for a capture kernel's
# initramfs.  Downloads makedumpfile and liblzo2-2 with apt-get the first time
# and keeps them in a cache outside the repository.
#   KEXEC_TEST_CACHE  cache root (default /var/cache/kexec-tests)
set -euo pipefail

cache=${KEXEC_TEST_CACHE:-/var/cache/kexec-tests}/makedumpfile
dir=$cache/current
if [ ! -x "$dir/bin/makedumpfile" ]; then
	mkdir -p "$cache"
	tmp=$(mktemp -d "$cache/.dl.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	# apt's _apt user must be able to write the download directory.
	chmod 755 "$tmp"
	(cd "$tmp" && apt-get download -qq makedumpfile liblzo2-2 >/dev/null 2>&1) || {
		apt-get update -qq >/dev/null 2>&1 || true
		(cd "$tmp" && apt-get download -qq makedumpfile liblzo2-2 >/dev/null)
	}
	for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$tmp/x"; done
	mkdir -p "$tmp/out/bin" "$tmp/out/lib"
	cp "$tmp/x/usr/bin/makedumpfile" "$tmp/out/bin/"
	# Every library the loader resolves (liblzo2 from the package, the rest from the host).
	LD_LIBRARY_PATH=$tmp/x/lib/x86_64-linux-gnu:$tmp/x/usr/lib/x86_64-linux-gnu ldd "$tmp/out/bin/makedumpfile" |
		awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }' | while read -r lib; do
			cp -L "$lib" "$tmp/out/lib/"
		done
	if LD_LIBRARY_PATH=$tmp/out/lib ldd "$tmp/out/bin/makedumpfile" | grep -q 'not found'; then
		echo "makedumpfile.sh: a library of makedumpfile is missing" >&2
		exit 1
	fi
	rm -rf "$dir"
	mv "$tmp/out" "$dir"
fi
echo "$dir"
