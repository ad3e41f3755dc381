#!/bin/bash
# tests/multikernel/nolocks.sh KEXEC_STATIC NOLOCKS_KERNEL [LABEL]
#
# The loader on a host kernel built without CONFIG_FILE_LOCKING
# (tests/kernel/build.sh --variant=nolocks): flock(2) says ENOSYS, so the
# instance records' lock is the lock file (kexec/mk-lock.h).  One host boot
# (-smp 4, memmap=512M: room for two instances); the test talks to it on ttyS2:
#   - the kernel has no file locking (/proc/locks absent);
#   - race 1: two 'kexec --multikernel --cpu=1' at once: exactly one starts,
#     the other is refused (exit 20) because CPU 1 is taken; the lock file
#     was seen while they ran and is gone after;
#   - race 2: 'kexec --multikernel --cpu=2' and '--cpu=3' at once, with one
#     half of the reservation (and one low-memory slot) left: exactly one
#     starts, the other is refused (exit 20) because the memory is taken;
#   - --list shows two instances running, on different CPUs and in disjoint
#     memory, and both spawned kernels reach their /init; the host lives.
# Without the lock the racers of each pair both see the CPU or memory free
# (the mutant mk-lock-file-taken-while-held, tests/mutation).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../qemu/harness.sh"
kexec=$1 kernel=$2 L=${3:-multikernel-nolocks}
work=$(mktemp -d "${TMPDIR:-/tmp}/mk-nolocks.XXXXXX")

cat >"$work/spawned-init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t devtmpfs devtmpfs /dev 2>/dev/null
tag=$(sed -n 's/.*mktag=\([A-Z]*\).*/\1/p' /proc/cmdline)
echo "MK-INIT-$tag apic $(sed -n 's/^apicid[^0-9]*//p' /proc/cpuinfo | head -n1)" >/dev/kmsg
while :; do sleep 3600; done
INIT
mkinitramfs "$work/spawned.gz" "$work/spawned-init" || { t_fail $L/initramfs; t_exit; }

cat >"$work/init" <<'INIT'
#!/bin/sh
. /lib/guest-lib.sh
guest_setup
guest_talk_on 2
[ -e /proc/locks ] && echo "HAS-FILE-LOCKING" || echo "NO-FILE-LOCKING"
# One racer: its output, then its exit status, in /tmp/TAG.out.
racer() {
	t=$1; shift
	/sbin/kexec --multikernel --offline-cpu "$@" /bzImage --initrd=/spawned.gz \
		--append=mktag=$t >/tmp/$t.out 2>&1
	echo "RACER-$t status $?;" >>/tmp/$t.out
}
# Two racers started together; a watcher notes the lock file while they run.
race() {
	rm -f /tmp/seen
	( while [ ! -e /tmp/done ]; do
		[ -e /run/kexec-mk/.lock ] && : >/tmp/seen
		usleep 20000
	  done ) &
	w=$!
	racer $1 --cpu=$2 & a=$!
	racer $3 --cpu=$4 & b=$!
	wait $a $b
	: >/tmp/done; wait $w; rm -f /tmp/done
	cat /tmp/$1.out /tmp/$3.out
	[ -e /tmp/seen ] && echo "$5-LOCK-FILE-SEEN"
	[ -e /run/kexec-mk/.lock ] && echo "$5-LOCK-FILE-LEFT" || echo "$5-LOCK-FILE-GONE"
	echo "$5-DONE"
}
race A 1 B 1 RACE1
race C 2 D 3 RACE2
/sbin/kexec --multikernel --list
echo "LIST status $?;"
echo "HOST-ALIVE uptime $(cut -d' ' -f1 /proc/uptime)"
guest_poweroff
INIT
mkinitramfs "$work/initrd.gz" "$work/init" "$kexec:/sbin/kexec" "$kernel:/bzImage" \
	"$work/spawned.gz:/spawned.gz" || { t_fail $L/initramfs; t_exit; }

host=mk-nolocks
com1() { qemu_wait $host 2 "$1" "${2:-60}"; }	# the host's test channel (ttyS2)
com2() { qemu_wait $host 1 "$1" "${2:-60}"; }	# the spawned kernels' console
between() { sed -n "/$1/,/$2/p" "$(qemu_log $host 2)"; }
boot() {
	qemu_start $host "$kernel" "$work/initrd.gz" \
		'console=ttyS0 memmap=0x60000$0x20000 memmap=512M$0x10000000 hpet=disable' \
		4 1024 3 400
	com1 "HOST-ALIVE" 300
}
t_begin
_qemu_case=($host)
if ! boot && qemu_known_tcg_flake $host; then
	echo "$L: the known TCG 'Oops: int3'; booting once more"
	qemu_stop $host
	boot
fi
qemu_wait_exit $host 30 || true

log=$(qemu_log $host 2)
if grep -qa "NO-FILE-LOCKING" "$log"; then t_pass $L/host-has-no-file-locking
else t_fail $L/host-has-no-file-locking; fi

# Each race: one racer started (status 0), the other refused (status 20) with why.
check_race() {	# NAME MARKER WINNER-LINE LOSER-REASON
	local out ok0 ok20
	if [[ $2 == RACE1 ]]; then out=$(sed -n "1,/RACE1-DONE/p" "$log")
	else out=$(sed -n "/RACE1-DONE/,/RACE2-DONE/p" "$log"); fi
	ok0=$(grep -c "RACER-[A-D] status 0;" <<<"$out")
	ok20=$(grep -c "RACER-[A-D] status 20;" <<<"$out")
	if ((ok0 == 1 && ok20 == 1)) && grep -q "$3" <<<"$out" && grep -Eq "$4" <<<"$out"; then
		t_pass "$L/$1"
	else
		t_fail "$L/$1"
		echo "$out" | tail -n 30
	fi
	if grep -q "$2-LOCK-FILE-SEEN" <<<"$out" && grep -q "$2-LOCK-FILE-GONE" <<<"$out"; then
		t_pass "$L/$1-through-the-lock-file"
	else
		t_fail "$L/$1-through-the-lock-file"
	fi
}
check_race race1-one-cpu-one-kernel RACE1 "multikernel: started on CPU 1" "CPU 1 is taken by"
check_race race2-one-memory-one-kernel RACE2 "multikernel: started on CPU [23]" \
	"no free part of the multikernel reservation is left|running instances own all the host reserved"

list=$(between "RACE2-DONE" "LIST status")
if grep -q "LIST status 0;" <<<"$list" &&
   grep -q "\] 1 .*running.*main \[0x10000000,0x20000000) low \[0x20000,0x50000)" <<<"$list" &&
   grep -q "\] [23] .*running.*main \[0x20000000,0x30000000) low \[0x50000,0x80000)" <<<"$list"; then
	t_pass $L/list-two-running-disjoint
else
	t_fail $L/list-two-running-disjoint
	echo "$list"
fi
spawned=$(qemu_log $host 1)
if grep -qa "MK-INIT-[AB] apic 1" "$spawned" && grep -qa "MK-INIT-[CD] apic [23]" "$spawned"; then
	t_pass $L/both-winners-reach-init
else
	t_fail $L/both-winners-reach-init
fi
if grep -qa "HOST-ALIVE" "$log"; then t_pass $L/host-alive
else t_fail $L/host-alive; fi
qemu_stop $host
t_exit
