#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# tests/kernel/spawn-test.sh - the test kernel as the SPAWNED kernel.
#
# The host guest (-smp 2, 1 GiB, memmap=256M$0x20000000) loads the same
# bzImage as a multikernel image with `mk-smoke load-linux` (a 4-instruction
# purgatory and a boot_params whose e820 is the reservation plus 256 KiB of
# low RAM) and starts it on CPU 1.  Passes when the spawned kernel's banner
# and its /init's marker appear on COM2 and the host keeps running.
#
# Result lines per tests/README.md; exits 1 on failure.  Retried once only on
# the known TCG "Oops: int3" signature.
set -u
here=$(cd "$(dirname "$0")" && pwd)

T="kernel-spawn"
# shellcheck disable=SC2016 # '$' is literal for qemu -append.
APPEND='console=ttyS0 panic=-1 memmap=256M$0x20000000'
CHECKS=(cpu1-offline load-linux proc-one-image kick-cpu1)

work=$(mktemp -d "${TMPDIR:-/tmp}/mk-spawn.XXXXXX")
# shellcheck source=smoke/common.sh
. "$here/smoke/common.sh"
# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() { qemu_cleanup; rm -rf "$work"; }
trap cleanup EXIT

build_guest_files()
{
	mk_build_tools &&
		mkinitramfs "$work/spawned.cpio.gz" "$here/smoke/spawned-init.sh" &&
		mkinitramfs "$work/initrd.cpio.gz" "$here/smoke/spawn-init.sh" \
			"$work/mk-smoke:/bin/mk-smoke" \
			"$here/smoke/mk-checks.sh:/lib/mk-checks.sh" \
			"$KERNEL:/spawn/bzImage" "$work/spawned.cpio.gz:/spawn/initrd.cpio.gz"
}

run_guest()
{
	local name=$1 log beat
	result=()
	qemu_start "$name" "$KERNEL" "$work/initrd.cpio.gz" "$APPEND" 2 1024 2 240 || return 1
	log=$(qemu_log "$name" 0)
	mk_collect_checks "$name"
	qemu_wait "$name" 1 "Linux version" 60 && result[spawned-banner]=ok || result[spawned-banner]=fail
	qemu_wait "$name" 1 "MK-SPAWNED-INIT-ALIVE" 120 && result[spawned-init]=ok || result[spawned-init]=fail
	# The host must still be alive a few heartbeats after the spawned init ran.
	beat=$(grep -aoE 'MK-HOST-HEARTBEAT [0-9]+' "$log" | tail -n 1 | awk '{ print $2 }')
	qemu_wait "$name" 0 "MK-HOST-HEARTBEAT $((${beat:-0} + 3))" 30 &&
		result[host-survives]=ok || result[host-survives]=fail
	qemu_stop "$name"
}

main()
{
	local t0=$SECONDS

	mk_prepare
	mk_run_guest spawn spawn-retry
	mk_report "${CHECKS[@]}" spawned-banner spawned-init host-survives
	echo "$T: $((SECONDS - t0)) s" >&2
	t_exit
}

main "$@"
