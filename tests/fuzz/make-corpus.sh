#!/bin/bash
# tests/fuzz/make-corpus.sh OUT: seed inputs for every harness, made from the
# recorded machines (tests/fixtures) and the dry-run tier's test images
# (tests/dryrun/mkimage.c), into OUT/<target>/.  Nothing binary is kept in
# the tree: the seeds are rebuilt on every run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
fixtures=$here/../fixtures
out=${1:?usage: make-corpus.sh OUT}
rm -rf "$out"
mkdir -p "$out"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-seeds.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
gcc -O2 -Wall -Wextra -Werror "$here/../dryrun/mkimage.c" -o "$tmp/mkimage"
mk() { "$tmp/mkimage" "$@"; }
seed() { # target name: the seed's bytes on stdin
	mkdir -p "$out/$1"
	cat >"$out/$1/$2"
}

# ---- text parsers: the recorded files, and edits in the shapes real machines have
for m in qemu-1g qemu-1g-mk; do
	seed iomem "$m" <"$fixtures/$m/proc/iomem"
	seed cmdline "$m" <"$fixtures/$m/proc/cmdline"
	seed cpu-list "$m-present" <"$fixtures/$m/sys/devices/system/cpu/present"
done
sed 's/^\(  01960000-019fffff : Kernel bss\)$/\1\n  03000000-0affffff : Crash kernel\n  0c000000-0cffffff : Multikernel Shared Memory/' \
	"$fixtures/qemu-1g/proc/iomem" | seed iomem crash-and-shared
printf '00000000-00000000 : Reserved\n00000000-00000000 : System RAM\n  00000000-00000000 : Kernel code\n' |
	seed iomem hidden
printf 'BOOT_IMAGE=/vmlinuz root=UUID=1 ro quiet crashkernel=256M memmap=0x60000$0x20000,256M$0x20000000 memmap=1G!4G mem=3G console=ttyS0,115200 "init=/bin/sh -c x"\n' |
	seed cmdline debian-like
printf 'memmap=exactmap memmap=640K@0 memmap=2G%%4G-1+2 memmap=16K#0x3000 initrd=\\initrd.img\n' |
	seed cmdline odd-forms
printf '0-3,5,7-63\n' | seed cpu-list ranges
printf '%s\n' "version 1" "cpu 1" "state running" "boot_id 6f0c1e2d-aaaa-4bbb-8ccc-000000000001" \
	"started 1764547200" "image /boot/bzImage" \
	"sha256 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" \
	"cmdline console=ttyS1,115200 acpi=off" "status 0x2ffff000" \
	"range main 0x20000000 0x30000000" "range low 0x20000 0x50000" \
	"segment 0x20000000 0x22e00000" "segment 0x2ffff000 0x30000000" "end" | seed instance running
printf '%s\n' "version 1" "cpu none" "state loaded" "boot_id " "started 0" "image /x" \
	"sha256 0000000000000000000000000000000000000000000000000000000000000000" "cmdline " \
	"status 0" "range main 0x1000 0x2000" "end" | seed instance loaded
printf '0\n' | seed cpu-list single

# ---- TSC sources: 44 bytes of CPUID values and samples, then kernel log lines
hdr() { printf "$1"; head -c 43 /dev/zero; }
{ hdr '\x00'; printf '6,1,0,-;tsc: Fast TSC calibration using PIT\n6,2,0,-;tsc: Detected 2596.088 MHz processor\n'
  printf '6,3,0,-;tsc: Detected 2596.100 MHz TSC\n6,90,0,-;tsc: Refined TSC clocksource calibration: 2596.099 MHz\n'; } |
	seed tsc kmsg-refined
{ hdr '\x00'; printf 'tsc: Marking TSC unstable due to check_tsc_sync_source failed\n'; } | seed tsc unstable
{ printf '\x07\x16\x02\x00\x00\x00\xb0\x00\x00\x00\x00\x36\x6e\x01\x10\x0b'; head -c 28 /dev/zero; } | seed tsc cpuid15

# ---- options: the dry-run tier's argument lists, one argument per line
n=0
grep -v '^#' "$here/../dryrun/cases" | while IFS='|' read -r name sys status args; do
	[ -n "$args" ] || continue
	n=$((n + 1))
	eval "set -- $(echo "$args" | sed 's#\$I/#/images/#g')"
	printf '%s\n' "$@" | seed options "$(echo $name)"
