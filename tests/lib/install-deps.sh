#!/bin/bash
# Installs the Debian packages the build and every test tier need (we run as root).
# Quiet when everything is present already.
set -euo pipefail

pkgs=(autoconf gcc make binutils libc6-dev pkg-config
      zlib1g-dev liblzma-dev libzstd-dev zstd libelf-dev libcmocka-dev
      qemu-system-x86 busybox-static cpio xz-utils
      linux-source-6.12 bc bison flex libssl-dev
      strace kexec-tools libdw1 libbz2-1.0
      clang libclang-rt-14-dev	# the fuzz tier: clang and its libFuzzer/ASan runtimes
      musl-tools musl-dev dpkg-dev bzip2	# the static tier: musl, and the libraries' sources (musl-libs.sh)
      debhelper lintian initramfs-tools-core)	# the package and boot tiers: dpkg-buildpackage, lintian, hook-functions

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
if ((${#missing[@]})); then
	echo "install-deps: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null || true
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
