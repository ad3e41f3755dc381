#!/bin/bash
# tests/kernel/build.sh - build (or reuse) the multikernel test kernel.
#
# Unpacks Debian's linux-source-6.12, applies tests/kernel/patches/*.patch in
# name order, configures tinyconfig + tests/kernel/config.fragment, checks the
# fragment survived, and builds bzImage.  The result is cached outside the repo:
#
#     ${KEXEC_TEST_CACHE:-/var/cache/kexec-tests}/kernel/<key>/bzImage
#
# where <key> is the sha256 of the patches, the fragment, the linux-source
# package version and this script.  The unpacked tree and the object directory
# stay in the cache, so a changed patch rebuilds incrementally.  The bzImage
# path is the last line on stdout; progress goes to stderr.
#
# Environment: KEXEC_TEST_CACHE, LINUX_SOURCE_TAR (default
# /usr/src/linux-source-6.12.tar.xz), KERNEL_BUILD_JOBS (default nproc).
# Options: --key (print the cache key and exit), --force (rebuild anyway),
# --variant=noproc (the series without 0004, /proc/multikernel: the RFC's
# listing is optional, the loader must work without it), --variant=seed
# (0001-0003 plus variants/seed.patch: the seed's ABI, one multikernel image
# in kexec_image), --variant=kexec-debug (pristine 6.12 plus
# variants/kexec-debug.patch: 0x10 is an ordinary load's debug flag),
# --variant=nolocks (the full series without CONFIG_FILE_LOCKING, as a
# tinyconfig-derived embedded kernel has it: flock(2) says ENOSYS; the
# fragment with variants/nolocks.fragment's lines in place of its own).  A
# variant has its own key; it is built in the same tree, so switching
# reverts and reapplies the series and recompiles only what it touches.
set -euo pipefail
umask 022

here=$(cd "$(dirname "$0")" && pwd)
cache_root=${KEXEC_TEST_CACHE:-/var/cache/kexec-tests}
cache=$cache_root/kernel
src_pkg=linux-source-6.12
src_tar=${LINUX_SOURCE_TAR:-/usr/src/$src_pkg.tar.xz}
jobs=${KERNEL_BUILD_JOBS:-$(nproc)}
fragment=$here/config.fragment
arch_make=(ARCH=x86_64 KBUILD_BUILD_USER=kexec-tests KBUILD_BUILD_HOST=qemu
	   "KBUILD_BUILD_TIMESTAMP=2025-09-18")

say() { printf 'build.sh: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

force=0 print_key=0 variant=full
for arg in "$@"; do
	case $arg in
	--force) force=1 ;;
	--key) print_key=1 ;;
	--variant=full | --variant=noproc | --variant=seed | --variant=kexec-debug | \
	--variant=nolocks)
		variant=${arg#--variant=} ;;
	-h | --help)
		sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
		exit 0 ;;
	*) die "unknown argument '$arg' (try --help)" ;;
	esac
done

patches=()
while IFS= read -r p; do
	patches+=("$p")
done < <(find "$here/patches" -maxdepth 1 -name '*.patch' 2>/dev/null | LC_ALL=C sort)
case $variant in
noproc | seed)
	kept=()
	for p in "${patches[@]}"; do
		[[ $(basename "$p") == 0004-* ]] || kept+=("$p")
	done
	patches=("${kept[@]}")
	[[ $variant == noproc ]] || patches+=("$here/variants/seed.patch") ;;
kexec-debug)
	patches=("$here/variants/kexec-debug.patch") ;;
esac

# A variant's fragment lines replace the main fragment's lines for the same
# symbols; the result is what is merged, checked and hashed into the key.
variant_fragment=$here/variants/$variant.fragment
if [[ -r $variant_fragment ]]; then
	fragment=$(mktemp "${TMPDIR:-/tmp}/kexec-test-fragment.XXXXXX")
	trap 'rm -f "$fragment"' EXIT
	syms=$(grep -oE '^(# )?CONFIG_[A-Za-z0-9_]+' "$variant_fragment" | sed 's/^# //' |
		paste -sd'|')
	{
		grep -vE "^(# )?($syms)[= ]" "$here/config.fragment"
		cat "$variant_fragment"
	} >"$fragment"
fi

