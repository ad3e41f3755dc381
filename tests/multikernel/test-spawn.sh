#!/bin/bash
# tests/multikernel/test-spawn.sh KEXEC_STATIC MK_KERNEL [LABEL]
#
# LABEL (default multikernel) names the cases: tests/qemu/run also runs this
# on the test kernel built without /proc/multikernel (multikernel-noproc).
# End to end on the multikernel test kernel, one host boot, three phases,
# each started by the test (over the host's ttyS0) once the last one is seen:
#   a) an ELF payload spawned on CPU 1 prints on COM2 and stores a magic
#      word the host reads back through /dev/mem, then halts; the host
#      forgets its instance record (kexec --multikernel --forget=1); before
#      that, --dmesg=1 says it finds no VMCOREINFO there (exit 25);
#   c) a Linux image whose kernel segment is corrupted after the load makes
#      purgatory report the sha256 mismatch on COM2 and halt: no kernel runs,
#      and kexec says so from purgatory's status record (exit 19);
#   b) a Linux bzImage spawned on CPU 1 prints its banner on COM2 and reaches
#      its /init (kexec reads that in its log: "booted to /init"), while
#      the host keeps running on CPU 0 and a checksum of a
#      host buffer taken before the spawn is unchanged after it.
# The host is booted with the reservations kexec(8) MULTIKERNEL asks for:
#   memmap=0x60000$0x20000 (low memory) memmap=256M$0x20000000 hpet=disable
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../qemu/harness.sh"
kexec=$1 kernel=$2 L=${3:-multikernel}
work=$(mktemp -d "${TMPDIR:-/tmp}/mk-spawn.XXXXXX")
payload_addr=0x28000000

magic_addr=$("$here/build-payload.sh" "$work/payload.elf" $payload_addr) ||
	{ t_fail $L/payload-build; t_exit; }

"$here/spawned-initramfs.sh" "$work/initrd-spawned.gz" || { t_fail $L/initramfs; t_exit; }

# The host talks to the test on ttyS2, which the spawned kernel never registers
# (8250.nr_uarts=2).  (It resets ttyS0; kexec re-arms the host's open ports
# there: test-host-serial.sh tests a shell on ttyS0.)
cat >"$work/init" <<INIT
#!/bin/sh
. /lib/guest-lib.sh
guest_setup
guest_talk_on 2
go() { echo "WAITING \$1"; read -r line; }
k() { echo "+ kexec \$*"; /sbin/kexec "\$@"; echo "kexec status \$?"; }
peek() { dd if=/dev/mem bs=4 count=1 skip=\$((\$1 / 4)) 2>/dev/null | od -An -tx4 | tr -d ' '; }
cat /proc/multikernel

go phase-a
k --multikernel --cpu=1 --offline-cpu /payload.elf
cat /proc/multikernel
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ "\$(peek $magic_addr)" = 4d4b4f4b ] && break
	sleep 1
done
echo "HOST-READ-MAGIC \$(peek $magic_addr)"
# No Linux, no VMCOREINFO: --dmesg says so after scanning all of its memory.
k --multikernel --dmesg=1 -d
# The payload halts once it has stored its word: the admin's case for --forget.
k --multikernel --forget=1
k -u --multikernel

go phase-c
k -l --multikernel -d /bzImage --initrd=/initrd-spawned.gz
# Overwrite one page of the loaded kernel segment behind the loader's back.
dd if=/dev/urandom of=/dev/mem bs=4096 seek=\$((0x20001000 / 4096)) count=1 conv=notrunc 2>/dev/null
k -e --multikernel --cpu=1
echo "HOST-ALIVE-AFTER-CORRUPT"
k -u --multikernel

