#!/bin/sh
# tests/debian-system/guest-run.sh - the payload's run script: runs as root in
# the Debian system (debian-system-test.service, once the system is up), says
# what it sees on ttyS2 as "DEBSYS ..." lines, which test.sh reads.
#
# First boot (no memmap= on the command line): install kexec-mk over Debian's
# kexec-tools, as an admin does; ask kexec for this machine's reservation;
# configure and enable an instance of Debian's stock kernel on CPU 1; load
# this kernel again with the reservation added and 'systemctl kexec'.
# Second boot (the kexec'd one): report the system state, the unit, kexec's
# list and kdump's state, then keep writing the disk and serve over the NIC.
d=/run/debian-system-test
exec >/dev/ttyS2 2>&1
say() { echo "DEBSYS $*"; }
lines() { sed "s/^/DEBSYS $1 /"; }

system_state() {
	s=$(timeout 600 systemctl is-system-running --wait)
	say "SYSTEM-STATE $s"
	systemctl list-units --failed --no-legend --plain | lines FAILED-UNIT
	systemctl list-jobs --no-legend | lines JOB
}

first_boot() {
	say "BOOT 1 $(uname -r) cmdline: $(cat /proc/cmdline)"
	system_state
	say "KEXEC-OWNER-BEFORE $(dpkg -S /usr/sbin/kexec /sbin/kexec 2>/dev/null | head -n1)"
	dpkg -i "$d/kexec-mk.deb" >/tmp/dpkg.log 2>&1
	rc=$?
	lines DPKG </tmp/dpkg.log
	say "DPKG-INSTALL $rc"
	say "KEXEC-OWNER $(dpkg -S /usr/sbin/kexec /sbin/kexec 2>/dev/null | head -n1)"
	kexec --multikernel --plan-reservation=1,256M >/tmp/plan 2>&1
	say "PLAN-STATUS $?"
	lines PLAN </tmp/plan
	words=$(sed -n '/^Kernel command line:/{n;s/^ *//;p;q}' /tmp/plan)
	say "PLAN-WORDS $words"
	[ -n "$words" ] || return 1
	mem=$(sed -n 's/^ *instance 1 .*\(--mem-min=[^ ]*\) \(--mem-max=[^ ]*\).*/\1 \2/p' /tmp/plan)
	stock=$(ls /boot/vmlinuz-*-amd64 | head -n1)
	mkdir -p /var/lib/debian-system-test /etc/kexec-multikernel
	cp "$d/initrd-spawned.gz" /var/lib/debian-system-test/
	cat >/etc/kexec-multikernel/debian.conf <<CONF
# Debian's stock kernel on CPU 1, started at boot (debian-system test)
cpu=1
kernel=$stock
initrd=/var/lib/debian-system-test/initrd-spawned.gz
offline_cpu=yes
stage=system
CONF
	kexec-multikernel check debian 2>&1 | lines CHECK
	systemctl enable kexec-multikernel@debian 2>&1 | lines ENABLE
	# As 'systemctl kexec' would load the default boot entry: this kernel,
	# its initrd, this command line, plus the reservation.  Below the
	# reservation: the loader places segments top-down in this kernel's free
	# RAM, which is where the next kernel's memmap= reserves its instance
	# memory (right below the crash kernel area), and a kernel started inside
	# memory its own command line reserves never prints a line.
	host=/boot/vmlinuz-$(uname -r)
	initrd=/boot/initrd.img-$(uname -r)
	first=$(printf '%s\n' "$mem" | sed -n 's/.*--mem-min=\(0x[0-9a-fA-F]*\).*/\1/p')
	max=$(printf '0x%x' $((first - 1)))
	say "KEXEC-MEM-MAX $max"
	kexec -l "$host" --initrd="$initrd" --reuse-cmdline --append="$words" --mem-max="$max" --dry-run 2>&1 | lines KEXEC-DRY-RUN
	# --console-serial: purgatory says on ttyS0 how far it got.
	kexec -l "$host" --initrd="$initrd" --reuse-cmdline --append="$words" --mem-max="$max" --console-serial
	say "KEXEC-LOAD $?"
	say "KEXEC-REBOOT"
	systemctl kexec
}

