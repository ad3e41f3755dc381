#!/bin/bash
# build-variant.sh DIR [configure args...]: configure and build the tree in DIR
# (out of tree, warnings as errors) and report it as one PASS/FAIL line.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$1; shift
name=build/$(basename "$dir")
mkdir -p "$dir"
cd "$dir" || exit 1
# Objects built with other flags, compiler or C library (say glibc, now musl) must not
# be linked: a change of the arguments (or none recorded) starts the build afresh.
[ -f config.args ] && [ "$(cat config.args)" = "$*" ] || rm -rf build
if ! "$top/configure" --enable-werror "$@" >config.out 2>&1; then
	echo "FAIL: $name (configure $*)"; tail -n 30 config.out; exit 1
fi
echo "$*" >config.args
if ! make -s -j"$(nproc)" >make.out 2>&1; then
	echo "FAIL: $name (make)"; tail -n 40 make.out; exit 1
fi
echo "PASS: $name"
