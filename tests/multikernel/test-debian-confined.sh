#!/bin/bash
# tests/multikernel/test-debian-confined.sh KEXEC_STATIC MK_KERNEL [SERIES]
#
# SERIES: 6.12 (the default) or 6.1, Debian 12's default kernel
# (tests/lib/debian-kernel.sh SERIES); the test names carry it for 6.1.
# By hand: MK_CONFINED_EXTRA="..." adds kexec options to both cases,
# MK_CONFINED_ONLY=1 runs the confined case alone.
#
# A stock Debian 6.12 kernel (tests/lib/debian-kernel.sh) spawned on CPU 1 of
# a host that keeps writing and read-verifying its virtio-blk disk (O_DIRECT,
# a fresh random 64 KiB block per round) and serving a 64 KiB file over its
# virtio-net NIC (busybox httpd behind QEMU's user network; this script
# fetches it through a host forward in a loop and compares every copy)
# across the spawn.  Two host boots:
#
#   confined   the default command line: the spawned kernel reaches /init,
#              sees no PCI device, no i8042 port, no RTC and no I/O APIC but
#              its own (never the host's), and the host's disk and NIC keep
#              making progress for 20 s after that, with no error, no failed
#              or wrong transfer, before, during or after;
#   unguarded  the same, with the user turning PCI back on
#              (--append="acpi=noirq pci=conf1": with ACPI's interrupt
#              routing on, Linux finds PCI only through the ACPI namespace,
#              and its own tables have no host bridge) and dropping the
#              virtio_pci guard: the
#              spawned kernel binds the host's disk and NIC and resets them,
#              and neither makes progress in the 20 s after its /init (every
#              fetch times out); the last good copy came within a few
#              seconds before the spawned kernel's virtio-pci probe, not at
#              the kick.  This proves the guard matters; it is the measured
#              harm, not a flake.
#
# Prints the spawned kernel's time to /init, the host disk's rounds and the
# NIC's transfers per second before the kick, during the spawn and after.
# A case whose guest hit the known TCG "Oops: int3" is run once more, and
# says so.  Cost: about 45 s per case (the NIC adds no boot).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../qemu/harness.sh"
. "$here/spawned-log.sh"
kexec=$1
host_kernel=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/mk-debian.XXXXXX")
fetch_pid=
# The fetch loop runs beside the guest: end it with the guests.
trap 'stop_fetch; qemu_cleanup' EXIT
series=${3:-6.12}
T=multikernel-debian
[[ $series == 6.12 ]] || T=multikernel-debian-$series
watch_s=20
fetch_s=5	# one fetch's limit: a reset NIC never answers

if ! debian=$("$here/../lib/debian-kernel.sh" "$series" 2>"$work/debian.err"); then
	t_skip "$T/confined" "cannot download linux-image-$series: $(tail -n1 "$work/debian.err")"
	t_skip "$T/unguarded" "cannot download linux-image-$series"
	exit 0
fi

# The spawned kernel's /init: what it found, then idle (never reboot: that
# would reset the machine the host runs on).
cat >"$work/spawned-init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
n=$(ls /sys/bus/pci/devices 2>/dev/null | wc -l)
echo "SPAWNED-PCI-DEVICES $n"
echo "SPAWNED-SERIO $(ls /sys/bus/serio/devices 2>/dev/null | tr '\n' ' ')."
echo "SPAWNED-RTC $(ls /sys/class/rtc 2>/dev/null | tr '\n' ' ')."
echo "SPAWNED-DEBIAN-INIT-OK cmdline: $(cat /proc/cmdline)"
while :; do sleep 3600; done
INIT
mkinitramfs "$work/initrd-spawned.gz" "$work/spawned-init" || { t_fail "$T/initramfs"; t_exit; }

