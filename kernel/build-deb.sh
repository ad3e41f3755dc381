#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# kernel/build-deb.sh: an installable Debian package (make bindeb-pkg) of a
# multikernel host kernel: Debian's linux-source-6.12 with the series in
# kernel/patches/, configured from a base config you name (by default the
# running kernel's /boot/config-$(uname -r)) plus exactly what multikernel
# needs (kernel/multikernel.config, each option with its reason) and what a
# build outside Debian's packaging needs (kernel/build.config).  Every line of
# both fragments must survive 'make olddefconfig'; where the base config
# cannot have one (a dependency it turns off), the script refuses with one
# line naming the option, its dependencies and what the base config has.
#
#   kernel/build-deb.sh [--config=FILE] [--source=TARBALL|DIR] [--workdir=DIR]
#                       [--jobs=N] [--debug-info] [--configure-only]
#
# Exit status: 0 done; 2 bad usage or no base config; 3 the base config is
# not an x86-64 config; 4 the base config cannot have a required option;
# 5 the source or the build failed.  See kernel/README.md.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
prog=kernel/build-deb.sh
src_pkg=linux-source-6.12

config=/boot/config-$(uname -r)
source=/usr/src/$src_pkg.tar.xz
workdir=$PWD/multikernel-kernel
jobs=$(nproc)
debug_info=0
configure_only=0

die() { local s=$1; shift; echo "$prog: $*" >&2; exit "$s"; }
say() { echo "$prog: $*" >&2; }

usage() {
	cat <<EOF
Usage: $prog [--config=FILE] [--source=TARBALL|DIR] [--workdir=DIR]
             [--jobs=N] [--debug-info] [--configure-only]

Builds linux-image-<version>-multikernel_*.deb in the work directory.
  --config=FILE      base config (default: /boot/config-\$(uname -r))
  --source=PATH      $src_pkg's tarball (default: $source, installed with
                     apt-get when missing) or an unpacked tree (used in place;
                     the series is applied to it unless it already is)
  --workdir=DIR      where to unpack, configure and build (default: ./multikernel-kernel)
  --jobs=N           make -j (default: $(nproc))
  --debug-info       keep the base config's debug info (and build its -dbg package)
  --configure-only   stop after the configuration check; print the .config's path
EOF
}

for arg; do
	case $arg in
	--config=*) config=${arg#*=} ;;
	--source=*) source=${arg#*=} ;;
	--workdir=*) workdir=${arg#*=} ;;
	--jobs=*) jobs=${arg#*=} ;;
	--debug-info) debug_info=1 ;;
	--configure-only) configure_only=1 ;;
	-h | --help) usage; exit 0 ;;
	*) die 2 "unknown argument '$arg'; try '$prog --help'" ;;
	esac
done
[[ $jobs =~ ^[1-9][0-9]*$ ]] || die 2 "--jobs=$jobs is not a positive number"
[[ -r $config ]] || die 2 "no base config at $config; name one with --config=FILE (a distribution kernel's /boot/config-VERSION)"
grep -qx 'CONFIG_X86_64=y' "$config" ||
	die 3 "$config is not an x86-64 kernel config (no CONFIG_X86_64=y): the multikernel series and kexec's loader are x86-64 only"
mkdir -p "$workdir" || die 5 "cannot create $workdir"
workdir=$(cd "$workdir" && pwd)
obj=$workdir/obj

# The source tree: an unpacked tree used in place, or the tarball unpacked
# once into the work directory.
tree=
if [[ -d $source ]]; then
	tree=$(cd "$source" && pwd)
elif [[ -f $workdir/src/.unpacked ]]; then
	tree=$workdir/src/$src_pkg
else
	if [[ ! -r $source && $source == /usr/src/$src_pkg.tar.xz ]]; then
		say "installing $src_pkg"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$src_pkg" </dev/null >&2 ||
			die 5 "apt-get install $src_pkg failed"
	fi
	[[ -r $source ]] || die 5 "no kernel source at $source; name $src_pkg's tarball or tree with --source="
	say "unpacking $source"
	rm -rf "$workdir/src"; mkdir -p "$workdir/src"
	tar -C "$workdir/src" -xf "$source" || die 5 "cannot unpack $source"
	[[ -d $workdir/src/$src_pkg ]] || die 5 "$source did not unpack to $src_pkg/"
	touch "$workdir/src/.unpacked"
	tree=$workdir/src/$src_pkg
fi
[[ -f $tree/Makefile && -d $tree/scripts/kconfig ]] || die 5 "$tree is not a kernel source tree"

