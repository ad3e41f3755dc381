#!/bin/bash
# musl-libs.sh: zlib, liblzma and libzstd built against musl, for the small
# static kexec (--enable-static-binary --with-musl=PREFIX), and cmocka, so that
# `make check` runs the unit tests on musl too.  Debian ships these
# archives for glibc only, so they are built here from bookworm's source
# packages (apt-get source through a private deb-src list: the system's apt
# configuration is not touched), built for size.  The encoders are built too
# (the unit tests compress their inputs) but a static link takes only the
# archive members kexec calls, and --gc-sections only the functions: kexec
# gets the decoders alone (no larger than a decoder-only build).  Prints the prefix
# (include/ and lib/) on stdout; everything is cached under
# /var/cache/kexec-tests/musl/, keyed by this script, so a second run only
# prints the prefix.  Exit 2 with the reason on stderr when musl-gcc or the
# sources cannot be had; the callers turn that into a SKIP.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${KEXEC_TEST_CACHE:-/var/cache/kexec-tests}/musl
key=$(sha256sum "$here/musl-libs.sh" | cut -c1-12)
prefix=$cache/$key
unavailable() { echo "musl-libs: $*" >&2; exit 2; }

command -v musl-gcc >/dev/null || unavailable "musl-gcc is missing (apt-get install musl-tools)"
mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9
if [ -f "$prefix/done" ]; then
	echo "$prefix"
	exit 0
fi

log=$cache/build-$key.log
: >"$log"
echo "musl-libs: building zlib, liblzma and libzstd against musl into $prefix (log: $log)" >&2
rm -rf "$prefix" "$cache/src-$key"
src=$cache/src-$key
mkdir -p "$src" "$cache/apt/lists/partial" "$cache/apt/cache/archives/partial"
echo "deb-src http://deb.debian.org/debian bookworm main" >"$cache/apt/sources.list"
apt=(apt-get -q -o Dir::Etc::SourceList="$cache/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
     -o Dir::State::Lists="$cache/apt/lists" -o Dir::Cache="$cache/apt/cache"
     -o APT::Sandbox::User=root)
"${apt[@]}" update >>"$log" 2>&1 || unavailable "apt-get update of bookworm's deb-src failed (see $log)"
# apt checks each file against the signed Sources index; dpkg-source applies Debian's patches.
(cd "$src" && "${apt[@]}" source --download-only zlib xz-utils libzstd cmocka) >>"$log" 2>&1 ||
	unavailable "apt-get source zlib xz-utils libzstd cmocka failed (see $log)"
for dsc in "$src"/*.dsc; do
	(cd "$src" && dpkg-source --no-check -x "$dsc") >>"$log" 2>&1 ||
		unavailable "dpkg-source -x $(basename "$dsc") failed (see $log)"
done

# Size first: every function and object in its own section, so that the
# loader's --gc-sections keeps only what kexec calls; no unwind tables.
export CC=musl-gcc
export CFLAGS="-Os -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables"
jobs=$(($(nproc) < 2 ? $(nproc) : 2))
fail() { tail -n 30 "$log" >&2; unavailable "$1 failed (see $log)"; }

# zlib: inflate is all kexec uses; the linker drops deflate.
(cd "$src"/zlib-*/ && ./configure --static --prefix="$prefix" &&
	make -j"$jobs" libz.a && make install) >>"$log" 2>&1 || fail "zlib"

# liblzma: every filter and check (as Debian's), no threads, --enable-small (smaller
# tables and code, a little slower).
(cd "$src"/xz-utils-*/ && ./configure --prefix="$prefix" --disable-shared --enable-static \
	--disable-threads --enable-small --disable-nls --disable-doc \
	--disable-xz --disable-xzdec --disable-lzmadec --disable-lzmainfo --disable-lzma-links \
	--disable-scripts &&
	make -j"$jobs" -C src/liblzma && make -C src/liblzma install) >>"$log" 2>&1 || fail "liblzma"

# libzstd: legacy (v0.5-v0.7) frames stay readable as in Debian's build; the decoder
# with single-symbol Huffman and short-offset sequences only, which costs speed, not formats.
zstd_opts=(ZSTD_LIB_DICTBUILDER=0 ZSTD_LIB_DEPRECATED=0
	   HUF_FORCE_DECOMPRESS_X1=1 ZSTD_FORCE_DECOMPRESS_SEQUENCES_SHORT=1 ZSTD_NO_INLINE=1)
(cd "$src"/libzstd-*/lib && make -j"$jobs" libzstd.a "${zstd_opts[@]}" &&
	mkdir -p "$prefix/lib" "$prefix/include" &&
	cp libzstd.a "$prefix/lib/" && cp zstd.h zstd_errors.h "$prefix/include/") >>"$log" 2>&1 ||
	fail "libzstd"

# cmocka: its one source file, with what its CMake checks find in musl.
cmocka_have=(-DHAVE_SIGNAL_H -DHAVE_STRSIGNAL -DHAVE_SIGLONGJMP -DHAVE_INTTYPES_H -DHAVE_MALLOC_H
	     -DHAVE_STRINGS_H -DHAVE_STRUCT_TIMESPEC -DHAVE_CLOCK_REALTIME
	     -DHAVE_GCC_THREAD_LOCAL_STORAGE)
(cd "$src"/cmocka-*/ && musl-gcc -O2 "${cmocka_have[@]}" -Iinclude -c src/cmocka.c -o cmocka.o &&
	ar rcs "$prefix/lib/libcmocka.a" cmocka.o && cp include/cmocka.h "$prefix/include/") \
	>>"$log" 2>&1 || fail "cmocka"

rm -rf "$src"
touch "$prefix/done"
echo "$prefix"
