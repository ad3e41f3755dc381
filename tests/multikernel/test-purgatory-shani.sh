#!/bin/bash
# tests/multikernel/test-purgatory-shani.sh KEXEC_STATIC MK_KERNEL [portable]
#
# Purgatory's SHA-NI path in ring 0, on real kernels: QEMU's TCG has the SHA
# extensions from 8.2 on (tests/lib/qemu-sha.sh fetches bookworm-backports'
# QEMU on Debian 12), and the guests get a CPU model that reports them
# (qemu64,+ssse3,+sse4.1,+sha-ni; the host kernel's /proc/cpuinfo must say
# sha_ni).  Two guests of the multikernel test kernel:
#   shani-kexec (-smp 1): `kexec -l` of the test kernel with a 32 MiB initrd
#      (spawned-initramfs.sh's, padded), then `kexec -e`: purgatory says on
#      ttyS1 that it checks the digests with sha-ni, they match, and the
#      second kernel reaches its /init;
#   shani-mk (-smp 2, the reservation of test-spawn.sh):
#      c) a kernel whose segment is corrupted after the load: purgatory, on
#         the SHA-NI path from the wake-up state (SSE off), reports the
#         mismatch on COM2 and halts, kexec reads it from the status record
#         (exit 19) and no kernel runs;
#      b) `kexec --multikernel --cpu=1` of the test kernel with the 32 MiB
#         initrd: the check runs with sha-ni, kexec reads "jumped" from the
#         status record (which then shows every byte hashed counted in its
#         progress field), the spawned kernel reaches its /init on APIC id 1
#         and the host keeps running.
# With "portable" (for bench/latency only: the same guests on the same QEMU
# with the SHA extensions masked) every check must say "in portable C".
# Cost: about 30 s of QEMU with a warm cache (two guests; bench/latency shows the steps).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kexec=$1 kernel=$2 mode=${3:-shani}
L=multikernel/purgatory-$mode
if ! QEMU_BIN=$("$here/../lib/qemu-sha.sh" 2>&1 | tail -n1) || [[ ! -x $QEMU_BIN ]]; then
	echo "SKIP: $L (no QEMU whose TCG has the SHA extensions: $QEMU_BIN)"
	exit 0
fi
export QEMU_BIN
QEMU_CPU=qemu64,+ssse3,+sse4.1,+sha-ni
path="with sha-ni" flag=sha_ni
if [[ $mode == portable ]]; then
	QEMU_CPU=qemu64,+ssse3,+sse4.1,-sha-ni
	path="in portable C" flag=no-sha_ni
fi
export QEMU_CPU
. "$here/../qemu/harness.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/mk-shani.XXXXXX")

"$here/spawned-initramfs.sh" "$work/initrd-spawned.gz" || { t_fail "$L/initramfs"; t_exit; }
# Padded with zeros the kernel skips: enough hashing for the check's time to show.
{ cat "$work/initrd-spawned.gz"; head -c $((32 << 20)) /dev/zero; } >"$work/initrd-big"

# Both guests' /init; the first line says whether the CPU reports the SHA extensions.
cat >"$work/init" <<'INIT'
#!/bin/sh
. /lib/guest-lib.sh
guest_setup
cpu=no-sha_ni
grep -qw sha_ni /proc/cpuinfo && cpu=sha_ni
k() { echo "+ kexec $*"; /sbin/kexec "$@"; echo "kexec status $?;"; }
if grep -q shani_kexec /proc/cmdline; then
	echo "HOST-CPU $cpu"
	k -c -l /bzImage --initrd=/initrd-big --append="console=ttyS0 second_kernel=1" \
		--console-serial --serial=ttyS1
	echo "KEXEC-E"
	/sbin/kexec -e
	echo "KEXEC-EXEC-FAILED status $?"
	guest_poweroff
fi
# The multikernel host talks to the test on ttyS2, which the spawned kernel never registers.
guest_talk_on 2
echo "HOST-CPU $cpu"
go() { echo "WAITING $1"; read -r line; }
go phase-c
k -l --multikernel -d /bzImage --initrd=/initrd-spawned.gz
# Overwrite one page of the loaded kernel segment behind the loader's back.
dd if=/dev/urandom of=/dev/mem bs=4096 seek=$((0x20001000 / 4096)) count=1 conv=notrunc 2>/dev/null
k -e --multikernel --cpu=1 --offline-cpu
echo "HOST-ALIVE-AFTER-CORRUPT"
k -u --multikernel
go phase-b
k -d --multikernel --cpu=1 /bzImage --initrd=/initrd-big | tee /tmp/spawn.out
# Purgatory's status record as it left it: magic|stage, bad_digest|apic_id, bad_addr, bytes_total, bytes_done.
st=$(sed -n 's/.*status record \(0x[0-9a-f]*\).*/\1/p' /tmp/spawn.out)
echo "STATUS-RECORD $(dd if=/dev/mem bs=8 count=5 skip=$((st / 8)) 2>/dev/null | od -An -tx8 | tr -s ' \n' '  ')END"
go phase-b-check
echo "HOST-ALIVE-AFTER-SPAWN uptime $(cut -d' ' -f1 /proc/uptime)"
go end
guest_poweroff
INIT
mkinitramfs "$work/initrd.gz" "$work/init" "$kexec:/sbin/kexec" "$kernel:/bzImage" \
	"$work/initrd-spawned.gz:/initrd-spawned.gz" "$work/initrd-big:/initrd-big" ||
	{ t_fail "$L/initramfs"; t_exit; }