# Debian packages the build needs; CI starts from a bare machine.
ensure_deps()
{
	local -a need=()
	[[ -r $src_tar ]] || need+=("$src_pkg")
	command -v make >/dev/null || need+=(make)
	command -v gcc >/dev/null || need+=(gcc)
	command -v bc >/dev/null || need+=(bc)
	command -v bison >/dev/null || need+=(bison)
	command -v flex >/dev/null || need+=(flex)
	command -v xz >/dev/null || need+=(xz-utils)
	command -v patch >/dev/null || need+=(patch)
	command -v perl >/dev/null || need+=(perl)
	[[ -r /usr/include/openssl/ssl.h ]] || need+=(libssl-dev)
	[[ -r /usr/include/libelf.h ]] || need+=(libelf-dev)
	((${#need[@]})) || return 0
	say "installing ${need[*]}"
	[[ $(id -u) -eq 0 ]] || die "need root to install ${need[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" \
		</dev/null >&2 || die "apt-get install ${need[*]} failed"
}

source_version()
{
	local v
	v=$(dpkg-query -W -f='${Version}' "$src_pkg" 2>/dev/null || true)
	if [[ -z $v ]]; then
		v="tar:$(sha256sum "$src_tar" | cut -d' ' -f1)"
	fi
	echo "$v"
}

compute_key()
{
	{
		echo "source $(source_version)"
		[[ $variant == full ]] || echo "variant $variant"
		echo "build.sh $(sha256sum "$0" | cut -d' ' -f1)"
		echo "fragment $(sha256sum "$fragment" | cut -d' ' -f1)"
		for p in "${patches[@]}"; do
			echo "patch $(basename "$p") $(sha256sum "$p" | cut -d' ' -f1)"
		done
	} | sha256sum | cut -c1-16
}

# Bring $src to "pristine $version + current patches", reusing it if possible.
prepare_tree()
{
	local version=$1 src=$cache/src tree=$cache/src/$src_pkg p i

	if [[ -f $src/.dirty || ! -d $tree || "$(cat "$src/.version" 2>/dev/null)" != "$version" ]]; then
		say "unpacking $src_tar"
		rm -rf "$src" "$cache/obj"
		mkdir -p "$src"
		touch "$src/.dirty"
		tar -C "$src" -xf "$src_tar"
		[[ -d $tree ]] || die "$src_tar did not unpack to $src_pkg/"
		echo "$version" >"$src/.version"
		mkdir -p "$src/applied"
	fi
	touch "$src/.dirty"

	# Revert what was applied last time, newest first, back to the longest
	# prefix this series shares with it; apply the rest.  Patches in the
	# shared prefix keep their mtimes, so switching variants recompiles
	# only what the differing patches touch.
	local -a old=()
	while IFS= read -r p; do old+=("$p"); done < \
		<(find "$src/applied" -maxdepth 1 -name '*.patch' | LC_ALL=C sort)
	local keep=0
	while ((keep < ${#old[@]} && keep < ${#patches[@]})) &&
		[[ $(basename "${old[keep]}") == "$(basename "${patches[keep]}")" ]] &&
		cmp -s "${old[keep]}" "${patches[keep]}"; do
		keep=$((keep + 1))
	done
	for ((i = ${#old[@]} - 1; i >= keep; i--)); do
		p=${old[i]}
		if ! patch -d "$tree" -p1 -R -s -f --no-backup-if-mismatch <"$p" >/dev/null; then
			say "could not revert $(basename "$p"); starting from a fresh tree"
			rm -f "$src/.version"
			prepare_tree "$version"
			return
		fi
		rm -f "$p"
	done
	for ((i = keep; i < ${#patches[@]}; i++)); do
		p=${patches[i]}
		say "applying $(basename "$p")"
		patch -d "$tree" -p1 -s -f -N --no-backup-if-mismatch <"$p" >&2 ||
			die "$(basename "$p") does not apply to $src_pkg $version"
		cp "$p" "$src/applied/"
	done
	rm -f "$src/.dirty"
}

# Every option the fragment sets must be in the final .config as written.
check_config()
{
	local config=$1 line sym bad=0
	while IFS= read -r line; do
		if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
			if ! grep -qxF -- "$line" "$config"; then
				say "config: wanted '$line', got '$(grep -E "^(# )?${BASH_REMATCH[1]}[= ]" "$config" || echo "${BASH_REMATCH[1]} absent")'"
				bad=1
			fi
		elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
			sym=${BASH_REMATCH[1]}
			if grep -qE "^$sym=" "$config"; then
				say "config: wanted $sym unset, got '$(grep -E "^$sym=" "$config")'"
				bad=1
			fi
		fi
	done <"$fragment"
	((bad == 0)) || die "the config fragment did not survive olddefconfig (see above)"
}

build()
{
	local key=$1 tree=$cache/src/$src_pkg obj=$cache/obj log=$cache/build.log
	local out=$cache/$key t0=$SECONDS

	mkdir -p "$obj"
	: >"$log"
	say "configuring (log: $log)"
	{
		make -C "$tree" O="$obj" "${arch_make[@]}" tinyconfig &&
			"$tree/scripts/kconfig/merge_config.sh" -m -O "$obj" \
				"$obj/.config" "$fragment" &&
			make -C "$tree" O="$obj" "${arch_make[@]}" olddefconfig
	} </dev/null >>"$log" 2>&1 || { tail -n 40 "$log" >&2; die "configuration failed"; }
	check_config "$obj/.config"

	say "building bzImage with -j$jobs (log: $log)"
	if ! nice make -s -C "$tree" O="$obj" "${arch_make[@]}" -j"$jobs" bzImage \
		</dev/null >>"$log" 2>&1; then
		tail -n 60 "$log" >&2
		die "kernel build failed (full log: $log)"
	fi
	rm -rf "$out.tmp"
	mkdir -p "$out.tmp"
	cp "$obj/arch/x86/boot/bzImage" "$obj/.config" "$obj/System.map" "$out.tmp/"
	cp "$log" "$out.tmp/build.log"
	rm -rf "$out"
	mv "$out.tmp" "$out"
	say "built in $((SECONDS - t0)) s"
}

main()
{
	local key version

	[[ -r $fragment ]] || die "missing $fragment"
	if ((print_key)); then
		compute_key
		return
	fi
	mkdir -p "$cache"
	# One build at a time per cache; tests started in parallel wait here.
	exec 9>"$cache/.lock"
	flock -w 3600 9 || die "timed out waiting for $cache/.lock"

	ensure_deps
	version=$(source_version)
	key=$(compute_key)
	if ((force == 0)) && [[ -s $cache/$key/bzImage ]]; then
		say "cached kernel $key"
		echo "$cache/$key/bzImage"
		return
	fi
	say "building kernel $key ($src_pkg $version, ${#patches[@]} patches)"
	prepare_tree "$version"
	build "$key"
	echo "$cache/$key/bzImage"
}

main
