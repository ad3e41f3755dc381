# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/purgatory/blob.sh: purgatory.bin run from harness.S in QEMU, for
# tests/purgatory/run-qemu and bench/purgatory-tcg.  Source it with $work
# (a scratch directory), $bin (purgatory.bin) and $here (tests/purgatory)
# set; the data the digests cover is $work/data, which harness.S copies
# to DATA_ADDR.
#
#   harness_build             harness.S -> $work/harness.elf; sets $landing
#                             (hex, no 0x) and $landing_hex; 1 on failure
#   make_blob OUT FLAGS NR "OFFSET:SIZE[:corrupt]"...
#                             purgatory.bin with the loader's fields filled

DATA_ADDR=$((0x2000000))

harness_build() {
	gcc -m32 -c "$here/harness.S" -o "$work/harness.o" &&
		ld -m elf_i386 -N -Ttext=0x100000 -e _start --no-warn-rwx-segments \
			-o "$work/harness.elf" "$work/harness.o" || return 1
	landing=$(nm "$work/harness.elf" | awk '$3 == "landing" { print $1 }')
	landing_hex=$(printf '%x' $((16#$landing)))
}

# put FILE OFFSET NBYTES VALUE: store VALUE little-endian.
put() {
	local bytes="" i
	for ((i = 0; i < $3; i++)); do
		bytes+=$(printf '\\x%02x' $((($4 >> (8 * i)) & 0xff)))
	done
	printf "$bytes" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# put_sha256 FILE OFFSET DATA_OFFSET SIZE: the digest of that part of the data.
put_sha256() {
	local hex
	hex=$(tail -c +$(($3 + 1)) "$work/data" | head -c "$4" | sha256sum | cut -c1-64)
	printf "$(echo "$hex" | sed 's/../\\x&/g')" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# make_blob OUT FLAGS NR_DIGESTS "OFFSET:SIZE[:corrupt]"...: fill the loader's fields.
make_blob() {
	local out=$1 flags=$2 nr=$3 i=0 spec off size entry
	shift 3
	cp "$bin" "$out"
	put "$out" $((0x10)) 8 $((16#$landing))	# jump_addr
	put "$out" $((0x18)) 8 $((0x90000))		# rsi: harness.S WANT_RSI
	put "$out" $((0x20)) 2 $((0x3f8))		# serial_port
	put "$out" $((0x22)) 2 "$flags"
	put "$out" $((0x24)) 4 "$nr"
	for spec in "$@"; do
		IFS=: read -r off size corrupt <<<"$spec"
		entry=$((0x28 + 48 * i))
		put "$out" "$entry" 8 $((DATA_ADDR + off))
		put "$out" $((entry + 8)) 8 "$size"
		if [ -n "$corrupt" ]; then
			put_sha256 "$out" $((entry + 16)) "$off" $((size - 1))
		else
			put_sha256 "$out" $((entry + 16)) "$off" "$size"
		fi
		i=$((i + 1))
	done
}

