#!/bin/bash
# shellcheck disable=SC2016 # the $ in typed commands and -append is for the guest
# tests/multikernel/test-host-serial.sh KEXEC_STATIC MK_KERNEL
#
# The host keeps its serial console after a spawn, and the spawned kernel's
# clock keeps pace with the host's.  One host boot (the test kernel, -smp 2,
# console=ttyS0 and the reservations kexec(8) MULTIKERNEL asks for), driven only through
# an interactive shell on the host's ttyS0, the port the spawned kernel's
# 8250 driver resets (it registers ttyS0 and its own ttyS1):
#   1. the test types the kexec command into that shell; the spawned Linux
#      prints its banner, its /init's line and then its uptime once a second
#      on ttyS1 (COM2);
#   2. once kexec has returned and the spawned /init runs, the test types a
#      command on ttyS0 and reads its answer there;
#   3. the test types a loop that prints the host's uptime once a second for
#      22 s; the rates of both uptimes against the test's own clock (least
#      squares over every line) must agree within 1 %.
# Prints the TSC source kexec used and the measured drift.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../qemu/harness.sh"
kexec=$1 kernel=$2
T=multikernel/host-serial
work=$(mktemp -d "${TMPDIR:-/tmp}/mk-serial.XXXXXX")
# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() { qemu_cleanup; rm -rf "$work"; }
trap cleanup EXIT

"$here/spawned-initramfs.sh" "$work/initrd-spawned.gz" uptime || { t_fail $T/initramfs; t_exit; }
# PID 1 is the interactive shell: its stdin, stdout and stderr are the host's ttyS0.
cat >"$work/init" <<'INIT'
#!/bin/sh
. /lib/guest-lib.sh
guest_setup
echo "HOST-SHELL-READY"
exec sh -i </dev/ttyS0 >/dev/ttyS0 2>&1
INIT
mkinitramfs "$work/initrd.gz" "$work/init" "$kexec:/sbin/kexec" "$kernel:/bzImage" \
	"$work/initrd-spawned.gz:/initrd-spawned.gz" || { t_fail $T/initramfs; t_exit; }

host=mk-serial
type_line() { qemu_send $host 0 "$1"$'\r'; }
on_host() { qemu_wait $host 0 "$1" "${2:-60}"; }
on_spawned() { qemu_wait $host 1 "$1" "${2:-60}"; }

run_guest()
{
	qemu_start $host "$kernel" "$work/initrd.gz" \
		'console=ttyS0 memmap=0x60000$0x20000 memmap=256M$0x20000000 hpet=disable' \
		2 1024 2 300 || return 1
	on_host "HOST-SHELL-READY" 120 || return 1
	sleep 1
	type_line 'a=$(cut -d" " -f1 /proc/uptime); /sbin/kexec -d --multikernel --cpu=1 --offline-cpu /bzImage --initrd=/initrd-spawned.gz; echo KEXEC-STATUS-$? took $a $(cut -d" " -f1 /proc/uptime)'
	on_spawned "Linux version" 90 && on_spawned "SPAWNED-INIT-OK" 120 &&
		on_host "KEXEC-STATUS-0" 60
}

t_begin
run_guest
if ! grep -qaF "SPAWNED-INIT-OK" "$(qemu_log $host 1)" && qemu_known_tcg_flake $host; then
	echo "NOTE: $T: guest hit the known TCG 'Oops: int3' flake; retrying once" >&2
	qemu_stop $host
	t_begin
	run_guest
fi

if grep -qaF "KEXEC-STATUS-0" "$(qemu_log $host 0)" && grep -qaF "SPAWNED-INIT-OK" "$(qemu_log $host 1)"; then
	t_pass $T/spawned-linux-up
else
	t_fail $T/spawned-linux-up
	qemu_stop $host
	t_exit
fi
tsc_line=$(grep -aoE 'TSC frequency .*' "$(qemu_log $host 0)" | head -n1)
echo "$T: kexec said: ${tsc_line:-no TSC line}"
grep -aoE "host serial ports the new kernel's 8250 driver resets: [^;]*" "$(qemu_log $host 0)" | head -n1
# The shell holds ttyS0, so kexec re-arms it, and says so: right after the
# spawned kernel's log shows its 8250 driver registered its ports (issue 23),
# not on a 10 s schedule, so the command returns well before 10 s.
grep -aE "multikernel: (re-armed|booted)" "$(qemu_log $host 0)"
took=$(tr -d '\r' <"$(qemu_log $host 0)" | sed -n 's/.*KEXEC-STATUS-0 took \([0-9.]*\) \([0-9.]*\)$/\1 \2/p' |
	awk '{ printf "%.2f", $2 - $1 }')