done
printf -- '-p\n-s\n--append=crashkernel=1\n--reuse-cmdline\n/boot/vmlinuz\n' | seed options panic

# ---- range arithmetic and the planner: operation lists (see the harnesses)
printf '\x00\x00\x10\x00\x40\x03\x00\x20\x00\x30\x06\x09\x00\x10\x00\x40\x0a\x00\x10\x00\x40\x10\x0c\x01' |
	seed ranges add-subtract-space
printf '\x12\x02\xff\xff\x02\xff\x00\x09\x05\x01\x00\x02\x00\x20\x00\x00\x07\x00\x00\x16' | seed ranges top
printf '\x02\x00\x01\x01\x00\x10\x00\x00\x10\x0c\x00\x00\x00\x00\x40\x00\x15\x02\x01\x10\x0c\x01\x00\x20\x00\x00\x00\x02\x04\x14' |
	seed planner place
printf '\x01\x00\x10\x01\x00\x40\x01\x10\x0c\x00\x30\x00\x00\x20\x00\x00' | seed planner fixed

# ---- loaders and compressed input: the dry-run tier's images, small
mk bzimage "$tmp/bzImage" payload=4096
mk bzimage "$tmp/bzImage-fixed" payload=4096 relocatable=0
mk bzimage "$tmp/bzImage-2.10" payload=4096 version=0x020a
mk bzimage "$tmp/bzImage-pref-wraps" payload=4096 pref_address=0xffffffffff000000
mk elf "$tmp/payload.elf" paddr=0x20000000 size=0x200
mk elf "$tmp/payload-bss.elf" paddr=0x2000000 size=0x200 bss=0x5000
mk elf "$tmp/payload-vmlinux.elf" paddr=0x1000000 size=0x200 entry=0x1000000
for f in bzImage bzImage-fixed bzImage-2.10 bzImage-pref-wraps; do seed bzimage "$f" <"$tmp/$f"; done
for f in payload.elf payload-bss.elf payload-vmlinux.elf; do seed elf "$f" <"$tmp/$f"; done
gzip -9n <"$tmp/bzImage" | seed compressed bzImage.gz
xz -0 --check=crc32 <"$tmp/bzImage" | seed compressed bzImage-0.xz
xz -3 --check=crc64 <"$tmp/payload.elf" | seed compressed payload-3.xz
zstd -19 -q <"$tmp/bzImage" | seed compressed bzImage.zst
seed compressed plain <"$tmp/payload.elf"
# A host MADT: QEMU's four CPUs (one disabled, hot-pluggable), the x2APIC form of one more.
{ printf 'APIC\x5c\x00\x00\x00\x05\x00BOCHS BXPCAPIC\x01\x00\x00\x00BXPC\x01\x00\x00\x00\x00\x00\xe0\xfe\x01\x00\x00\x00'
  printf '\x00\x08\x00\x00\x01\x00\x00\x00\x00\x08\x01\x01\x01\x00\x00\x00\x00\x08\x02\x02\x01\x00\x00\x00\x00\x08\x03\x03\x00\x00\x00\x00'
  printf '\x09\x10\x00\x00\x00\x01\x00\x00\x01\x00\x00\x00\x04\x00\x00\x00'; } | seed madt qemu-4cpu
# A systemd UKI as ukify/objcopy make one (as the dry-run tier does): an empty PE
# file with the bzImage as .linux, an initramfs as .initrd and a .cmdline.
printf 'initrd bytes' >"$tmp/uki-initrd"
printf 'console=ttyS0 root=/dev/vda ro\0' >"$tmp/uki-cmdline"
echo 'int uki_base;' >"$tmp/uki-base.c"
gcc -c "$tmp/uki-base.c" -o "$tmp/uki-base.o"
objcopy -O pei-x86-64 "$tmp/uki-base.o" "$tmp/uki-base.efi"
objcopy --add-section .cmdline="$tmp/uki-cmdline" --change-section-vma .cmdline=0x30000 \
	--add-section .linux="$tmp/bzImage" --change-section-vma .linux=0x2000000 \
	--add-section .initrd="$tmp/uki-initrd" --change-section-vma .initrd=0x3000000 \
	--set-section-flags .cmdline=data,readonly --set-section-flags .linux=data,readonly \
	--set-section-flags .initrd=data,readonly "$tmp/uki-base.efi" "$tmp/uki.efi"
