#!/bin/bash
# spawned-initramfs.sh OUT.cpio.gz [uptime]: the initramfs of a spawned (second) kernel.
# Its /init says it is alive, with the local APIC id of the CPU it runs on
# (its own CPU numbering starts at 0 again) and its command line, then idles.
# With "uptime" it prints "SPAWNED-UPTIME <seconds>" from its /proc/uptime once a
# second (by its own clock) instead of idling, for comparing its clock with the host's.
# It never reboots: that would reset the machine the host runs on.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../qemu/mkinitramfs.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
echo "SPAWNED-INIT-OK on APIC id $(sed -n 's/^apicid[^0-9]*//p' /proc/cpuinfo | head -n1) cmdline: $(cat /proc/cmdline)"
INIT
if [[ ${2:-} == uptime ]]; then
	# shellcheck disable=SC2016 # expanded by the guest
	echo 'while :; do echo "SPAWNED-UPTIME $(cut -d" " -f1 /proc/uptime)"; sleep 1; done' >>"$work/init"
else
	echo 'while :; do sleep 3600; done' >>"$work/init"
fi
mkinitramfs "$1" "$work/init"
