#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# tests/kernel/smoke-test.sh - boot the multikernel test kernel in QEMU and
# start a flat payload on an offline CPU through the RFC v1 user ABI.
#
# Guest: the test kernel (tests/kernel/build.sh, or $MK_TEST_KERNEL), -smp 2,
# 1 GiB, memmap=256M$0x20000000, two serial ports.  Its /init
# (smoke/init.sh) offlines CPU 1, checks /proc/multikernel and the reboot(2)
# errors, loads smoke/payload.S at 0x20000000 with KEXEC_MULTIKERNEL, starts
# it on CPU 1, waits for the payload's magic word through /dev/mem, checks
# the entry state the payload recorded, and unloads.  The payload itself
# prints MK-PAYLOAD-ALIVE on COM2.
#
# Prints one PASS/FAIL/SKIP line per check (tests/README.md); exits 1 if any
# failed.  A run that fails and shows the known TCG "Oops: int3" signature
# is retried once, saying so; nothing else is retried.
set -u
here=$(cd "$(dirname "$0")" && pwd)

T="kernel-smoke"
# '$' is literal: qemu passes -append as is; memmap=SIZE$ADDR is e820 reserved.
# shellcheck disable=SC2016
APPEND='console=ttyS0 panic=-1 memmap=256M$0x20000000'
# Checks printed by smoke/init.sh, in order.
CHECKS=(memmap-reserved cpu1-offline proc-empty kick-nothing-loaded load
	proc-one-image kick-online-cpu kick-no-such-cpu kick-bad-pointer
	kick-after-efault kick-cpu1 payload-magic entry-state unload
	proc-empty-after-unload unload-again)

work=$(mktemp -d "${TMPDIR:-/tmp}/mk-smoke.XXXXXX")
# shellcheck source=smoke/common.sh
. "$here/smoke/common.sh"
# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() { qemu_cleanup; rm -rf "$work"; }
trap cleanup EXIT

build_guest_files()
{
	mk_build_tools &&
		mkinitramfs "$work/initrd.cpio.gz" "$here/smoke/init.sh" \
			"$work/mk-smoke:/bin/mk-smoke" "$work/payload.bin:/payload.bin" \
			"$here/smoke/mk-checks.sh:/lib/mk-checks.sh"
}

run_guest()
{
	local name=$1
	result=()
	qemu_start "$name" "$KERNEL" "$work/initrd.cpio.gz" "$APPEND" 2 1024 2 180 || return 1
	mk_collect_checks "$name"
	qemu_wait "$name" 1 "MK-PAYLOAD-ALIVE" 5 && result[payload-com2]=ok || result[payload-com2]=fail
	qemu_wait "$name" 0 "MK-HOST-SAW-PAYLOAD" 5 && result[host-com1]=ok || result[host-com1]=fail
	qemu_wait "$name" 0 "MK-SMOKE-DONE" 30 && result[guest-done]=ok || result[guest-done]=fail
	qemu_wait_exit "$name" 30 || qemu_stop "$name"
}

main()
{
	local t0=$SECONDS

	mk_prepare
	mk_run_guest smoke smoke-retry
	mk_report "${CHECKS[@]}" payload-com2 host-com1 guest-done
	echo "$T: $((SECONDS - t0)) s" >&2
	t_exit
}

main "$@"