seed uki uki.efi <"$tmp/uki.efi"
seed uki bzImage <"$tmp/bzImage"
seed uki empty-pe <"$tmp/uki-base.efi"

# ---- whole machines: sectioned inputs (fuzz-common.h, fuzz_write_sysroot)
section() { printf '%%%%%s\n' "$1"; cat; printf '\n'; }
machine() { # fixture [extra iomem line]
	local d=$fixtures/$1
	section iomem <"$d/proc/iomem"
	section cmdline <"$d/proc/cmdline"
	section cpuinfo <"$d/proc/cpuinfo"
	section meminfo <<<"$(head -n 3 "$d/proc/meminfo")"
	section present <"$d/sys/devices/system/cpu/present"
	section online <<<"0"
	section loaded <"$d/sys/kernel/kexec_loaded"
	section crash_loaded <"$d/sys/kernel/kexec_crash_loaded"
	# The TSC's calibration lines of the kernel log, when the recording has one.
	[ ! -f "$d/dev/kmsg" ] || grep 'tsc: ' "$d/dev/kmsg" | section kmsg
	# Its serial ports (sys/class/tty/ttyS*), when recorded.
	for t in "$d"/sys/class/tty/ttyS*; do
		if [ -d "$t" ]; then echo "${t##*/} $(cat "$t/type") $(cat "$t/port") $(cat "$t/dev")"; fi
	done | section tty
	[ ! -f "$d/sys/class/tty/console/active" ] || section console_active <"$d/sys/class/tty/console/active"
}
fwmap() {
	section fwmap <<'MAP'
0x0 0x9fbff System RAM
0x9fc00 0x9ffff Reserved
0x100000 0x27ffffff System RAM
0x28000000 0x3fffffff Reserved
MAP
}
mk_none='Type        Start Address   Segments\n----------  --------------  --------\nNo kimages loaded\n'
{ machine qemu-1g; } | seed host-facts qemu-1g
{ machine qemu-1g-mk; printf "$mk_none" | section multikernel; } | seed host-facts qemu-1g-mk
{ machine qemu-1g-mk; fwmap; section mem <<<"0x28000000 0x2fffffff"; } | seed host-facts mk-fw-partial
{ machine qemu-1g; section mem <<<"0 0xffffffffffffffff"; } | seed host-facts mem-max-no-limit

# The outside campaign's findings (issue 10), kept as seeds: each run replays them.
{ machine qemu-1g; printf 'processor\t: 0\ncpu MHz\t\t: -9\n' | section cpuinfo; } | seed host-facts cpu-mhz-negative
{ machine qemu-1g; printf 'cpu MHz : 1e10\n' | section cpuinfo; } | seed host-facts cpu-mhz-1e10
{ machine qemu-1g
  { echo "00100000-3ffdffff : System RAM"; echo "  01000000-04ffffff : Crash kernel"
    for i in $(seq 0 510); do
	printf '%x-%x : System RAM\n' $((0x100000000 + i * 0x200000)) $((0x100000000 + i * 0x200000 + 0xfffff))
    done; } | section iomem; } | seed host-facts ram-ranges-over-limit
{ machine qemu-1g-mk
  { printf 'memmap=0x60000$0x20000 memmap=0x1fff0000$0x20000000 memmap='
    for i in $(seq 1 510); do printf '1$%d%s' $((i * 2)) "$( ((i < 510)) && echo ,)"; done; } |
	section cmdline; } | seed host-facts memmap-over-limit
mk elf "$tmp/memsz-wraps.elf" paddr=0x2000000 size=0x200 filesz=0 memsz=0xffffffffffffffff
mk elf "$tmp/filesz-memsz-wraps.elf" paddr=0x2000000 size=0x200 memsz=0xffffffffffffffff
for f in memsz-wraps.elf filesz-memsz-wraps.elf; do seed elf "$f" <"$tmp/$f"; done

