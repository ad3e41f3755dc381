#!/bin/bash
# tests/qemu/kdump.sh KEXEC_STATIC KERNEL LABEL
#
# kdump end to end on a stock kernel (Debian 6.12): the guest boots with
# crashkernel=192M, loads a capture kernel (the same kernel and initramfs)
# with Debian kdump-config's command line, writes a marker into kernel memory
# (its hostname), and crashes with `echo c > /proc/sysrq-trigger`.  The
# capture kernel's /init checks /proc/vmcore (an ELF64 core with one
# NT_PRSTATUS note per CPU and VMCOREINFO: vmcore-check.c), runs Debian's
# makedumpfile -c -d 31 on it and finds the marker in /proc/vmcore.  Three runs:
#   kexec-load-smp1, kexec-load-smp2  kdump-config's line plus -c: our
#                                     kexec_load path and ELF core header
#   file-smp2                         kdump-config's line as it is: the default
#                                     (kexec_file_load first, as kexec-tools
#                                     2.0.32) must load it through
#                                     kexec_file_load, not fall back (-d says
#                                     which); kdump-config's unload (-p -u)
#                                     frees it; then the same line with -s
#                                     (kexec_file_load only, as kdumpctl) is
#                                     what the crash boots.  Both loads in one
#                                     boot: they make the same call with the
#                                     same arguments, and a boot costs ~45 s.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/harness.sh"
kexec=$1 kernel=$2 label=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/kdump.XXXXXX")

if ! mdf=$("$top/tests/lib/makedumpfile.sh" 2>"$work/mdf.err"); then
	t_skip "qemu/$label/kdump" "cannot get Debian's makedumpfile: $(tail -n1 "$work/mdf.err")"
	exit 0
fi
gcc -static -O2 -Wall -Wextra -Werror "$here/vmcore-check.c" -o "$work/vmcore-check" ||
	{ t_fail "qemu/$label/kdump/vmcore-check-build"; exit 1; }

cat >"$work/init" <<'INIT'
#!/bin/sh
. /lib/guest-lib.sh
guest_setup
export LD_LIBRARY_PATH=/lib/x86_64-linux-gnu
if grep -q elfcorehdr= /proc/cmdline; then
	echo "CAPTURE-KERNEL-INIT"
	marker=$(sed -n 's/.*kdumpmarker=\([^ ]*\).*/\1/p' /proc/cmdline)
	# The crashed kernel's hostname (its init_uts_ns), read back through /proc/vmcore.
	/sbin/vmcore-check /proc/vmcore "kdump-$marker"
	# -c (zlib): an uncompressed -d 31 dump of this guest (~65 MB) does not fit in
	# the capture kernel's rootfs, which may fill half of its 192 MB.
	/usr/bin/makedumpfile -c -d 31 /proc/vmcore /tmp/dump >/tmp/mdf.log 2>&1
	rc=$?
	if [ $rc = 0 ]; then tail -n 3 /tmp/mdf.log; else cat /tmp/mdf.log; fi
	echo "MAKEDUMPFILE-STATUS $rc size $(wc -c </tmp/dump 2>/dev/null)"
	guest_poweroff
fi
variant=$(sed -n 's/.*kdumpvariant=\([^ ]*\).*/\1/p' /proc/cmdline)
marker=$(cut -c1-8 /proc/sys/kernel/random/uuid)
hostname "kdump-$marker"
# Debian kdump-tools' kdump-config: this command line minus crashkernel= and friends,
# plus its KDUMP_CMDLINE_APPEND; the marker is passed on for the check above.
cmdline=$(sed -re 's/(^| )(crashkernel|hugepages|hugepagesz|abm)=[^ ]*//g' /proc/cmdline)
cmdline="$cmdline kdumpmarker=$marker reset_devices systemd.unit=kdump-tools-dump.service nr_cpus=1 irqpoll nousb"
extra=
[ "$variant" = kexec-load ] && extra=-c
if [ "$variant" = file ]; then
	if /sbin/kexec -d -p --command-line="$cmdline" --initrd=/boot/initrd.gz /boot/vmlinuz \
		>/tmp/kexec-d.log 2>&1; then
		echo "DEFAULT-LOADED crash_loaded=$(cat /sys/kernel/kexec_crash_loaded)" \
			"file-loads=$(grep -c '^kexec_file_load: loaded' /tmp/kexec-d.log)" \
			"fallbacks=$(grep -c 'falling back' /tmp/kexec-d.log)"
	else
		echo "DEFAULT-LOAD-FAILED status $?"
		tail -n 5 /tmp/kexec-d.log
	fi
	if /sbin/kexec -p -u; then
		echo "UNLOADED crash_loaded=$(cat /sys/kernel/kexec_crash_loaded)"
	else
		echo "UNLOAD-FAILED status $?"
	fi
	extra="-s -d"	# -d: kexec says which call loaded it, here on the console
fi
if /sbin/kexec $extra -p --command-line="$cmdline" --initrd=/boot/initrd.gz /boot/vmlinuz; then
	echo "KDUMP-LOADED crash_loaded=$(cat /sys/kernel/kexec_crash_loaded)"
