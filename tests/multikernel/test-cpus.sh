#!/bin/bash
# tests/multikernel/test-cpus.sh KEXEC_STATIC MK_KERNEL [SERIES]
#
# An instance of several CPUs (issue 19): on a -smp 4 host, a stock Debian
# kernel (tests/lib/debian-kernel.sh SERIES: 6.12, the default, or 6.1,
# Debian 12's default kernel) is spawned with
#
#   kexec --multikernel --cpu=1-2 --offline-cpu
#
# The kick starts CPU 1; the spawned kernel starts CPU 2 itself from its
# own MADT (the instance's two local APICs behind a never-started phantom
# entry, acpi-tables.c).  Checks:
#   - the spawned kernel brought up 2 CPUs ("smp: Brought up 1 node, 2
#     CPUs"; 6.12 disables the phantom as the machine's real boot CPU and
#     never limits itself to one), its /proc/cpuinfo lists two, and a busy
#     loop pinned to each of them runs there (/proc/self/stat's CPU field);
#   - the host's busy loops pinned to its CPUs 0 and 3 keep running through
#     the spawn and after it, and its online CPUs are 0 and 3;
#   - its IPIs are never the all-but-self shorthand, which would reach the
#     host's CPUs ("IPI shorthand broadcast: disabled", no_ipi_broadcast=1);
#   - its one I/O APIC is the window its MADT names, never the host's;
#   - 'kexec --multikernel --list' shows one instance holding CPUs 1-2;
#   - a load asking for CPU 2 while it runs is refused: exit status 20 and
#     one line naming the rule and the instance.
# A guest that hit the known TCG "Oops: int3" is run once more, and says so.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../qemu/harness.sh"
. "$here/spawned-log.sh"
kexec=$1
host_kernel=$2
series=${3:-6.12}
work=$(mktemp -d "${TMPDIR:-/tmp}/mk-cpus.XXXXXX")
trap 'qemu_cleanup; rm -rf "$work"' EXIT
T=multikernel-cpus
[[ $series == 6.12 ]] || T=multikernel-cpus-$series
watch_s=10

if ! debian=$("$here/../lib/debian-kernel.sh" "$series" 2>"$work/debian.err"); then
	t_skip "$T" "cannot download linux-image-$series: $(tail -n1 "$work/debian.err")"
	exit 0
fi

# The spawned kernel's /init: its CPUs, then a busy loop pinned to each,
# every round saying which CPU it ran on (field 39 of /proc/self/stat).
cat >"$work/spawned-init" <<'INIT'
#!/bin/sh
. /lib/guest-lib.sh
# /proc, /sys and /dev/null: a background job's stdin is /dev/null, without it the loops never start.
guest_setup
echo "SPAWNED-CPUINFO $(grep -c '^processor' /proc/cpuinfo) processors, apicids $(grep '^apicid' /proc/cpuinfo | awk '{print $3}' | xargs)."
echo "SPAWNED-ONLINE $(cat /sys/devices/system/cpu/online)."
guest_busy_on SPAWNED-WORK 0
guest_busy_on SPAWNED-WORK 1
echo "SPAWNED-CPUS-INIT-OK"
while :; do sleep 3600; done
INIT
mkinitramfs "$work/initrd-spawned.gz" "$work/spawned-init" || { t_fail "$T/initramfs"; t_exit; }

