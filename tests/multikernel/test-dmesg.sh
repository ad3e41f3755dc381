#!/bin/bash
# tests/multikernel/test-dmesg.sh KEXEC_STATIC MK_KERNEL
#
# A spawned kernel's log read from its memory (issue 20), on the test kernel
# as host with memmap=512M$0x20000000 (room for two instances), one boot:
#   a) the stock Debian 6.12 kernel spawned on CPU 1 (its console on ttyS1):
#      the start waits for its log and says "booted to /init on CPU 1";
#   b) 'kexec --multikernel --dmesg=1' agrees line by line with what the
#      same kernel printed on ttyS1 (every console line, in order; the log
#      also holds the lines below the console's level); the pages it read
#      are recorded (KEXEC_MK_RECORD_MEM) and printed, for the dry-run
#      fixture (UPDATE_FIXTURE=1 rewrites tests/fixtures/dmesg-debian-6.12);
#      --decode prefixes its first line "kern  :notice: " (dmesg -x);
#   c) the same kernel on CPU 2 with 8250.nr_uarts=0 (no serial port at all:
#      its console is not connected, and it resets none of the host's
#      ports; issue 23) and rdinit=/nonexistent init=/nonexistent: it
#      panics (panic=0 keeps it there); kexec says in one line why it
#      re-arms nothing, prints the panic's lines read from memory and exits
#      26, with no re-arming wait after the panic's report (its return is
#      timed against the panic's time);
#   d) --list shows CPU 1 at init with its last line, CPU 2 panicked;
#   e) after CPU 1's init has filled its log (3000 lines to /dev/kmsg),
#      --dmesg=1 reads the full 128 KiB ring; its time is printed.
#      (Its console is not watched for that: its init's tty output goes at
#      115200 baud through a UART the test does not drain.)
# Prints the times: the boot wait, --dmesg (boot log and full ring), the
# VMCOREINFO scan, and kick-to-/init as the spawned kernel logged it.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../qemu/harness.sh"
kexec=$(realpath "$1")
host_kernel=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/mk-dmesg.XXXXXX")
T=multikernel-dmesg
g=mk-dmesg

if ! debian=$("$here/../lib/debian-kernel.sh" 2>"$work/debian.err"); then
	t_skip "$T" "cannot download linux-image-6.12: $(tail -n1 "$work/debian.err")"
	exit 0
fi

# CPU 1's init: alive; later (after the host has read its boot log) fills
# the log with debug-level lines the console does not print.
cat >"$work/spawned-init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t devtmpfs devtmpfs /dev
echo "SPAWNED-INIT-OK"
sleep 40
i=0
while [ $i -lt 3000 ]; do
	echo "<7>fill $i: a line of the test to fill the ring, about eighty bytes long ....." >/dev/kmsg
	i=$((i + 1))
done
while :; do sleep 3600; done
INIT
mkinitramfs "$work/initrd-spawned.gz" "$work/spawned-init" || { t_fail "$T/initramfs"; t_exit; }

cat >"$work/init" <<'INIT'
#!/bin/sh
. /lib/guest-lib.sh
guest_setup
guest_talk_on 2
go() { echo "WAITING $1"; read -r line; }
ms() { cut -d' ' -f1 /proc/uptime; }
go a
/sbin/kexec --multikernel --cpu=1 --offline-cpu -d /vmlinuz --initrd=/initrd-spawned.gz
echo "kexec status $?;"
go b
t0=$(ms)
/sbin/kexec --multikernel --dmesg=1 -d >/tmp/dmesg.txt 2>/tmp/dmesg.err
echo "dmesg status $? in $t0 .. $(ms)"
cat /tmp/dmesg.err
echo "BEGIN-DMESG"; cat /tmp/dmesg.txt; echo "END-DMESG"
echo "decoded: $(/sbin/kexec --multikernel --dmesg=1 --decode | head -n1 | cut -c1-60)"
KEXEC_MK_RECORD_MEM=/tmp/mem.pages /sbin/kexec --multikernel --dmesg=1 >/tmp/dmesg2.txt
echo "record status $?;"
gzip -9 /tmp/mem.pages
echo "BEGIN-PAGES"; base64 /tmp/mem.pages.gz; echo "END-PAGES"
echo "BEGIN-RECORD"; cat /run/kexec-mk/cpu1; echo "END-RECORD"
go c
t0=$(ms)
/sbin/kexec --multikernel --cpu=2 --offline-cpu /vmlinuz --initrd=/initrd-spawned.gz --append="rdinit=/nonexistent init=/nonexistent 8250.nr_uarts=0"
echo "kexec status $? in $t0 .. $(ms);"
/sbin/kexec --multikernel --list
go e
# CPU 1's init fills its log 40 s after its start; its console may be dead
# by then (CPU 2's 8250 driver reset ttyS1's UART), its log is not.
for i in $(seq 60); do
	/sbin/kexec --multikernel --dmesg=1 | tail -n1 | grep -q "fill 2999:" && break
	sleep 2