else
	echo "KDUMP-LOAD-FAILED status $?"
	guest_poweroff
fi
echo "KDUMP-CRASHING"
# Let the tty drain: the panic prints through the console and drops what is queued.
sleep 1
echo c >/proc/sysrq-trigger
INIT

specs=("$work/vmcore-check:/sbin/vmcore-check" "$mdf/bin/makedumpfile:/usr/bin/makedumpfile")
for lib in "$mdf"/lib/*; do
	case $lib in
	*/ld-linux-x86-64.so.2) specs+=("$lib:/lib64/ld-linux-x86-64.so.2") ;;
	*) specs+=("$lib:/lib/x86_64-linux-gnu/$(basename "$lib")") ;;
	esac
done
# The capture kernel's initramfs has the same /init and the dump tools; the first
# kernel's adds kexec, the kernel and that initramfs as /boot/initrd.gz.
mkinitramfs "$work/inner.gz" "$work/init" "${specs[@]}" &&
	mkinitramfs "$work/initrd.gz" "$work/init" "${specs[@]}" "$kexec:/sbin/kexec" \
		"$kernel:/boot/vmlinuz" "$work/inner.gz:/boot/initrd.gz" ||
	{ t_fail "qemu/$label/kdump/initramfs"; exit 1; }

now() { date +%s.%N; }

# One run: 0 when every step happened; failed_step names the first that did not.
run_once() { # name smp variant
	local name=$1 smp=$2 variant=$3 t_crash t_capture
	qemu_start "$name" "$kernel" "$work/initrd.gz" \
		"console=ttyS0 crashkernel=192M kdumpvariant=$variant" "$smp" 768 2 300
	qemu_wait "$name" 0 "KDUMP-LOADED crash_loaded=1" 150 || { failed_step=load; return 1; }
	qemu_wait "$name" 0 "sysrq: Trigger a crash" 30 || { failed_step=crash; return 1; }
	t_crash=$(now)
	qemu_wait "$name" 0 "CAPTURE-KERNEL-INIT" 150 || { failed_step=capture-kernel-init; return 1; }
	t_capture=$(now)
	capture_s=$(echo "$t_capture - $t_crash" | bc)
	qemu_wait "$name" 0 "MAKEDUMPFILE-STATUS" 150 || { failed_step=makedumpfile; return 1; }
}

check_run() { # name smp label
	local name=$1 smp=$2 tag=$3 log
	log=$(qemu_log "$name" 0)
	grep -a "vmcore: \|vmcoreinfo: \|marker: \|MAKEDUMPFILE-STATUS\|makedumpfile Completed" "$log" |
		sed "s|^|  $tag: |"
	grep -qa "vmcore: elf64 core, $smp prstatus notes, vmcoreinfo yes" "$log" &&
		t_pass "$tag/vmcore-notes" || t_fail "$tag/vmcore-notes"
	grep -qa "MAKEDUMPFILE-STATUS 0 " "$log" &&
		t_pass "$tag/makedumpfile-d31" || t_fail "$tag/makedumpfile-d31"
	grep -qa "marker: found at paddr" "$log" && t_pass "$tag/marker" || t_fail "$tag/marker"
}

# The file run's first load and its unload, before the -s load that crashed.
check_file_run() { # name tag
	local log
	log=$(qemu_log "$1" 0)
	grep -a "DEFAULT-LOAD\|UNLOAD" "$log" | sed "s|^|  $2: |"
	grep -qa "DEFAULT-LOADED crash_loaded=1 file-loads=1 fallbacks=0" "$log" &&
		t_pass "$2/default-takes-kexec_file_load" || t_fail "$2/default-takes-kexec_file_load"
	grep -qa "UNLOADED crash_loaded=0" "$log" && t_pass "$2/unload-p-u" || t_fail "$2/unload-p-u"
	grep -qa "^\[ *[0-9.]*\] kexec_file_load: loaded" "$log" &&
		t_pass "$2/s-takes-kexec_file_load" || t_fail "$2/s-takes-kexec_file_load"
}

for run in ${KDUMP_RUNS:-kexec-load:1 kexec-load:2 file:2}; do
	variant=${run%%:*} smp=${run##*:}
	t_begin
	name=kdump-$label-$variant-smp$smp
	tag=qemu/$label/kdump-$variant-smp$smp
	failed_step= capture_s=
	ok=0
	run_once "$name" "$smp" "$variant" && ok=1
	if ((!ok)) && qemu_known_tcg_flake "$name"; then
		echo "NOTE: $tag: the guest hit the known TCG 'Oops: int3'; retrying once"
		qemu_logs_tail "$name" 20
		qemu_stop "$name"
		name=$name-retry
		run_once "$name" "$smp" "$variant" && ok=1
	fi
	if ((ok)); then
		t_pass "$tag/capture-kernel-init"
		printf '%s: crash -> capture kernel /init %.1f s\n' "$tag" "$capture_s"
		check_run "$name" "$smp" "$tag"
		[[ $variant == file ]] && check_file_run "$name" "$tag"
	else
		t_fail "$tag/$failed_step"
	fi
	qemu_stop "$name"
done
rm -rf "$work"
t_exit