# The host talks on ttyS2 (the spawned kernel registers ttyS0 and ttyS1 only).
cat >"$work/init" <<'INIT'
#!/bin/sh
. /lib/guest-lib.sh
guest_setup
guest_talk_on 2
echo "WAITING spawn"
read -r go
# The host's own work: a busy loop pinned to each CPU it keeps.
guest_busy_on HOST-WORK 0
guest_busy_on HOST-WORK 3
echo "KICK-REQUESTED"
/sbin/kexec --multikernel --cpu=1-2 --offline-cpu /vmlinuz --initrd=/initrd-spawned.gz
echo "kexec status $?;"
echo "HOST-ONLINE $(cat /sys/devices/system/cpu/online)."
/sbin/kexec --multikernel --list | sed 's/^/LIST: /'
echo "LIST-END"
read -r go
/sbin/kexec --multikernel --cpu=2 --offline-cpu /vmlinuz --initrd=/initrd-spawned.gz 2>&1 | sed 's/^/SECOND: /'
echo "second status $(/sbin/kexec --multikernel --cpu=2 --offline-cpu /vmlinuz --initrd=/initrd-spawned.gz >/dev/null 2>&1; echo $?);"
while :; do sleep 3600; done
INIT
mkinitramfs "$work/initrd.gz" "$work/init" "$kexec:/sbin/kexec" "$debian:/vmlinuz" \
	"$work/initrd-spawned.gz:/initrd-spawned.gz" || { t_fail "$T/initramfs"; t_exit; }

count() { grep -acF -- "$3" "$QEMU_LOGDIR/$1.ttyS$2.raw"; }
has() { grep -aqF -- "$3" "$QEMU_LOGDIR/$1.ttyS$2.raw"; }

# run_once NAME: boot, spawn, watch; on failure failed_step names the first
# step that did not happen.  Sets the work counts of the watch window.
run_once() {
	local g=$1
	failed_step=
	qemu_start "$g" "$host_kernel" "$work/initrd.gz" \
		'console=ttyS0 memmap=0x60000$0x20000 memmap=256M$0x20000000 hpet=disable' \
		4 1024 3 400
	qemu_wait "$g" 2 "WAITING spawn" 180 || { failed_step=host-boot; return 1; }
	qemu_send "$g" 2 $'go\r'
	qemu_wait "$g" 2 "KICK-REQUESTED" 30 || { failed_step=host-starts-kexec; return 1; }
	qemu_wait "$g" 2 "kexec status " 240 || { failed_step=kexec-returns; return 1; }
	qemu_wait "$g" 1 "SPAWNED-CPUS-INIT-OK" 240 || { failed_step=spawned-reaches-init; return 1; }
	qemu_wait "$g" 2 "LIST-END" 60 || { failed_step=list; return 1; }
	# The watch: both kernels' pinned loops, counted over watch_s seconds.
	sleep 2
	s0=$(count "$g" 1 "SPAWNED-WORK cpu0 ran-on 0"); s1=$(count "$g" 1 "SPAWNED-WORK cpu1 ran-on 1")
	h0=$(count "$g" 2 "HOST-WORK cpu0 ran-on 0"); h3=$(count "$g" 2 "HOST-WORK cpu3 ran-on 3")
	sleep "$watch_s"
	s0=$(($(count "$g" 1 "SPAWNED-WORK cpu0 ran-on 0") - s0))
	s1=$(($(count "$g" 1 "SPAWNED-WORK cpu1 ran-on 1") - s1))
	h0=$(($(count "$g" 2 "HOST-WORK cpu0 ran-on 0") - h0))
	h3=$(($(count "$g" 2 "HOST-WORK cpu3 ran-on 3") - h3))
	qemu_send "$g" 2 $'go\r'
	qemu_wait "$g" 2 "second status " 60 || { failed_step=second-load-returns; return 1; }
	return 0
}

t_begin
g=spawn
if ! run_once $g; then
	if qemu_known_tcg_flake $g; then
		echo "NOTE: $T: the guest hit the known TCG 'Oops: int3'; retrying once"
		qemu_logs_tail $g 20
		qemu_stop $g
		g=spawn-retry
		run_once $g || { t_fail "$T/$failed_step"; qemu_logs_tail $g 40; t_exit; }
	else
		t_fail "$T/$failed_step"
		qemu_logs_tail $g 40
		t_exit
	fi
fi
log1=$QEMU_LOGDIR/$g.ttyS1.raw
log2=$QEMU_LOGDIR/$g.ttyS2.raw
echo "$T: in ${watch_s} s after the spawned /init: spawned loops $s0 (CPU 0) and $s1 (CPU 1) rounds, host loops $h0 (CPU 0) and $h3 (CPU 3) rounds"
grep -a "Brought up\|BSP\|Limiting\|Rejected\|Allowing\|IPI shorthand\|SPAWNED-CPUINFO\|SPAWNED-ONLINE" "$log1" | sed "s/^/$T: spawned: /" | head -n 9

