#!/bin/bash
# shellcheck disable=SC2016 # the $ in -append is for the guest
# tests/multikernel/test-serial-ports.sh KEXEC_STATIC MK_KERNEL
#
# Two spawned kernels, each on its own serial port (issue 17): an admin's
# two plain commands on a -smp 3 host, A on CPU 1 with the default console
# (ttyS1), then B on CPU 2 with --serial=ttyS3 and ttyS2 (both refused: its
# 8250 driver would reset A's port), and again with A on ttyS2 and B on ttyS1.
# Each spawned /init prints a tagged line every 2 s on its console (its tty,
# as a user's program would), the host prints one on its own ttyS0.  For
# 30 s after B's start, A, B and the host must keep printing, or kexec must
# refuse B's layout with its reason.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../qemu/harness.sh"
kexec=$1 kernel=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/mk-ports.XXXXXX")
# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() { qemu_cleanup; rm -rf "$work"; }
trap cleanup EXIT

cat >"$work/spawned-init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t devtmpfs devtmpfs /dev 2>/dev/null
tag=$(sed -n 's/.*mktag=\([A-Z]*\).*/\1/p' /proc/cmdline)
n=0
while :; do
	n=$((n + 1))
	echo "MK-TAG-$tag $n $(cut -d' ' -f1 /proc/uptime)"
	if [ -n "${MK_DIAG:-}" ] || grep -q mkdiag /proc/cmdline; then
		echo "MK-KMSG-$tag $n $(cut -d' ' -f1 /proc/uptime)" >/dev/kmsg
		[ $((n % 3)) = 1 ] && grep -E '^ *(0|3|4|LOC|SPU|ERR):' /proc/interrupts |
			tr -s ' ' | sed "s/^/MK-IRQ-$tag /" >/dev/kmsg
		[ $((n % 3)) = 1 ] && echo "MK-CLK-$tag $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource) $(cat /sys/devices/system/clockevents/clockevent0/current_device 2>/dev/null)" >/dev/kmsg
	fi
	sleep 2
done
INIT
mkinitramfs "$work/spawned.gz" "$work/spawned-init" || { t_fail multikernel/serial-ports/initramfs; t_exit; }

cat >"$work/init" <<'INIT'
#!/bin/sh
. /lib/guest-lib.sh
guest_setup
exec </dev/ttyS0 >/dev/ttyS0 2>&1
go() { echo "WAITING $1"; read -r line; }
ms() { cut -d' ' -f1 /proc/uptime; }
go phase-a
read -r serial_a rest </layout
/sbin/kexec --multikernel --cpu=1 --offline-cpu --serial="$serial_a" /bzImage --initrd=/spawned.gz --append="mktag=A $(cat /mkextra)"
echo "KEXEC-A-STATUS $?"
go phase-b
echo "B-START $(ms)"
# Every port B is tried on, in order; the last is the one that counts.
for serial in $rest; do
	/sbin/kexec --multikernel --cpu=2 --offline-cpu --serial="$serial" /bzImage --initrd=/spawned.gz --append="mktag=B $(cat /mkextra)"
	echo "KEXEC-B-STATUS-$serial $? $(ms)"
done
n=0
while [ $n -lt 30 ]; do n=$((n + 1)); echo "MK-TAG-HOST $n $(ms)"; sleep 2; done
/sbin/kexec --multikernel --list
go end
guest_poweroff
INIT
window=30
ts() { sed -n "s/^\[ *\([0-9.]*\)\] .*$1.*/\1/p" "$2" | head -n1; }
# tags LOG TAG FROM TO: "count last" of TAG's lines that arrived in [FROM, FROM+TO]
tags() {
	tr -d '\r' <"$1" | awk -v m="MK-TAG-$2 " -v a="$3" -v w="$4" '
		index($0, m) { t = substr($0, 2, index($0, "]") - 2) + 0
			if (t >= a && t <= a + w) { n++; last = t - a } }
		END { printf "%d %.1f\n", n, last }'
}
# keeps_printing_quiet COUNT LAST MIN: at least MIN lines, the last in the window's last 6 s
keeps_printing_quiet() {
	(($1 >= $3)) && awk -v l="$2" -v w=$window 'BEGIN { exit !(l >= w - 6) }'
}
# keeps_printing NAME COUNT LAST MIN: the same as a PASS or FAIL line
keeps_printing() {
	if keeps_printing_quiet "$2" "$3" "$4"; then t_pass "$1"; else t_fail "$1"; fi
}

# refusal A-PORT: the part of kexec's refusal of B that names its reason
refusal() { echo "the new kernel's 8250 driver would reset $1, the console of the instance on CPU 1"; }

