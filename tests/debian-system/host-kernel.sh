#!/bin/bash
# tests/debian-system/host-kernel.sh - build (or reuse) the Debian system
# test's host kernel package: kernel/build-deb.sh run on a small base config
# (tinyconfig + host-kernel.config), so the test installs the very package an
# admin builds, only with fewer drivers.  Cached under
#
#     ${KEXEC_TEST_CACHE:-/var/cache/kexec-tests}/debian-system/kernel/<key>/
#
# keyed by the series in kernel/patches, kernel/*.config, host-kernel.config,
# kernel/build-deb.sh, this script and linux-source-6.12's version.  Prints the
# linux-image .deb's path as its last line; progress goes to stderr.
# Options: --key (print the key and exit).  KERNEL_BUILD_JOBS (default 2).
set -euo pipefail
umask 022

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=${KEXEC_TEST_CACHE:-/var/cache/kexec-tests}/debian-system/kernel
src_tar=/usr/src/linux-source-6.12.tar.xz
fragment=$here/host-kernel.config
jobs=${KERNEL_BUILD_JOBS:-2}

say() { printf 'host-kernel.sh: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

compute_key() {
	{
		echo "source $(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null ||
			sha256sum "$src_tar" | cut -d' ' -f1)"
		for f in "$top"/kernel/patches/*.patch "$top"/kernel/*.config \
			"$top/kernel/build-deb.sh" "$fragment" "$0"; do
			echo "$(basename "$f") $(sha256sum "$f" | cut -d' ' -f1)"
		done
	} | sha256sum | cut -c1-16
}

# Every line of the fragment, as written, in CONFIG.
check_config() {
	local config=$1 line bad=0
	while IFS= read -r line; do
		if [[ $line =~ ^CONFIG_[A-Za-z0-9_]+=.*$ ]]; then
			grep -qxF -- "$line" "$config" || { say "$config: wanted '$line'"; bad=1; }
		elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
			! grep -q "^${BASH_REMATCH[1]}=" "$config" || { say "$config: wanted ${BASH_REMATCH[1]} unset"; bad=1; }
		fi
	done <"$fragment"
	((bad == 0)) || die "host-kernel.config did not survive the configuration (see above)"
}

[[ ${1:-} == --key ]] && { compute_key; exit 0; }
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock -w 7200 9 || die "timed out waiting for $cache/.lock"
key=$(compute_key)
out=$cache/$key
if deb=$(compgen -G "$out/linux-image-*-multikernel_*.deb" | grep -v -- -dbg_ | head -n1); then
	say "cached host kernel $key"
	echo "$deb"
	exit 0
fi
# What make bindeb-pkg's generated debian/control build-depends on.
need=()
[[ -r $src_tar ]] || need+=(linux-source-6.12)
for p in rsync bc bison flex cpio kmod libelf-dev libssl-dev debhelper gcc-x86-64-linux-gnu; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || need+=("$p")
done
if ((${#need[@]})); then
	say "installing ${need[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" </dev/null >&2 ||
		die "apt-get install ${need[*]} failed"
fi
work=$cache/work-$key
t0=$SECONDS
if [[ ! -f $work/src/.unpacked ]]; then
	say "unpacking $src_tar into $work/src"
	rm -rf "$work"; mkdir -p "$work/src"
	tar -C "$work/src" -xf "$src_tar"
	touch "$work/src/.unpacked"
fi
tree=$work/src/linux-source-6.12
say "base config: tinyconfig + $(basename "$fragment")"
mkdir -p "$work/base"
{
	make -C "$tree" O="$work/base" ARCH=x86_64 tinyconfig &&
		"$tree/scripts/kconfig/merge_config.sh" -m -O "$work/base" "$work/base/.config" "$fragment" &&
		make -C "$tree" O="$work/base" ARCH=x86_64 olddefconfig
} </dev/null >"$work/base.log" 2>&1 || { tail -n 30 "$work/base.log" >&2; die "base configuration failed"; }
check_config "$work/base/.config"
"$top/kernel/build-deb.sh" --config="$work/base/.config" --source="$src_tar" \
	--workdir="$work" --jobs="$jobs" >&2 || die "kernel/build-deb.sh failed (its log: $work/build.log)"
check_config "$work/obj/.config"
rm -rf "$out.tmp"; mkdir -p "$out.tmp"
cp "$work"/linux-image-*.deb "$work/obj/.config" "$out.tmp/"
rm -rf "$out"; mv "$out.tmp" "$out"
say "built in $((SECONDS - t0)) s"
rm -rf "$work"
compgen -G "$out/linux-image-*-multikernel_*.deb" | grep -v -- -dbg_ | head -n1