done
/sbin/kexec --multikernel --dmesg=1 -d 2>&1 >/tmp/full.txt | grep records
echo "full dmesg: $(wc -l </tmp/full.txt) lines, $(wc -c </tmp/full.txt) bytes; last: $(tail -n1 /tmp/full.txt)"
go end
guest_poweroff
INIT
mkinitramfs "$work/initrd.gz" "$work/init" "$kexec:/sbin/kexec" "$debian:/vmlinuz" \
	"$work/initrd-spawned.gz:/initrd-spawned.gz" || { t_fail "$T/initramfs"; t_exit; }

host_log() { tr -d '\r' <"$QEMU_LOGDIR/$g.ttyS2.raw"; }
between() { host_log | sed -n "/^$1\$/,/^$2\$/p" | sed '1d;$d'; }

t_begin
qemu_start "$g" "$host_kernel" "$work/initrd.gz" \
	'console=ttyS0 memmap=0x60000$0x20000 memmap=512M$0x20000000 hpet=disable' \
	3 1536 3 600
qemu_wait "$g" 2 "WAITING a" 120 || { t_fail "$T/host-boot"; t_exit; }
qemu_send "$g" 2 $'\r'
if ! qemu_wait "$g" 2 "kexec status" 240; then
	t_fail "$T/debian-start"; t_exit
fi
if host_log | t_has "kexec status 0;" &&
   host_log | t_has "^multikernel: booted to /init on CPU 1 "; then
	t_pass "$T/debian-booted-to-init"
else
	t_fail "$T/debian-booted-to-init"
fi
host_log | grep "^multikernel: \|VMCOREINFO"
qemu_wait "$g" 1 "SPAWNED-INIT-OK" 60 || t_fail "$T/debian-spawned-init"
qemu_wait "$g" 2 "WAITING b" 30 && qemu_send "$g" 2 $'\r'
if ! qemu_wait "$g" 2 "WAITING c" 120; then
	t_fail "$T/dmesg-runs"; t_exit
