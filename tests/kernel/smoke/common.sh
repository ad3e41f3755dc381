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

# The test scripts below share one shape: mk_prepare, mk_run_guest, mk_report.
# Each defines build_guest_files (the initramfs) and run_guest NAME, which boots
# the guest and fills result[CHECK] with ok, fail or missing.
declare -A result

# The kernel and the guest files, or a FAIL line and exit.
mk_prepare()
{
	if ! mk_find_kernel; then
		t_fail "$T/kernel-build"
		exit 1
	fi
	if ! build_guest_files >"$work/guest-build.log" 2>&1; then
		cat "$work/guest-build.log"
		t_fail "$T/guest-files"
		exit 1
	fi
}

# result[c] for each of CHECKS from the guest's "MK-CHECK <c> ok|..." lines on ttyS0.
mk_collect_checks()
{
	local name=$1 c log
	log=$(qemu_log "$name" 0)
	for c in "${CHECKS[@]}"; do
		if ! qemu_wait "$name" 0 "MK-CHECK $c " 60; then
			result[$c]=missing
			continue
		fi
		grep -qaF "MK-CHECK $c ok" "$log" && result[$c]=ok || result[$c]=fail
	done
}

_mk_any_failed()
{
	local k
	for k in "${!result[@]}"; do
		[[ ${result[$k]} == ok ]] || return 0
	done
	return 1
}

# Boot the guest as NAME; if a check failed and the logs show the one TCG
# flake we know is not ours (qemu_known_tcg_flake), boot it once more as
# RETRY_NAME and say so.  MK_GUEST is the name whose results stand.
mk_run_guest()
{
	MK_GUEST=$1
	t_begin
	run_guest "$MK_GUEST"
	if _mk_any_failed && qemu_known_tcg_flake "$MK_GUEST"; then
		echo "NOTE: $T: guest hit the known TCG 'Oops: int3' flake; retrying once" >&2
		qemu_logs_tail "$MK_GUEST" 30
		MK_GUEST=$2
		t_begin
		run_guest "$MK_GUEST"
	fi
}

# One PASS/FAIL line per check named.
mk_report()
{
	local c
	for c; do
		case ${result[$c]:-missing} in
		ok) t_pass "$T/$c" ;;
		missing)
			echo "$T/$c: no result (guest stopped or timed out)" >&2
			t_fail "$T/$c" ;;
		*) t_fail "$T/$c" ;;
		esac
	done
	# Show what each step printed, to read the numbers behind a PASS too.
	[[ -n ${MK_SMOKE_VERBOSE:-} ]] && qemu_logs_tail "$MK_GUEST" 200
	return 0
}