disk_loop() {
	n=0
	while :; do
		n=$((n + 1))
		slot=$((n % 64))
		dd if=/dev/urandom of=/tmp/w bs=64k count=1 2>/dev/null
		if ! dd if=/tmp/w of=/var/tmp/disk-test bs=64k seek=$slot oflag=direct conv=notrunc,fsync 2>/dev/null; then
			say "DISK-ERROR write round $n"; continue
		fi
		if ! dd if=/var/tmp/disk-test of=/tmp/r bs=64k skip=$slot count=1 iflag=direct 2>/dev/null; then
			say "DISK-ERROR read round $n"; continue
		fi
		cmp -s /tmp/w /tmp/r || say "DISK-MISMATCH round $n"
		say "DISK-ROUND $n"
	done
}

second_boot() {
	say "BOOT 2 $(uname -r) cmdline: $(cat /proc/cmdline)"
	system_state
	say "UNIT-ACTIVE $(systemctl is-active kexec-multikernel@debian)"
	say "UNIT-STATUS-TEXT $(systemctl show -p StatusText --value kexec-multikernel@debian)"
	systemctl status --no-pager --lines=5 kexec-multikernel@debian 2>&1 | lines UNIT
	kexec --multikernel --list 2>&1 | lines LIST
	say "KEXEC-OWNER $(dpkg -S /usr/sbin/kexec /sbin/kexec 2>/dev/null | head -n1)"
	kdump-config status 2>&1 | lines KDUMP
	say "CRASH-LOADED $(cat /sys/kernel/kexec_crash_loaded)"
	busybox httpd -p 80 -h "$d/www"
	say "HTTPD $?"
	disk_loop &
	say "WATCH-STARTED"
	sleep 25
	# For boot 3: the same instance in the initramfs (stage=initramfs), built
	# by update-initramfs here, handed to the test through the scratch disk
	# (its size first, in a 512-byte block; QEMU boots it with -initrd).
	sed -i 's/^stage=.*/stage=initramfs/' /etc/kexec-multikernel/debian.conf
	update-initramfs -u -k "$(uname -r)" >/tmp/uinit.log 2>&1
	say "UPDATE-INITRAMFS $?"
	lines UPDATE-INITRAMFS </tmp/uinit.log
	img=/boot/initrd.img-$(uname -r)
	lsinitramfs "$img" | grep -E 'kexec|initrd-spawned|vmlinuz' | lines INITRAMFS-HAS
	printf '%-511s\n' "$(stat -c %s "$img")" | dd of=/dev/vdc bs=512 count=1 conv=fsync 2>/dev/null &&
		dd if="$img" of=/dev/vdc bs=512 seek=1 conv=fsync 2>/dev/null
	say "INITRAMFS-EXPORTED $?"
	sync
	while :; do sleep 3600; done
}

third_boot() {
	say "BOOT 3 $(uname -r) cmdline: $(cat /proc/cmdline)"
	system_state
	say "UNIT-ACTIVE $(systemctl is-active kexec-multikernel@debian)"
	say "UNIT-STATUS-TEXT $(systemctl show -p StatusText --value kexec-multikernel@debian)"
	systemctl status --no-pager --lines=8 kexec-multikernel@debian 2>&1 | lines UNIT
	journalctl -b -o cat -u kexec-multikernel@debian 2>&1 | lines JOURNAL
	kexec --multikernel --list 2>&1 | lines LIST
	say "ROOT $(findmnt -n -o SOURCE,OPTIONS /)"
	say "BOOT-3-DONE"
	while :; do sleep 3600; done
}

if grep -q 'debian-system-test.initramfs' /proc/cmdline; then
	third_boot
elif grep -q 'memmap=' /proc/cmdline; then
	second_boot
else
	first_boot || say "FIRST-BOOT-FAILED"
fi
