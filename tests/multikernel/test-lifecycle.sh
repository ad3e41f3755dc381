#!/bin/bash
# tests/multikernel/test-lifecycle.sh KEXEC_STATIC MK_KERNEL
#
# Two kernels side by side from one reservation, and what protects them.
# One host boot (-smp 3, memmap=512M$0x10000000, low memory 0x60000$0x20000):
#   a) kernel A on CPU 1: kexec says "started on CPU 1" (purgatory's record);
#   c) a kernel loaded for CPU 2 whose segment is corrupted after the load:
#      kexec reports purgatory's "sha256 mismatch in segment 0", exit 19,
#      and --list shows it failed (which frees CPU 2 and its memory);
#   b) kernel B on CPU 2 in the other half of the reservation; --list shows
#      A and B running with their ranges;
#   x) the admin sequence of issue 8 - 'kexec -u --multikernel', then a new
#      load and start on CPU 1 - is refused with exit 20 naming A; so are an
#      ordinary 'kexec -l' and 'kexec -e' (they would end A and B);
#   then both kernels keep printing for 20 s, and a host buffer checksummed
#   before the spawns is unchanged.
# Both spawned kernels print on COM2 through printk (/dev/kmsg), which the
# 8250 console writes polled, so the two never wait on each other's IRQs.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../qemu/harness.sh"
kexec=$1 kernel=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/mk-life.XXXXXX")

# The spawned kernels' /init: say hello with the tag from the command line, then tick.
cat >"$work/spawned-init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t devtmpfs devtmpfs /dev 2>/dev/null
tag=$(sed -n 's/.*mktag=\([A-Z]*\).*/\1/p' /proc/cmdline)
echo "MK-INIT-$tag apic $(sed -n 's/^apicid[^0-9]*//p' /proc/cpuinfo | head -n1)" >/dev/kmsg
n=0
while :; do
	n=$((n + 1))
	echo "MK-TICK-$tag $n" >/dev/kmsg
	sleep 1
done
INIT
mkinitramfs "$work/spawned.gz" "$work/spawned-init" || { t_fail lifecycle/initramfs; t_exit; }

# The host talks to the test on ttyS2 (the spawned kernels reset ttyS0/ttyS1).
cat >"$work/init" <<'INIT'
#!/bin/sh
. /lib/guest-lib.sh
guest_setup
guest_talk_on 2
go() { echo "WAITING $1"; read -r line; }
k() { echo "+ kexec $*"; /sbin/kexec "$@"; echo "kexec status $?;"; }
ms() { cut -d' ' -f1 /proc/uptime; }
timed() {	# kexec, and the host's wall time from the command to its answer
	t0=$(ms); k "$@"; echo "HOST-ELAPSED $(ms) - $t0"
}
dd if=/dev/urandom of=/tmp/buffer bs=1M count=16 2>/dev/null
before=$(md5sum </tmp/buffer)

go phase-a
timed --multikernel --cpu=1 --offline-cpu /bzImage --initrd=/spawned.gz --append=mktag=A

go phase-c
k -l --multikernel -d /bzImage --initrd=/spawned.gz --append=mktag=C
# One page of the kernel segment, changed behind the loader's back.
dd if=/dev/urandom of=/dev/mem bs=4096 seek=$((0x20001000 / 4096)) count=1 conv=notrunc 2>/dev/null
k -e --multikernel --cpu=2 --offline-cpu
k --multikernel --list
echo "LIST-C-DONE"

go phase-b
timed --multikernel --cpu=2 /bzImage --initrd=/spawned.gz --append=mktag=B
go phase-b-list
k --multikernel --list
k -S --multikernel
echo "LIST-DONE"

go phase-x
k -u --multikernel
k --multikernel --cpu=1 /bzImage --initrd=/spawned.gz --append=mktag=X
k -l --multikernel --mem-min=0x20000000 --mem-max=0x2fffffff /bzImage --initrd=/spawned.gz --append=mktag=Y
# An ordinary kexec reboot would start CPUs 1 and 2 under the next kernel: refused.
k -l /bzImage --append=mktag=Z
k -e
echo "ORDINARY-DONE"

go phase-end
after=$(md5sum </tmp/buffer)
[ "$before" = "$after" ] && echo "HOST-BUFFER-INTACT" || echo "HOST-BUFFER-CHANGED"
echo "HOST-ALIVE uptime $(ms)"
go end
guest_poweroff
INIT
mkinitramfs "$work/initrd.gz" "$work/init" "$kexec:/sbin/kexec" "$kernel:/bzImage" \
	"$work/spawned.gz:/spawned.gz" || { t_fail lifecycle/initramfs; t_exit; }

host=mk-life
com1() { qemu_wait $host 2 "$1" "${2:-60}"; }	# the host's test channel (ttyS2)
com2() { qemu_wait $host 1 "$1" "${2:-60}"; }	# the spawned kernels' console
log1() { qemu_log $host 2; }
next_phase() {
	com1 "WAITING $1" "${2:-60}" && { qemu_send $host 2 $'go\r'; return 0; }
	t_fail "lifecycle/host-reaches-$1"
	qemu_logs_tail $host
	qemu_stop $host
	t_exit
}
# The kexec output between two markers of the test channel.
between() { sed -n "/$1/,/$2/p" "$(log1)"; }
elapsed() {	# "HOST-ELAPSED a - b" after marker $1 -> seconds
	between "$1" "WAITING" | sed -n 's/.*HOST-ELAPSED \([0-9.]*\) - \([0-9.]*\).*/\1 \2/p' |
		head -n1 | awk '{ printf "%.2f", $1 - $2 }'
}