echo "$T: the kexec command took ${took:-?} s (load, start, re-arm, boot wait)"
if grep -qaE "multikernel: re-armed ttyS0 [0-9.]+ s after the kick: its 8250 driver registered its ports" \
	"$(qemu_log $host 0)" && [[ -n $took ]] && awk -v t="$took" 'BEGIN { exit !(t < 10) }'; then
	t_pass $T/kexec-re-arms-open-ttyS0-when-its-log-says
else
	t_fail $T/kexec-re-arms-open-ttyS0-when-its-log-says
fi

# 2. The host's shell on ttyS0 answers after the spawned kernel's driver probed.
type_line 'echo HOST-SHELL-$((6*7))'
if on_host "HOST-SHELL-42" 20; then t_pass $T/host-shell-answers-on-ttyS0
else t_fail $T/host-shell-answers-on-ttyS0; fi
if on_spawned "SPAWNED-UPTIME" 20; then t_pass $T/spawned-prints-on-ttyS1
else t_fail $T/spawned-prints-on-ttyS1; fi

# 3. 22 s of both uptimes, each line stamped on arrival by the test's clock.
# (The shell echoes what is typed: markers the test waits for are split by "" there.)
type_line 'i=0; while [ $i -lt 22 ]; do echo HOST-UPTIME $(cut -d" " -f1 /proc/uptime); sleep 1; i=$((i+1)); done; echo HOST-UPTIME-DO""NE'
if on_host "HOST-UPTIME-DONE" 60; then
	# Least-squares slope of guest uptime against arrival time, for lines
	# whose arrival lies within [from, to] of that port's log clock.
	slope() { # log marker -> "slope span n"
		tr -d '\r' <"$1" | awk -v m="$2" '
			$0 ~ "\\] " m " [0-9.]+$" { x = substr($0, 2, index($0, "]") - 2) + 0; y = $NF + 0
				n++; sx += x; sy += y; sxx += x * x; sxy += x * y
				if (n == 1) x0 = x; x1 = x }
			END { if (n < 3) { print "0 0 " n; exit }
			      printf "%.6f %.1f %d\n", (n * sxy - sx * sy) / (n * sxx - sx * sx), x1 - x0, n }'
	}
	# The spawned lines printed while the host's loop ran: from its first to its last line.
	first=$(grep -a 'HOST-UPTIME [0-9]' "$(qemu_log $host 0)" | head -n1 | sed 's/^\[ *\([0-9.]*\)\].*/\1/')
	last=$(grep -a 'HOST-UPTIME [0-9]' "$(qemu_log $host 0)" | tail -n1 | sed 's/^\[ *\([0-9.]*\)\].*/\1/')
	awk -v a="$first" -v b="$last" '{ t = substr($0, 2, index($0, "]") - 2) + 0 } t >= a && t <= b' \
		"$(qemu_log $host 1)" >"$work/spawned-window.log"
	read -r hs hspan hn < <(slope "$(qemu_log $host 0)" HOST-UPTIME)
	read -r ss sspan sn < <(slope "$work/spawned-window.log" SPAWNED-UPTIME)
	drift=$(awk -v h="$hs" -v s="$ss" 'BEGIN { if (h > 0) printf "%.3f", (s / h - 1) * 100; else print "nan" }')
	echo "$T: host uptime rate $hs ($hn lines over $hspan s), spawned $ss ($sn lines over $sspan s): drift $drift %"
	if awk -v d="$drift" -v hspan="$hspan" -v sspan="$sspan" 'BEGIN {
		exit !(d != "nan" && d < 1 && d > -1 && hspan >= 18 && sspan >= 18) }'; then
		t_pass $T/clocks-keep-pace-20s
	else
		t_fail $T/clocks-keep-pace-20s
	fi
else
	t_fail $T/clocks-keep-pace-20s
fi
qemu_stop $host
t_exit
