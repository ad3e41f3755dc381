#!/bin/bash
# build-static.sh DIR: the static kexec that goes into initramfs images (the
# QEMU tests, the demo, the benchmark): musl-gcc against zlib, liblzma and
# libzstd built for musl (tests/lib/musl-libs.sh), about a fifth of the glibc
# build.  When musl cannot be had it says so in a SKIP line and builds with
# glibc instead, so the boot tests still run; DIR/libc names the one used.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$1
err=${TMPDIR:-/tmp}/musl-libs.$$.err
if prefix=$("$here/musl-libs.sh" 2>"$err"); then
	cat "$err" >&2	# "building ..." the first time
	rm -f "$err"
	"$here/build-variant.sh" "$dir" --enable-static-binary --with-musl="$prefix" || exit 1
	echo musl >"$dir/libc"
	exit 0
fi
echo "SKIP: build/$(basename "$dir")-musl ($(tail -n1 "$err"); the static kexec is built with glibc)"
rm -f "$err"
"$here/build-variant.sh" "$dir" --enable-static-binary || exit 1
echo glibc >"$dir/libc"