# A crash kernel load through kexec_load (fuzz-crash, and -c -p in fuzz-dryrun).
crash_machine() {
	local d=$fixtures/qemu-1g-crash c
	machine qemu-1g-crash
	section possible <"$d/sys/devices/system/cpu/possible"
	section vmcoreinfo <"$d/sys/kernel/vmcoreinfo"
	section elfcorehdr_size <"$d/sys/kernel/crash_elfcorehdr_size"
	for c in "$d"/sys/devices/system/cpu/cpu[0-9]*; do
		echo "${c##*/cpu} $(cat "$c/crash_notes") $(cat "$c/crash_notes_size")"
	done | section notes
	section kcore <"$d/proc/kcore"
}
crash_machine | seed crash qemu-1g-crash
{ crash_machine; printf '%s\n' "0 ffff88803ec1e000 416" "1 ffff88803ed1e000 416" "5 1000 416" |
  section notes; section possible <<<"0-7"; } | seed crash more-possible-than-notes

args() { printf '%s\n' "$@" | section args; }
# The same machines through the whole program (issue 10's bug 4 placed the kernel in
# the crash area, and the multikernel reservation over host RAM).
{ cat "$out/host-facts/ram-ranges-over-limit"; section kernel <"$tmp/bzImage"; args -c -l '$K'; } |
	seed dryrun ram-ranges-over-limit
{ cat "$out/host-facts/memmap-over-limit"; printf "$mk_none" | section multikernel
  section kernel <"$tmp/payload.elf"; args --multikernel --cpu=1 '$K'; } | seed dryrun memmap-over-limit
{ machine qemu-1g; args -l '$K' '--initrd=$I' --append=console=ttyS0
  section kernel <"$tmp/bzImage"; section initrd <<<"initrd bytes"; } | seed dryrun load
{ machine qemu-1g-mk; printf "$mk_none" | section multikernel
  args --multikernel --cpu=1 '$K' --serial=0x2f8; section kernel <"$tmp/payload.elf"; } | seed dryrun mk-elf
{ machine qemu-1g-mk; printf "$mk_none" | section multikernel
  args --multikernel --cpu=1 '$K' --mem-max=0xffffffffffffffff; section kernel <"$tmp/bzImage"; } | seed dryrun mk-bzimage
{ machine qemu-1g-mk; printf "$mk_none" | section multikernel; section boot_id <<<"6f0c1e2d-aaaa-4bbb-8ccc-000000000001"
  section instance <"$out/instance/running"; args --multikernel --cpu=1 '$K'
  section kernel <"$tmp/payload.elf"; } | seed dryrun mk-instance-running
{ machine qemu-1g-mk; printf "$mk_none" | section multikernel
  section instance <"$out/instance/running"; args --multikernel --list; } | seed dryrun mk-list
{ machine qemu-1g; args -l '$K'; section kernel <"$tmp/uki.efi"; } | seed dryrun uki
# (A section's last newline belongs to the next "%%" line: the kernel is not last.)
{ machine qemu-1g; zstd -q <"$tmp/bzImage" | section kernel; args -l '$K' --append=quiet; } | seed dryrun zstd
{ crash_machine; args -c -p '$K' '--initrd=$I' --append=irqpoll; section kernel <"$tmp/bzImage"
  section initrd <<<"initrd bytes"; } | seed dryrun crash-kexec-load
{ crash_machine; args -c -p --hotplug '$K'; section kernel <"$tmp/bzImage"; } | seed dryrun crash-hotplug
{ machine qemu-1g-mk; printf "$mk_none" | section multikernel; section kernel <"$tmp/bzImage"
  printf '6,2,0,-;tsc: Detected 2596.088 MHz processor\n6,90,0,-;tsc: Refined TSC clocksource calibration: 2596.099 MHz\n' |
	section kmsg; args --multikernel --cpu=1 '$K'; } | seed dryrun mk-tsc-from-log
{ machine qemu-1g; args -e; section loaded <<<"1"; } | seed dryrun exec
{ machine qemu-1g; args -S -l; } | seed dryrun status
# ---- a spawned kernel's memory (page tables, a printk ring) behind a valid VMCOREINFO
gcc -O2 -Wall -Wextra -Werror "$here/kmemlog-seed.c" -o "$tmp/kmemlog-seed"
"$tmp/kmemlog-seed" | seed kmemlog valid-ring
head -c 4096 /dev/zero | seed kmemlog zeros
echo "$out: $(find "$out" -type f | wc -l) seeds for $(ls "$out" | wc -l) targets"
