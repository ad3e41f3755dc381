# shellcheck shell=bash disable=SC2154
# tests/kernel/smoke/common.sh - shared by the tests/kernel/*-test.sh scripts.
# Expects $here (tests/kernel) and $work (a scratch directory); sources the
# QEMU harness.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=../../qemu/harness.sh
. "$here/../qemu/harness.sh"

# KERNEL=the test kernel: $MK_TEST_KERNEL, or built/reused by build.sh.
mk_find_kernel()
{
	if [[ -n ${MK_TEST_KERNEL:-} ]]; then
		KERNEL=$MK_TEST_KERNEL
	else
		KERNEL=$("$here/build.sh" | tail -n 1) || return 1
	fi
	[[ -s $KERNEL ]]
}

_mk_need_pkgs()
{
	local -a need=()
	command -v gcc >/dev/null || need+=(gcc)
	command -v objcopy >/dev/null || need+=(binutils)
	[[ -e /usr/lib/x86_64-linux-gnu/libc.a ]] || need+=(libc6-dev)
	((${#need[@]})) || return 0
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" </dev/null
}

# $work/mk-smoke (static helper) and $work/payload.bin (flat payload).
mk_build_tools()
{
	_mk_need_pkgs || return 1
	gcc -static -O2 -Wall -Wextra -Werror -o "$work/mk-smoke" \
		"$here/smoke/mk-smoke.c" || return 1
	gcc -c -o "$work/payload.o" "$here/smoke/payload.S" &&
		ld -Ttext=0 -o "$work/payload.elf" "$work/payload.o" &&
		objcopy -O binary -j .text "$work/payload.elf" "$work/payload.bin" ||
		return 1
	# Position independent: the object may only carry PC-relative relocations.
	if readelf -rW "$work/payload.o" | awk 'NR > 3 && NF >= 3 { print $3 }' |
		grep -qv '^R_X86_64_PC32$'; then
		echo "payload.S has absolute relocations" >&2
		return 1
	fi
}

# The one TCG flake we know of (see qemu_known_tcg_flake in the harness).
mk_tcg_flake() { qemu_known_tcg_flake "$1"; }