# The host talks on ttyS2: the spawned kernel registers ttyS0 and ttyS1 only.
cat >"$work/init" <<'INIT'
#!/bin/sh
. /lib/guest-lib.sh
guest_setup
[ -c /dev/ttyS2 ] || mknod /dev/ttyS2 c 4 66
exec </dev/ttyS2 >/dev/ttyS2 2>&1
# One round: a fresh random block to one of 64 slots, written and read back
# around the page cache, compared.  A reset disk makes dd block for good.
disk_loop() {
	n=0
	while :; do
		n=$((n + 1))
		slot=$((n % 64))
		dd if=/dev/urandom of=/tmp/w bs=64k count=1 2>/dev/null
		if ! dd if=/tmp/w of=/dev/vda bs=64k seek=$slot oflag=direct conv=notrunc 2>/dev/null; then
			echo "DISK-ERROR write round $n"; continue
		fi
		if ! dd if=/dev/vda of=/tmp/r bs=64k skip=$slot count=1 iflag=direct 2>/dev/null; then
			echo "DISK-ERROR read round $n"; continue
		fi
		cmp -s /tmp/w /tmp/r || echo "DISK-MISMATCH round $n"
		echo "DISK-ROUND $n"
	done
}
[ -b /dev/vda ] && echo "HOST-HAS-DISK" || echo "HOST-NO-DISK"
# QEMU's user network forwards the test's fetches to 10.0.2.15:80.
if ifconfig eth0 10.0.2.15 netmask 255.255.255.0 up && httpd -p 80 -h /www; then
	echo "HOST-HAS-NIC"
else
	echo "HOST-NO-NIC"
fi
echo "WAITING spawn"
# The case's options, then after a '|' its --append text (which has spaces).
IFS='|' read -r extra append
set --
[ -n "$append" ] && set -- "--append=$append"
disk_loop &
sleep 3
echo "KICK-REQUESTED"
# CPU 1 goes offline before kexec runs: /proc/cpuinfo no longer lists its
# APIC id, so the MADT's id comes from purgatory on that CPU.
echo 0 >/sys/devices/system/cpu/cpu1/online
# $extra: the case's options, split on purpose.  The default --start-wait:
# purgatory hashing the 12 MB kernel for seconds under TCG reports progress.
/sbin/kexec --multikernel --cpu=1 --offline-cpu /vmlinuz --initrd=/initrd-spawned.gz $extra "$@"
echo "kexec status $?;"
while :; do sleep 3600; done
INIT
head -c 65536 /dev/urandom >"$work/blob"
mkinitramfs "$work/initrd.gz" "$work/init" "$kexec:/sbin/kexec" "$debian:/vmlinuz" \
	"$work/initrd-spawned.gz:/initrd-spawned.gz" "$work/blob:/www/blob" ||
	{ t_fail "$T/initramfs"; t_exit; }
truncate -s 16M "$work/disk.img"

# Seconds since qemu_start at which MARKER first appeared on ttyS<PORT>.
stamp() { grep -aF -- "$3" "$(qemu_log "$1" "$2")" | head -n1 | sed 's/^\[ *\([0-9.]*\)\].*/\1/'; }
rounds() { grep -acF 'DISK-ROUND' "$QEMU_LOGDIR/$1.ttyS2.raw"; }

# A local TCP port nothing listens on, for QEMU's host forward.
free_port() {
	local p
	for p in $(shuf -i 20000-60000 -n 20); do
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
	done
	return 1
}

# fetch_once PORT OUT: one HTTP/1.0 GET of /blob through bash's /dev/tcp
# (busybox-static's wget crashes on some machines; curl is not a dependency).
fetch_once() {
	timeout -k 1 "$fetch_s" bash -c '
		exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
		printf "GET /blob HTTP/1.0\r\nHost: host\r\n\r\n" >&3
		cat <&3 >"$2"' fetch "$1" "$2" 2>/dev/null
}

# fetch_loop PORT LOG: fetch the host's file until killed; one line per
# fetch, "OK|BAD|ERR <end time>": BAD a wrong copy, ERR no answer within
# $fetch_s s (or a refused connection, after which it pauses).
fetch_loop() {
	local port=$1 log=$2 got=$2.got
	while :; do
		rm -f "$got"
		if ! fetch_once "$port" "$got"; then
			echo "ERR $EPOCHREALTIME" >>"$log"
			sleep 0.5
		elif head -n1 "$got" | grep -q '^HTTP/1\.[01] 200 ' &&
		     tail -c 65536 "$got" | cmp -s - "$work/blob"; then
			echo "OK $EPOCHREALTIME" >>"$log"
		else
			echo "BAD $EPOCHREALTIME" >>"$log"
		fi
	done
}