# One kexec -e boot: 0 once the second kernel is at /init after a check on $path.
kexec_boot() {
	local g=$1
	qemu_start "$g" "$kernel" "$work/initrd.gz" "console=ttyS0 shani_kexec" 1 1024 2 240
	qemu_wait "$g" 0 "HOST-CPU $flag" 120 || { step=cpuid; return 1; }
	qemu_wait "$g" 0 "KEXEC-E" 120 || { step=load; return 1; }
	qemu_wait "$g" 1 "digests $path" 60 || { step=purgatory-path; return 1; }
	qemu_wait "$g" 1 "digests ok, jumping to" 60 || { step=digests; return 1; }
	qemu_wait "$g" 0 "SPAWNED-INIT-OK on APIC id 0 cmdline: console=ttyS0 second_kernel=1" 120 ||
		{ step=second-kernel-init; return 1; }
}
t_begin
g=shani-kexec
if ! kexec_boot $g && qemu_known_tcg_flake $g; then
	echo "NOTE: $L: the guest hit the known TCG 'Oops: int3'; retrying once"
	qemu_stop $g
	g=shani-kexec-retry
	kexec_boot $g && step=
fi
if [[ -z ${step:-} ]]; then t_pass "$L/kexec-e-second-kernel-init"
else t_fail "$L/kexec-e-$step"; fi
qemu_stop $g

t_begin
host=shani-mk
com1() { qemu_wait $host 2 "$1" "${2:-60}"; }	# the host's test channel
com2() { qemu_wait $host 1 "$1" "${2:-60}"; }	# purgatory and the spawned kernel
com2_second() {
	local deadline=$((SECONDS + $2))
	while (($(grep -caF -- "$1" "$(qemu_log $host 1)") < 2)); do
		((SECONDS < deadline)) || return 1
		sleep 0.2
	done
}
next_phase() {
	com1 "WAITING $1" 60 && { qemu_send $host 2 $'go\r'; return 0; }
	t_fail "$L/host-reaches-$1"
	t_exit
}
qemu_start $host "$kernel" "$work/initrd.gz" \
	'console=ttyS0 memmap=0x60000$0x20000 memmap=256M$0x20000000 hpet=disable' 2 1024 3 300
if com1 "HOST-CPU $flag" 120; then t_pass "$L/host-cpuid"
else t_fail "$L/host-cpuid"; t_exit; fi

# c) A corrupted segment: caught on this path, purgatory halts, kexec says 19.
next_phase phase-c
if com2 "digests $path" 60 &&
   com2 "kexec purgatory: sha256 mismatch in digest" 60 && com1 "kexec status 19;" 30 &&
   com1 "HOST-ALIVE-AFTER-CORRUPT" 30 &&
   sleep 2 && ! grep -q "Linux version" "$(qemu_log $host 1)"; then
	t_pass "$L/c-corrupt-segment-halts-in-purgatory"
else
	t_fail "$L/c-corrupt-segment-halts-in-purgatory"
fi

# b) The spawn: checked on this path, jumped (status record), /init reached.
next_phase phase-b
# The second "digests ..." line on COM2 (phase c's was the first).
if com2_second "digests $path" 60 && com2 "digests ok, jumping" 120 &&
   com1 "multikernel: started on CPU 1 (purgatory jumped to the kernel" 60 &&
   com2 "SPAWNED-INIT-OK on APIC id 1 " 150; then
	t_pass "$L/b-spawned-linux-reaches-init"
else
	t_fail "$L/b-spawned-linux-reaches-init"
fi
# The record on this path: "KSTS", stage 4 (jumped), APIC id 1, and every byte counted.
if com1 "STATUS-RECORD" 30 &&
   read -r _ magic_stage apic _ total hashed _ < <(grep -a STATUS-RECORD "$(qemu_log $host 2)" | cut -d']' -f2-) &&
   [[ $magic_stage == 000000045354534b && $apic == 0000000100000000 ]] &&
   ((16#$total > (32 << 20) && 16#$hashed == 16#$total)); then
	t_pass "$L/b-status-record-counts-every-byte"
else
	t_fail "$L/b-status-record-counts-every-byte"
fi
next_phase phase-b-check
if com1 "HOST-ALIVE-AFTER-SPAWN" 30; then t_pass "$L/b-host-keeps-running"
else t_fail "$L/b-host-keeps-running"; fi
next_phase end
qemu_wait_exit $host 30 || true
qemu_stop $host
t_exit