qemu_start $host "$kernel" "$work/initrd.gz" \
	'console=ttyS0 memmap=0x60000$0x20000 memmap=512M$0x10000000 hpet=disable' 3 1024 3 400
next_phase phase-a 120

# a) A on CPU 1, confirmed by purgatory's record.
if com1 "multikernel: started on CPU 1" 60 && com1 "kexec status 0;" 5; then
	t_pass lifecycle/a-started-on-cpu1-confirmed
else
	t_fail lifecycle/a-started-on-cpu1-confirmed
fi
if com2 "MK-INIT-A apic 1" 120; then t_pass lifecycle/a-reaches-init
else t_fail lifecycle/a-reaches-init; fi

# c) Corrupted segment: purgatory's verdict, exit 19, recorded as failed.
next_phase phase-c
if com1 "sha256 mismatch in segment 0" 30 && com1 "kexec status 19;" 5 &&
   com1 "LIST-C-DONE" 10 && between "phase-c" "LIST-C-DONE" | t_has "\] 2 .*failed"; then
	t_pass lifecycle/c-corrupt-segment-exit-19-recorded-failed
else
	t_fail lifecycle/c-corrupt-segment-exit-19-recorded-failed
	between "phase-c" "WAITING phase-b" | tail -n 20
fi

# b) B on CPU 2, in the part of the reservation A does not own.
next_phase phase-b
if com1 "multikernel: started on CPU 2" 60; then t_pass lifecycle/b-started-on-cpu2-confirmed
else t_fail lifecycle/b-started-on-cpu2-confirmed; fi
if com2 "MK-INIT-B apic 2" 120; then t_pass lifecycle/b-reaches-init
else t_fail lifecycle/b-reaches-init; fi
next_phase phase-b-list
if com1 "LIST-DONE" 20 && between "phase-b-list" "LIST-DONE" | t_has "kexec status 1;" &&
   between "phase-b-list" "LIST-DONE" | t_has "\] 1 .*running.*main \[0x10000000,0x20000000) low \[0x20000,0x50000)" &&
   between "phase-b-list" "LIST-DONE" | t_has "\] 2 .*running.*main \[0x20000000,0x30000000) low \[0x50000,0x80000)"; then
	t_pass lifecycle/b-list-shows-both-running
else
	t_fail lifecycle/b-list-shows-both-running
	between "phase-b-list" "LIST-DONE"
fi

# x) The admin sequence: unload, then load and start on CPU 1 again: refused.
next_phase phase-x
if com1 "mktag=X" 10 && com1 "CPU 1 is taken by the instance on CPU 1 (running" 30 &&
   between "mktag=X" "mktag=Y" | t_has "kexec status 20;"; then
	t_pass lifecycle/x-admin-sequence-refused
else
	t_fail lifecycle/x-admin-sequence-refused
	between "phase-x" "WAITING"
fi
if com1 "mktag=Y" 10 && com1 "no free part of the multikernel reservation between --mem-min and --mem-max is left: the instance on CPU 2 (running" 20 &&
   between "mktag=Y" "WAITING" | t_has "kexec status 20;"; then
	t_pass lifecycle/x-mem-window-of-b-refused
else
	t_fail lifecycle/x-mem-window-of-b-refused
	between "mktag=Y" "WAITING"
fi

if com1 "ORDINARY-DONE" 30 &&
   [ "$(between "mktag=Z" "ORDINARY-DONE" | grep -c "kexec status 20;")" = 2 ] &&
   [ "$(between "mktag=Z" "ORDINARY-DONE" | grep -c "an ordinary kexec reboot starts every CPU")" = 2 ]; then
	t_pass lifecycle/x-ordinary-load-and-exec-refused
else
	t_fail lifecycle/x-ordinary-load-and-exec-refused
	between "mktag=Z" "WAITING"
fi

# Both kernels keep printing for 20 s after all of that.
a0=$(grep -ao 'MK-TICK-A [0-9]*' "$(qemu_log $host 1)" | tail -n1 | cut -d' ' -f2)
b0=$(grep -ao 'MK-TICK-B [0-9]*' "$(qemu_log $host 1)" | tail -n1 | cut -d' ' -f2)
sleep 20
a1=$(grep -ao 'MK-TICK-A [0-9]*' "$(qemu_log $host 1)" | tail -n1 | cut -d' ' -f2)
b1=$(grep -ao 'MK-TICK-B [0-9]*' "$(qemu_log $host 1)" | tail -n1 | cut -d' ' -f2)
echo "lifecycle: in 20 s A ticked ${a0:-none} -> ${a1:-none}, B ${b0:-none} -> ${b1:-none}"
if [[ -n ${a0:-} && -n ${a1:-} && -n ${b0:-} && -n ${b1:-} ]] && ((a1 >= a0 + 5 && b1 >= b0 + 5)); then
	t_pass lifecycle/both-keep-printing-20s
else
	t_fail lifecycle/both-keep-printing-20s
fi

next_phase phase-end
if com1 "HOST-BUFFER-INTACT" 30 && com1 "HOST-ALIVE" 10; then
	t_pass lifecycle/host-alive-memory-intact
else
	t_fail lifecycle/host-alive-memory-intact
fi
for tag in phase-a phase-b; do
	line=$(between "WAITING $tag" "HOST-ELAPSED" | grep -o 'started on CPU [0-9] (purgatory jumped to the kernel [0-9.]* s after the kick)')
	echo "lifecycle: $tag: $line; kexec command to answer $(elapsed "WAITING $tag") s (host uptime clock)"
done
next_phase end
qemu_wait_exit $host 30 || true
qemu_stop $host
t_exit
