#!/bin/bash
# build-payload.sh OUT PADDR: assemble elf-payload.S into a static ELF64
# executable whose single PT_LOAD sits at physical address PADDR.
# Prints the physical address of its magic word.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$1 paddr=$2
gcc -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,noexecstack \
	-Wl,-N -Wl,--no-warn-rwx-segments -Wl,-Ttext="$paddr" -Wl,-e,_start "$here/elf-payload.S" -o "$out"
nm "$out" | awk '$3 == "magic" { print "0x" $1 }'
