#!/bin/bash
# tests/debian-system/kexec-deb.sh TOP - the kexec-mk package of the tree at
# TOP, built as tests/package/run builds it (dpkg-buildpackage -b from a clean
# copy: what git knows, tracked and untracked) but without its make check
# (DEB_BUILD_OPTIONS=nocheck: the unit tiers run it), cached under
#
#     ${KEXEC_TEST_CACHE:-/var/cache/kexec-tests}/debian-system/kexec-deb/<key>/
#
# keyed by the copy's file contents.  Prints the .deb's path as its last line.
set -euo pipefail
top=$(cd "${1:?usage: kexec-deb.sh TOP}" && pwd)
cache=${KEXEC_TEST_CACHE:-/var/cache/kexec-tests}/debian-system/kexec-deb
say() { printf 'kexec-deb.sh: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/kexec-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$top"
version=$(dpkg-parsechangelog -S Version -l debian/changelog)
src=$work/kexec-mk-$version
mkdir -p "$src"
git ls-files -z -co --exclude-standard | tar -cf - --null -T - | tar -xf - -C "$src"
key=$(cd "$src" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
out=$cache/$key
deb=$out/kexec-mk_${version}_amd64.deb
if [[ -s $deb ]]; then
	say "cached kexec-mk $version ($key)"
	echo "$deb"
	exit 0
fi
(cd "$src" && dpkg-checkbuilddeps) >&2 || die "missing build dependencies (tests/lib/install-deps.sh installs them)"
if ! (cd "$src" && DEB_BUILD_OPTIONS="nocheck parallel=2" nice -n 10 dpkg-buildpackage -b -us -uc) >"$work/build.log" 2>&1; then
	tail -n 40 "$work/build.log" >&2
	die "dpkg-buildpackage failed"
fi
mkdir -p "$out.tmp"
cp "$work/kexec-mk_${version}_amd64.deb" "$out.tmp/"
rm -rf "$out"; mv "$out.tmp" "$out"
echo "$deb"
