#!/bin/bash
# tests/qemu/mkinitramfs.sh - build a small busybox initramfs for QEMU guests.
#
#   mkinitramfs OUT.cpio.gz INIT_SCRIPT [SRC:DEST ...]
#
# The archive (gzip'd newc cpio) holds busybox-static as /bin/busybox with a
# symlink for every applet, empty /dev /proc /sys /tmp /run /mnt, INIT_SCRIPT as
# /init, tests/qemu/guest-lib.sh as /lib/guest-lib.sh, and each extra SRC copied
# to DEST (absolute path inside the guest; parent directories are created, the
# mode is kept).  Tests add the project's static binaries this way.
#
# Source this file to get the function, or run it as a command.

_mkinitramfs_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Install the Debian packages the image needs, if they are missing.
_mkinitramfs_require()
{
	local -a pkgs=()
	[[ -x /bin/busybox ]] && /bin/busybox --list >/dev/null 2>&1 &&
		file_is_static /bin/busybox || pkgs+=(busybox-static)
	command -v cpio >/dev/null 2>&1 || pkgs+=(cpio)
	command -v gzip >/dev/null 2>&1 || pkgs+=(gzip)
	((${#pkgs[@]})) || return 0
	if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
		echo "mkinitramfs: missing ${pkgs[*]}" >&2
		return 1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${pkgs[@]}" >/dev/null 2>&1 || {
		echo "mkinitramfs: apt-get install ${pkgs[*]} failed" >&2
		return 1
	}
}

# A dynamically linked busybox (package "busybox") would not run in the guest.
file_is_static()
{
	! LC_ALL=C readelf -l "$1" 2>/dev/null | grep -q 'INTERP'
}

mkinitramfs()
{
	if (($# < 2)); then
		echo "usage: mkinitramfs OUT.cpio.gz INIT_SCRIPT [SRC:DEST ...]" >&2
		return 2
	fi
	local out=$1 init=$2 stage spec src dest applet rc=0
	shift 2

	_mkinitramfs_require || return 1
	if [[ ! -r $init ]]; then
		echo "mkinitramfs: init script $init not readable" >&2
		return 1
	fi
	# SRC paths are the caller's: made absolute before the copy runs in the stage.
	local -a specs=()
	for spec in "$@"; do
		[[ $spec == /* ]] && specs+=("$spec") || specs+=("$PWD/$spec")
	done
	set -- "${specs[@]}"
	stage=$(mktemp -d "${TMPDIR:-/tmp}/initramfs.XXXXXX") || return 1
	# Each step says "|| exit 1": 'set -e' is ignored inside a subshell whose
	# status is tested by '||', which let a missing SRC (cp failing) through.
	(
		cd "$stage" || exit 1
		mkdir -p bin sbin usr/bin usr/sbin dev proc sys tmp run mnt lib etc root || exit 1
		cp /bin/busybox bin/busybox || exit 1
		# --list-full prints e.g. "bin/sh", "sbin/reboot", "usr/bin/awk".
		for applet in $(/bin/busybox --list-full); do
			[[ $applet == bin/busybox ]] && continue
			mkdir -p "$(dirname "$applet")" && ln -sf /bin/busybox "$applet" || exit 1
		done
		install -m 0755 "$init" init || exit 1
		install -m 0644 "$_mkinitramfs_dir/guest-lib.sh" lib/guest-lib.sh || exit 1
		for spec in "$@"; do
			src=${spec%%:*}
			dest=${spec#*:}
			if [[ $spec != *:* || $dest != /* ]]; then
				echo "mkinitramfs: bad SRC:DEST '$spec' (DEST must be absolute)" >&2
				exit 1
			fi
			mkdir -p ".$(dirname "$dest")" || exit 1
			cp -L --preserve=mode "$src" ".$dest" || exit 1
		done
		# Linux's built-in initramfs already has /dev/console; add one
		# anyway where we can, for kernels built with INITRAMFS_SOURCE.
		if [[ $(id -u) -eq 0 ]]; then
			mknod -m 600 dev/console c 5 1 || exit 1
		fi
		set -o pipefail
		find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
			cpio -o -H newc -R 0:0 --quiet | gzip -9n >"$stage.cpio.gz" || exit 1
	) || rc=1
	if ((rc == 0)); then
		mv "$stage.cpio.gz" "$out" || rc=1
	fi
	rm -rf "$stage" "$stage.cpio.gz"
	return $rc
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	mkinitramfs "$@"
fi