fi
host_log | grep "^dmesg status\|^kexec: CPU\|^record status"
between BEGIN-DMESG END-DMESG >"$work/dmesg.txt"
tr -d '\r' <"$QEMU_LOGDIR/$g.ttyS1.raw" | grep -a '^\[ *[0-9]*\.[0-9]\{6\}\] ' >"$work/console.txt"
# Every line the console printed is in --dmesg's output, in order.
missing=$(awk 'NR == FNR { d[++n] = $0; next }
	{ while (i < n && d[++i] != $0) ; if (d[i] != $0) { print FNR ": " $0; exit } }' \
	"$work/dmesg.txt" "$work/console.txt")
nd=$(wc -l <"$work/dmesg.txt"); nc=$(wc -l <"$work/console.txt")
echo "$T: --dmesg=1 printed $nd lines; CPU 1's console printed $nc kernel lines"
if [[ -z $missing ]] && ((nc > 100 && nd >= nc)) && grep -q "Run /init as init process" "$work/dmesg.txt"; then
	t_pass "$T/dmesg-agrees-with-console"
else
	echo "$T: first console line not in --dmesg's output: ${missing:-none}"
	t_fail "$T/dmesg-agrees-with-console"
fi
between BEGIN-PAGES END-PAGES | base64 -d 2>/dev/null | gunzip >"$work/mem.pages" 2>/dev/null
between BEGIN-RECORD END-RECORD >"$work/cpu1"
echo "$T: recorded $(wc -c <"$work/mem.pages") bytes of pages"
if [[ -n ${UPDATE_FIXTURE:-} && -s $work/mem.pages ]]; then
	fx=$here/../fixtures/dmesg-debian-6.12
	mkdir -p "$fx/dev" "$fx/run/kexec-mk"
	cp "$work/mem.pages" "$fx/dev/mem.pages"
	cp "$work/cpu1" "$fx/run/kexec-mk/cpu1"
	cp "$work/dmesg.txt" "$fx/dmesg.txt"
	echo "$T: fixture written to $fx"
fi
qemu_send "$g" 2 $'\r'
if ! qemu_wait "$g" 2 "WAITING e" 240; then
	t_fail "$T/panic-start"; t_exit
fi
host_log | sed -n '/^WAITING c$/,/^WAITING e$/p'
if host_log | t_has "kexec status 26 in " && host_log | t_has "^  Kernel panic - not syncing" &&
   host_log | t_has "^multikernel: CPU 2's log shows a panic"; then
	t_pass "$T/panic-reported-exit-26"
else
	t_fail "$T/panic-reported-exit-26"
fi
# Issue 23: nothing to re-arm, said in one line, and the command returns right after the
# panic's report (seen, then its 0.5 s tail): the kick's time is the host kernel's own
# line on ttyS0, on the same clock (uptime) as the guest's timing of the command.
sect=$(host_log | sed -n '/^WAITING c$/,/^WAITING e$/p')
seen=$(printf '%s\n' "$sect" | sed -n "s/^multikernel: CPU 2's log shows a panic (seen \([0-9.]*\) s after the kick.*/\1/p")
c1=$(printf '%s\n' "$sect" | sed -n 's/^kexec status [0-9]* in [0-9.]* \.\. \([0-9.]*\);$/\1/p')
kick=$(tr -d '\r' <"$QEMU_LOGDIR/$g.ttyS0.raw" | sed -n 's/^\[ *\([0-9.]*\)\] smpboot: multikernel: starting CPU 2 .*/\1/p' | tail -n1)
back=$(awk -v k="${kick:-0}" -v r="${c1:-0}" 'BEGIN { printf "%.2f", r - k }')
echo "$T: CPU 2's start returned $back s after the kick; its panic seen ${seen:-?} s after it"
if printf '%s\n' "$sect" | t_has "^multikernel: not re-arming the host's serial ports: its command line gives its 8250 driver no port (8250.nr_uarts=0)" &&
   ! printf '%s\n' "$sect" | t_has "^multikernel: re-arm" && [[ -n $seen && -n $c1 && -n $kick ]] &&
   awk -v b="$back" -v s="$seen" 'BEGIN { exit !(b < s + 1.5) }'; then
	t_pass "$T/nr-uarts-0-no-rearm-wait"
else
	t_fail "$T/nr-uarts-0-no-rearm-wait"
fi
if host_log | t_has "^decoded: kern  :notice: \[    0.000000\] Linux version"; then
	t_pass "$T/dmesg-decode-levels"
else
	host_log | grep "^decoded:"
	t_fail "$T/dmesg-decode-levels"
fi
if host_log | t_has "^1 *init " && host_log | t_has "^2 *panicked "; then
	t_pass "$T/list-shows-boot-state"
else
	t_fail "$T/list-shows-boot-state"
fi
qemu_send "$g" 2 $'\r'
if qemu_wait "$g" 2 "WAITING end" 180 && host_log | t_has "^full dmesg: .*last: .*fill 2999:"; then
	host_log | grep "^full dmesg\|records in"
	t_pass "$T/dmesg-full-ring"
else
	host_log | grep "^full dmesg\|records in"
	t_fail "$T/dmesg-full-ring"
fi
qemu_send "$g" 2 $'\r'
qemu_wait_exit "$g" 60 || qemu_stop "$g"
t_exit