# net_count LOG KIND FROM TO: lines of KIND that ended in [FROM, TO).
net_count() { awk -v k="$2" -v a="$3" -v b="$4" '$1 == k && $2 >= a && $2 < b' "$1" | wc -l; }

# net_window NAME WINDOW FROM TO: sets net_ok_WINDOW (good copies) and
# net_bad_WINDOW (wrong or failed) and appends the window to net_text.
net_window() {
	local log=$QEMU_LOGDIR/$1.fetches ok bad err s
	ok=$(net_count "$log" OK "$3" "$4")
	bad=$(net_count "$log" BAD "$3" "$4")
	err=$(net_count "$log" ERR "$3" "$4")
	s=$(echo "$4 - $3" | bc -l)
	printf -v "net_ok_$2" %d "$ok"
	printf -v "net_bad_$2" %d $((bad + err))
	net_text+=$(printf '; %s %.1f/s (%d ok, %d wrong, %d failed in %.1f s)' \
		"$2" "$(echo "$ok / $s" | bc -l)" "$ok" "$bad" "$err" "$s")
}

# net_report NAME: the host NIC's fetches before the kick, during the spawn
# (kexec started to the spawned /init) and in the watch after /init; sets
# net_gap, the longest time without a good copy from the first to the end,
# and net_last_ok, when the last good copy came.
net_report() {
	local log=$QEMU_LOGDIR/$1.fetches
	net_text=
	net_window "$1" before "$t_fetch" "$t_req"
	net_window "$1" during "$t_req" "$t_init"
	net_window "$1" after "$t_init" "$t_end"
	read -r net_gap net_last_ok < <(awk -v a="$t_fetch" -v b="$t_end" '
		$1 == "OK" && $2 >= a && $2 < b { if (n++ && $2 - p > g) g = $2 - p; p = $2 }
		END { if (b - p > g) g = b - p; printf "%.3f %s\n", g, p }' "$log")
	printf '%s: %s host NIC fetches%s; longest time without a good copy %s s\n' \
		"$T" "$1" "$net_text" "$net_gap"
}

# serial_abs NAME PORT MARKER: the wall-clock time MARKER appeared on ttyS<PORT>.
serial_abs() {
	local s
	s=$(stamp "$1" "$2" "$3")
	[[ -n $s ]] && echo "$(<"$QEMU_LOGDIR/$1.start") + $s" | bc
}

stop_fetch() {
	[[ -n $fetch_pid ]] && { kill "$fetch_pid" 2>/dev/null; wait "$fetch_pid" 2>/dev/null; }
	fetch_pid=
}
# stop_case NAME: the guest and its fetch loop.
stop_case() { stop_fetch; qemu_stop "$1"; }

# run_once NAME EXTRA: boot, spawn, watch.  Sets init_s, during, after, bad,
# and the fetch windows' boundaries t_fetch, t_req, t_init, t_end; on
# failure failed_step names the first step that did not happen.
run_once() {
	local g=$1 extra=$2 at_kick at_init port i
	init_s='' during='' after='' bad='' failed_step=
	port=$(free_port) || { failed_step=free-port; return 1; }
	qemu_start "$g" "$host_kernel" "$work/initrd.gz" \
		'console=ttyS0 memmap=0x60000$0x20000 memmap=256M$0x20000000 hpet=disable' \
		2 1024 3 300 \
		-drive "file=$work/disk.img,format=raw,if=none,id=disk0,cache=none" \
		-device virtio-blk-pci,drive=disk0 \
		-netdev "user,id=net0,hostfwd=tcp:127.0.0.1:$port-:80" \
		-device virtio-net-pci,netdev=net0
	if ! qemu_wait "$g" 2 "WAITING spawn" 120 || ! qemu_wait "$g" 2 "HOST-HAS-DISK" 1 ||
	   ! qemu_wait "$g" 2 "HOST-HAS-NIC" 1; then
		failed_step=host-boot
		return 1
	fi
	# The NIC must serve before the kick: wait (bounded) for a first good
	# copy; the windows start there.
	: >"$QEMU_LOGDIR/$g.fetches"
	fetch_loop "$port" "$QEMU_LOGDIR/$g.fetches" &
	fetch_pid=$!
	for ((i = 0; i < 150; i++)); do
		grep -q '^OK ' "$QEMU_LOGDIR/$g.fetches" && break
		sleep 0.2
	done
	if ! grep -q '^OK ' "$QEMU_LOGDIR/$g.fetches"; then
		echo "$T: no good copy from the host in 30 s: $(cut -d' ' -f1 "$QEMU_LOGDIR/$g.fetches" | sort | uniq -c | xargs)"
		failed_step=host-nic-serves
		return 1
	fi
	t_fetch=$(awk '$1 == "OK" { print $2; exit }' "$QEMU_LOGDIR/$g.fetches")
	qemu_send "$g" 2 "$extra"$'\r'
	if ! qemu_wait "$g" 2 "KICK-REQUESTED" 30; then
		failed_step=host-starts-kexec
		return 1
	fi
	t_req=$EPOCHREALTIME
	if ! qemu_wait "$g" 2 "kexec status 0;" 150; then
		failed_step=kexec-loads-and-starts
		return 1
	fi
	at_kick=$(rounds "$g")
	if ! qemu_wait "$g" 1 "SPAWNED-DEBIAN-INIT-OK" 240; then
		failed_step=spawned-reaches-init
		return 1
	fi
	at_init=$(rounds "$g")
	t_init=$EPOCHREALTIME
	sleep "$watch_s"
	t_end=$EPOCHREALTIME
	# (The timestamped logs trail the raw ones by a line; read them after the watch.)
	init_s=$(echo "$(stamp "$g" 1 SPAWNED-DEBIAN-INIT-OK) - $(stamp "$g" 2 KICK-REQUESTED)" | bc)
	after=$(($(rounds "$g") - at_init))
	during=$((at_init - at_kick))
	bad=$(grep -aE 'DISK-(ERROR|MISMATCH)' "$QEMU_LOGDIR/$g.ttyS2.raw" | head -n3)
	return 0
}

# run_case NAME EXTRA: run_once, and once more if the first run hit the
# known TCG flake (harness.sh).  The guest is left running for the checks;
# the final guest's name is in g.
run_case() {
	g=$1
	t_begin
	run_once "$g" "$2" && return 0
	if qemu_known_tcg_flake "$g"; then
		echo "NOTE: $T/$1: the guest hit the known TCG 'Oops: int3'; retrying once"
		qemu_logs_tail "$g" 20
		stop_case "$g"
		g=$1-retry
		run_once "$g" "$2" && return 0
	fi
	t_fail "$T/$1-$failed_step"
	stop_case "$g"
	return 1
}

spawned_has() { grep -aqF -- "$2" "$QEMU_LOGDIR/$1.ttyS1.raw"; }
# The same outside the lines that echo the command line (which names i8042_init).
spawned_logs() { grep -aF -- "$2" "$QEMU_LOGDIR/$1.ttyS1.raw" | t_has -v 'ommand line\|cmdline:'; }

# --- confined: the default command line ---
if run_case confined "${MK_CONFINED_EXTRA:-}"; then
	printf '%s: spawned Debian kernel reached /init %s s after the kick; host disk rounds: %s during the spawn, %s in the %s s after /init\n' \
		"$T" "$init_s" "$during" "$after" "$watch_s"
	if ((after >= 10)) && [[ -z $bad ]]; then
		t_pass "$T/confined-host-disk-keeps-going"
	else
		echo "$T: $after rounds in ${watch_s} s after /init; errors: ${bad:-none}"
		t_fail "$T/confined-host-disk-keeps-going"
	fi
	net_report $g
	# Every fetch from the first good one to the end of the watch was good,
	# the NIC kept serving through the spawn and after it, and never paused
	# for 2 s (measured: ~0.1 s; a fetch takes ~0.04 s).
	if ((net_bad_before + net_bad_during + net_bad_after == 0 &&
	     net_ok_during >= 5 && net_ok_after >= 20)) && [[ $(echo "$net_gap < 2" | bc) == 1 ]]; then
		t_pass "$T/confined-host-nic-keeps-going"
	else
		t_fail "$T/confined-host-nic-keeps-going"
	fi
	# Its firmware view: our tables (their OEM id), one CPU, the host's none.
	if spawned_has $g "ACPI: XSDT" && grep -aq 'ACPI: XSDT .*KEXEC  MULTIKRN' "$QEMU_LOGDIR/$g.ttyS1.raw" &&
	   { spawned_has $g "Allowing 1 CPUs, 0 hotplug CPUs" ||			# 6.1
	     spawned_has $g "Allowing 1 present CPUs plus 0 hotplug CPUs"; } &&	# 6.12
	   spawned_has $g "Brought up 1 node, 1 CPU" &&
	   ! grep -aq 'ACPI: [A-Z0-9]\{4\} .*\(BOCHS\|BXPC\)' "$QEMU_LOGDIR/$g.ttyS1.raw"; then
		t_pass "$T/confined-own-acpi-tables-one-cpu"
	else
		t_fail "$T/confined-own-acpi-tables-one-cpu"
	fi
	# Its one I/O APIC is its own, never the host's (spawned-log.sh).
	if spawned_ioapic_is_own "$QEMU_LOGDIR/$g.ttyS1.raw"; then
		t_pass "$T/confined-own-ioapic-not-the-hosts"
	else
		t_fail "$T/confined-own-ioapic-not-the-hosts"
	fi
	# What the spawned kernel itself found, and what its boot log says.
	if spawned_has $g "SPAWNED-PCI-DEVICES 0" && spawned_has $g "PCI: System does not support PCI" &&
	   ! grep -aq '^pci 0000:\|\] pci 0000:' "$QEMU_LOGDIR/$g.ttyS1.raw"; then
		t_pass "$T/confined-no-pci-device"
	else
		t_fail "$T/confined-no-pci-device"
	fi
	if spawned_has $g "SPAWNED-SERIO ." && ! spawned_logs $g "i8042"; then
		t_pass "$T/confined-no-i8042"
	else
		t_fail "$T/confined-no-i8042"
	fi
	# (arch/x86 still registers the rtc_cmos platform device, which touches
	# nothing; the driver that would program the RTC never runs.)
	if spawned_has $g "SPAWNED-RTC ." && ! spawned_logs $g "registered as rtc" &&
	   ! spawned_logs $g "setting system clock"; then
		t_pass "$T/confined-no-rtc"
	else
		t_fail "$T/confined-no-rtc"
	fi
	stop_case $g
fi

# --- unguarded: the user hands PCI back; the host's disk is taken ---
if [[ -z ${MK_CONFINED_ONLY:-} ]] && run_case unguarded "${MK_CONFINED_EXTRA:-} --no-default-param=initcall_blacklist=virtio_pci_driver_init|acpi=noirq pci=conf1"; then
	printf '%s: unguarded spawn reached /init %s s after the kick; host disk rounds: %s during the spawn, %s in the %s s after /init\n' \
		"$T" "$init_s" "$during" "$after" "$watch_s"
	if ! spawned_has $g "SPAWNED-PCI-DEVICES 0" && ((after <= 1)); then
		t_pass "$T/unguarded-host-disk-stalls"
	else
		echo "$T: the spawned kernel with PCI on left the host's disk going ($after rounds in ${watch_s} s)"
		t_fail "$T/unguarded-host-disk-stalls"
	fi
	net_report $g
	# A reset NIC: no good copy after the spawned /init, every fetch timing
	# out; and the copies stopped when the spawned kernel's virtio_pci bound
	# the NIC (it resets a device as it registers it), not at the kick.
	probe=$(serial_abs $g 1 "virtio-pci 0000:")
	if [[ -n $probe ]]; then
		echo "$T: unguarded: the last good copy came $(echo "$net_last_ok - $probe" | bc) s after the spawned kernel's virtio-pci probe"
	fi
	if ((net_ok_after <= 1 && net_bad_after >= 2)); then
		t_pass "$T/unguarded-host-nic-stalls"
	else
		t_fail "$T/unguarded-host-nic-stalls"
	fi
	if [[ -n $probe ]] && [[ $(echo "$net_last_ok > $probe - 3 && $net_last_ok < $probe + 1" | bc) == 1 ]]; then
		t_pass "$T/unguarded-host-nic-stops-at-virtio-probe"
	else
		t_fail "$T/unguarded-host-nic-stops-at-virtio-probe"
	fi
	stop_case $g
fi
t_exit
