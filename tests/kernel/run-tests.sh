#!/bin/bash
# tests/kernel/run-tests.sh - build (or reuse) the multikernel test kernel and
# run every tests/kernel/*-test.sh against it.
#
# Prints the tests' PASS/FAIL/SKIP lines (tests/README.md) and exits 1 if the
# kernel build or any test failed.  The kernel is built once here and handed
# to the tests in MK_TEST_KERNEL.
set -u
here=$(cd "$(dirname "$0")" && pwd)

if ! MK_TEST_KERNEL=$("$here/build.sh" | tail -n 1) || [[ ! -s $MK_TEST_KERNEL ]]; then
	echo "FAIL: kernel/build"
	exit 1
fi
echo "PASS: kernel/build"
export MK_TEST_KERNEL

rc=0
for t in "$here"/*-test.sh; do
	[[ -x $t ]] || continue
	"$t" || rc=1
done
exit $rc
