#!/bin/bash
# tests/qemu/serial-log.sh FIFO RAW LOG - copy one guest serial port to files.
#
# RAW gets the bytes exactly as the guest sent them, written as soon as they
# arrive (tee does not buffer), so qemu_wait sees partial lines too.  LOG gets
# one line per guest line, prefixed with seconds since this reader started:
#     [   3.141] Linux version 6.12...
# Both end when qemu closes the FIFO.
set -u
fifo=$1 raw=$2 log=$3

# EPOCHREALTIME is "seconds.microseconds"; integer microseconds avoid forks.
now_us() { local t=${EPOCHREALTIME/./}; echo $((10#$t)); }
start=$(now_us)

stamp()
{
	local line now d
	while IFS= read -r line || [[ -n $line ]]; do
		now=${EPOCHREALTIME/./}
		d=$((10#$now - start))
		line=${line//$'\r'/}
		printf '[%4d.%03d] %s\n' $((d / 1000000)) $((d / 1000 % 1000)) "$line"
	done
}

tee -a "$raw" <"$fifo" | stamp >>"$log"