go phase-b
dd if=/dev/urandom of=/tmp/buffer bs=1M count=16 2>/dev/null
before=\$(md5sum </tmp/buffer)
k --multikernel --cpu=1 /bzImage --initrd=/initrd-spawned.gz
go phase-b-check
after=\$(md5sum </tmp/buffer)
[ "\$before" = "\$after" ] && echo "HOST-BUFFER-INTACT" || echo "HOST-BUFFER-CHANGED"
echo "HOST-ALIVE-AFTER-SPAWN uptime \$(cut -d' ' -f1 /proc/uptime)"
go end
guest_poweroff
INIT
mkinitramfs "$work/initrd.gz" "$work/init" "$kexec:/sbin/kexec" "$kernel:/bzImage" \
	"$work/payload.elf:/payload.elf" "$work/initrd-spawned.gz:/initrd-spawned.gz" ||
	{ t_fail $L/initramfs; t_exit; }

host=mk-spawn
com1() { qemu_wait $host 2 "$1" "${2:-60}"; }  # the host's test channel
com2() { qemu_wait $host 1 "$1" "${2:-60}"; }
step() { qemu_send $host 2 $'go\r'; }
qemu_start $host "$kernel" "$work/initrd.gz" \
	'console=ttyS0 memmap=0x60000$0x20000 memmap=256M$0x20000000 hpet=disable' 2 1024 3 300

if com1 "WAITING phase-a" 120; then t_pass $L/host-boot; else t_fail $L/host-boot; t_exit; fi

# a) ELF payload on CPU 1.
step
if com2 "MK-ELF-PAYLOAD-ALIVE apic 1" 60; then t_pass $L/a-elf-payload-on-com2
else t_fail $L/a-elf-payload-on-com2; fi
if com1 "HOST-READ-MAGIC 4d4b4f4b" 30; then t_pass $L/a-host-reads-payload-magic
else t_fail $L/a-host-reads-payload-magic; fi
if com1 "kexec status 25" 30 && grep -q "kexec: no VMCOREINFO in CPU 1's memory" "$(qemu_log $host 2)"; then
	t_pass $L/a-dmesg-says-no-vmcoreinfo
else
	t_fail $L/a-dmesg-says-no-vmcoreinfo
fi

# A phase the host never reached ends the test: later waits would only time out.
next_phase() {
	com1 "WAITING $1" 60 && { step; return 0; }
	t_fail "$L/host-reaches-$1"
	qemu_stop $host
	t_exit
}

# c) A corrupted segment: purgatory refuses to jump.
next_phase phase-c
if com2 "kexec purgatory: sha256 mismatch in digest" 60 && com1 "kexec status 19" 30 &&
   com1 "HOST-ALIVE-AFTER-CORRUPT" 30 &&
   sleep 3 && ! grep -q "Linux version" "$(qemu_log $host 1)"; then
	t_pass $L/c-corrupt-segment-halts-in-purgatory
else
	t_fail $L/c-corrupt-segment-halts-in-purgatory
fi

# b) Linux on CPU 1 beside the host.
next_phase phase-b
t0=$(date +%s.%N)
if com2 "Linux version" 90; then t_pass $L/b-spawned-linux-banner-on-com2
else t_fail $L/b-spawned-linux-banner-on-com2; fi
if com2 "SPAWNED-INIT-OK on APIC id 1 " 150; then
	t_pass $L/b-spawned-linux-reaches-init
	printf '%s: spawned kernel reached /init %.1f s after the kick was requested\n' \
		"$L" "$(echo "$(date +%s.%N) - $t0" | bc)"
else
	t_fail $L/b-spawned-linux-reaches-init
fi
# kexec saw it too, in the kernel's own log (the test kernel has VMCOREINFO).
if com1 "multikernel: booted to /init on CPU 1 " 60; then t_pass $L/b-kexec-sees-init-in-its-log
else t_fail $L/b-kexec-sees-init-in-its-log; fi
next_phase phase-b-check
if com1 "HOST-BUFFER-INTACT" 30 && com1 "HOST-ALIVE-AFTER-SPAWN" 30; then
	t_pass $L/b-host-keeps-running-memory-intact
else
	t_fail $L/b-host-keeps-running-memory-intact
fi
next_phase end
qemu_wait_exit $host 30 || true
qemu_stop $host
t_exit