# layout NAME "A-PORT B-PORT..." REFUSED-PORTS: A on A-PORT, then B tried on each B-PORT;
# each of REFUSED-PORTS must be refused with exit 28 and its reason, the last B-PORT
# must start unless it is among them.  Then 30 s of A, B (when started) and the host.
layout() {
	local name=$1 ports=$2 refused=$3 host=mk-ports-$1 tb na la nb lb nh lh p a b bstarted=1
	local T=multikernel/serial-ports/$name log0
	read -r a _ <<<"$ports"; b=${ports##* }
	echo "$ports" >"$work/layout"
	echo "${MK_EXTRA:-}" >"$work/mkextra"
	mkinitramfs "$work/initrd-$name.gz" "$work/init" "$kexec:/sbin/kexec" "$kernel:/bzImage" \
		"$work/spawned.gz:/spawned.gz" "$work/layout:/layout" "$work/mkextra:/mkextra" ||
		{ t_fail "$T/initramfs"; return; }
	t_begin
	qemu_start "$host" "$kernel" "$work/initrd-$name.gz" \
		'console=ttyS0 memmap=0x60000$0x20000 memmap=512M$0x20000000 hpet=disable' \
		3 1024 4 300 || { t_fail "$T/qemu"; return; }
	log0=$(qemu_log "$host" 0)
	qemu_wait "$host" 0 "WAITING phase-a" 150 && qemu_send "$host" 0 $'go\r' &&
	qemu_wait "$host" 0 "KEXEC-A-STATUS 0" 90 && qemu_wait "$host" "${a#ttyS}" "MK-TAG-A 2" 90 ||
		{ t_fail "$T/a-runs"; qemu_stop "$host"; return; }
	qemu_wait "$host" 0 "WAITING phase-b" 10 && qemu_send "$host" 0 $'go\r'
	qemu_wait "$host" 0 "KEXEC-B-STATUS-$b" 90 || { t_fail "$T/b-kexec-returns"; qemu_stop "$host"; return; }
	tb=$(ts B-START "$log0")
	# Waited for in the raw log: the timestamped one can lag a line behind.
	for p in $refused; do
		if qemu_wait "$host" 0 "KEXEC-B-STATUS-$p 28 " 10 &&
		   qemu_wait "$host" 0 "$(refusal "$a")" 10; then
			t_pass "$T/b-on-$p-refused"
		else
			t_fail "$T/b-on-$p-refused"
		fi
		[[ $p == "$b" ]] && bstarted=0
	done
	if ((bstarted)); then
		qemu_wait "$host" 0 "KEXEC-B-STATUS-$b 0 " 10 && t_pass "$T/b-on-$b-started" || t_fail "$T/b-on-$b-started"
	fi
	sleep $((window + 4))
	qemu_send "$host" 0 $'go\r'
	read -r na la < <(tags "$(qemu_log "$host" "${a#ttyS}")" A "$tb" $window)
	read -r nb lb < <(tags "$(qemu_log "$host" "${b#ttyS}")" B "$tb" $window)
	read -r nh lh < <(tags "$log0" HOST "$tb" $window)
	echo "$T: in the $window s after B's start: A ($a) $na lines, last at +$la s; B ($b) $nb lines, last at +$lb s; host (ttyS0) $nh lines, last at +$lh s"
	keeps_printing "$T/a-keeps-printing" "$na" "$la" 12
	((bstarted)) && keeps_printing "$T/b-keeps-printing" "$nb" "$lb" 12
	keeps_printing "$T/host-keeps-printing" "$nh" "$lh" 12
	qemu_stop "$host"
}

if [[ -n ${MK_LAYOUTS:-} ]]; then	# by hand: MK_LAYOUTS="name:A B...:refused;..."
	IFS=';' read -ra ls <<<"$MK_LAYOUTS"
	for l in "${ls[@]}"; do IFS=: read -r n p r <<<"$l"; layout "$n" "$p" "$r"; done
	t_exit
fi
# A on ttyS1 (the default): B on ttyS3 and on ttyS2 would reset it, refused.
layout a-ttyS1 "ttyS1 ttyS3 ttyS2" "ttyS3 ttyS2"
# A on ttyS2: B on ttyS1 resets no port of A's, and on their own ACPI tables
# neither takes the 8259's interrupts (with acpi=off both ttys stopped in 3 of
# 4 runs, and kexec refuses that: the dry-run case mk-serial-shared-pic).
layout a-ttyS2 "ttyS2 ttyS1" ""
t_exit