if has $g 2 "kexec status 0;"; then t_pass "$T/kexec-starts-both"; else t_fail "$T/kexec-starts-both"; fi
# The spawned kernel started its second CPU itself, and only those two.
if has $g 1 "smp: Brought up 1 node, 2 CPUs" && ! has $g 1 "Limiting to one CPU" &&
   has $g 1 "SPAWNED-CPUINFO 2 processors, apicids 1 2." && has $g 1 "SPAWNED-ONLINE 0-1."; then
	t_pass "$T/spawned-has-two-cpus"
else
	t_fail "$T/spawned-has-two-cpus"
fi
# Its IPIs are addressed to its own CPUs, never the all-but-self shorthand
# every CPU of the machine would get (no_ipi_broadcast=1).
if has $g 1 "IPI shorthand broadcast: disabled"; then
	t_pass "$T/no-ipi-broadcast"
else
	grep -a "IPI shorthand" "$log1"
	t_fail "$T/no-ipi-broadcast"
fi
# Its one I/O APIC is its own, never the host's (spawned-log.sh).
if spawned_ioapic_is_own "$log1"; then
	t_pass "$T/own-ioapic-not-the-hosts"
else
	t_fail "$T/own-ioapic-not-the-hosts"
fi
# The phantom, first in its MADT, is never started: 6.9+ takes it for the
# machine's real boot CPU and rejects it; 6.1 counts it as a disabled CPU.
if [[ $series == 6.1 ]]; then
	phantom_signs=("Allowing 3 CPUs, 1 hotplug CPUs")
else
	phantom_signs=("Disabling real BSP to prevent machine INIT" "CPU topo: Rejected CPUs 1")
fi
phantom_ok=1
for sign in "${phantom_signs[@]}"; do has $g 1 "$sign" || phantom_ok=0; done
if ((phantom_ok)); then
	t_pass "$T/phantom-never-started"
else
	t_fail "$T/phantom-never-started"
fi
if ((s0 >= 2 && s1 >= 2)) && ! grep -aq "SPAWNED-WORK cpu0 ran-on [^0]\|SPAWNED-WORK cpu1 ran-on [^1]" "$log1"; then
	t_pass "$T/spawned-loops-run-on-both"
else
	t_fail "$T/spawned-loops-run-on-both"
fi
if ((h0 >= 2 && h3 >= 2)) && has $g 2 "HOST-ONLINE 0,3." &&
   ! grep -aq "HOST-WORK cpu0 ran-on [^0]\|HOST-WORK cpu3 ran-on [^3]" "$log2"; then
	t_pass "$T/host-cpus-keep-working"
else
	t_fail "$T/host-cpus-keep-working"
fi
# --list: one instance, both CPUs (its row, and its log's row).
if [[ $(grep -acE '^LIST: [0-9-]+ +(running|starting|unconfirmed|silent) ' "$log2") == 1 ]] &&
   grep -aq '^LIST: 1-2 *running ' "$log2" && grep -aq '^LIST: 1-2 *init ' "$log2"; then
	t_pass "$T/list-one-instance-both-cpus"
else
	grep -a '^LIST: ' "$log2"
	t_fail "$T/list-one-instance-both-cpus"
fi
# A load asking for CPU 2 is refused: status 20, one line naming the rule and the instance.
if has $g 2 "second status 20;" && [[ $(grep -ac '^SECOND: ' "$log2") == 1 ]] &&
   has $g 2 "SECOND: kexec: multikernel rule 'cpu-free' failed: CPU 2 is taken by the instance on CPUs 1-2 (running"; then
	t_pass "$T/second-cpu-refused"
else
	grep -a '^SECOND: \|second status' "$log2"
	t_fail "$T/second-cpu-refused"
fi
((_t_failed)) && qemu_logs_tail $g 30
qemu_stop $g
t_exit