# The series, in name order; a patch already in the tree is left as it is.
# (It adds no Kconfig option, so --configure-only does not need it.)
if ((configure_only == 0)); then
	for p in "$here"/patches/*.patch; do
		if patch -d "$tree" -p1 -R -s -f --dry-run <"$p" >/dev/null 2>&1; then
			continue
		fi
		say "applying $(basename "$p")"
		patch -d "$tree" -p1 -s -f -N --no-backup-if-mismatch <"$p" >&2 ||
			die 5 "$(basename "$p") does not apply to $tree"
	done
fi

# The fragments; without --debug-info, build.config's debug-info lines too.
mkdir -p "$obj"
fragments=("$here/multikernel.config")
if ((debug_info)); then
	grep -v 'DEBUG_INFO' "$here/build.config" >"$workdir/build.config"
else
	cp "$here/build.config" "$workdir/build.config"
fi
fragments+=("$workdir/build.config")

say "configuring from $config (log: $workdir/config.log)"
cp "$config" "$obj/.config"
{
	"$tree/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "${fragments[@]}" &&
		make -C "$tree" O="$obj" ARCH=x86_64 olddefconfig
} </dev/null >"$workdir/config.log" 2>&1 || { tail -n 20 "$workdir/config.log" >&2; die 5 "configuration failed"; }

# Where SYM is defined, its "depends on" lines, joined with &&.
depends_of() {
	local sym=$1 file
	file=$(grep -rlx --include='Kconfig*' "config $sym" "$tree" | head -n1)
	[[ -n $file ]] || { echo "(not defined in this source)"; return; }
	awk -v sym="$sym" '
		$0 == "config " sym { inside = 1; next }
		inside && /^(config|menuconfig|endmenu|menu|choice|endchoice|if|endif|source) / { inside = 0 }
		inside && $1 == "depends" && $2 == "on" { sub(/^[ \t]*depends on[ \t]*/, ""); d = d (d ? " && " : "") $0 }
		END { print d == "" ? "nothing" : d }' "$file"
}

# What the final .config says of each symbol named in TEXT.
config_has() {
	local sym out=
	for sym in $(grep -oE '\b[A-Z][A-Z0-9_]+\b' <<<"$1" | sort -u); do
		if grep -q "^CONFIG_$sym=" "$obj/.config"; then
			out+="${out:+, }$(grep "^CONFIG_$sym=" "$obj/.config")"
		elif grep -qxF "# CONFIG_$sym is not set" "$obj/.config"; then
			out+="${out:+, }CONFIG_$sym is not set"
		fi
	done
	echo "${out:-none of them}"
}

# Every line of every fragment, exactly as written, or a refusal.
for frag in "${fragments[@]}"; do
	while IFS= read -r line; do
		if [[ $line =~ ^CONFIG_([A-Za-z0-9_]+)=(.*)$ ]]; then
			sym=${BASH_REMATCH[1]}
			grep -qxF -- "$line" "$obj/.config" && continue
			got=$(grep -E "^CONFIG_$sym=|^# CONFIG_$sym is not set$" "$obj/.config" || echo "CONFIG_$sym absent")
			# build.config's options only matter where they exist: Debian's
			# SYSTEM_REVOCATION_KEYS, say, is gone with SYSTEM_REVOCATION_LIST.
			[[ $frag != "${fragments[0]}" && $got == "CONFIG_$sym absent" ]] && continue
			deps=$(depends_of "$sym")
			die 4 "$config cannot have $line (got '$got'): it depends on $deps, and after olddefconfig the config has $(config_has "$deps"); enable those in the base config or name another with --config= (kernel/$(basename "$frag") says why it is needed)"
		elif [[ $line =~ ^#\ CONFIG_([A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
			sym=${BASH_REMATCH[1]}
			grep -q "^CONFIG_$sym=" "$obj/.config" &&
				die 4 "$config keeps CONFIG_$sym on ('$(grep "^CONFIG_$sym=" "$obj/.config")') though $(basename "$frag") turns it off: something the base config enables selects it"
		fi
	done <"$frag"
done
say "configuration checked: every line of multikernel.config (and of build.config that applies) is in $obj/.config"
if grep -qx 'CONFIG_LOCK_DOWN_IN_EFI_SECURE_BOOT=y' "$obj/.config"; then
	say "note: booted with Secure Boot on, this kernel locks itself down and refuses kexec_load(2), so multikernel loads fail (exit 11); it is also not signed by Debian: boot it with Secure Boot off"
fi
if ((configure_only)); then
	echo "$obj/.config"
	exit 0
fi

say "building with -j$jobs (log: $workdir/build.log; an hour or more for a distribution config on 2 cores)"
if ! nice make -C "$tree" O="$obj" ARCH=x86_64 -j"$jobs" bindeb-pkg </dev/null >"$workdir/build.log" 2>&1; then
	tail -n 40 "$workdir/build.log" >&2
	die 5 "make bindeb-pkg failed (full log: $workdir/build.log)"
fi
# bindeb-pkg writes the packages beside the object directory.
debs=$(find "$workdir" -maxdepth 2 -name 'linux-image-*.deb' ! -name '*-dbg_*' | sort)
[[ -n $debs ]] || die 5 "make bindeb-pkg made no linux-image package (see $workdir/build.log)"
say "built; install with: dpkg -i" $debs
find "$workdir" -maxdepth 2 -name '*.deb' | sort
