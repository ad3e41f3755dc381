# check-table.awk: re-check a printed segment table against the kernel's rules
# (kernel/kexec_core.c sanity_check_segment_list) without trusting the loader:
# at most 16 segments, page-aligned mem and end, bufsz <= memsz, no overlap,
# the entry inside a segment; ordinary loads lie in System RAM of iomem,
# multikernel loads lie outside it (in the reservation) and below 4 GiB; panic
# loads (flags bit 0) lie inside a "Crash kernel" region.
#   awk -f check-table.awk -v iomem=PATH -v mk=1|"" < kexec-output
# Prints what is wrong and exits 1; silent and 0 when the table is fine or absent.
function hex(s,    i, c, v) {
	sub(/^0x/, "", s); v = 0
	for (i = 1; i <= length(s); i++) {
		c = index("0123456789abcdef", tolower(substr(s, i, 1))) - 1
		if (c < 0) return -1
		v = v * 16 + c
	}
	return v
}
function bad(msg) { print msg; status = 1 }
BEGIN {
	page = 4096; nram = 0; ncrash = 0; n = 0	# n: a number, never "" as a subscript
	while ((getline line < iomem) > 0) {
		if (line ~ /^[0-9a-f]+-[0-9a-f]+ : System RAM/) {
			split(line, a, /[- ]/)
			ram_s[nram] = hex(a[1]); ram_e[nram] = hex(a[2]) + 1; nram++
		}
		if (line ~ /^ *[0-9a-f]+-[0-9a-f]+ : Crash kernel/) {
			sub(/^ */, "", line); split(line, a, /[- ]/)
			crash_s[ncrash] = hex(a[1]); crash_e[ncrash] = hex(a[2]) + 1; ncrash++
		}
	}
}
/^flags 0x/ { entry = hex($4); panic = hex($2) % 2 }
/^[0-9]+ +0x[0-9a-f]+ +0x[0-9a-f]+ +0x/ {
	s = hex($2); e = hex($3); msz = hex($4); bsz = hex($5)
	if (s % page || e % page) bad("segment " $1 " not page aligned")
	if (e - s != msz) bad("segment " $1 " end - mem != memsz")
	if (bsz > msz) bad("segment " $1 " bufsz > memsz")
	for (j = 0; j < n; j++) if (s < se[j] && ss[j] < e) bad("segment " $1 " overlaps segment " j)
	inram = 0; touches = 0
	for (r = 0; r < nram; r++) {
		if (s >= ram_s[r] && e <= ram_e[r]) inram = 1
		if (s < ram_e[r] && ram_s[r] < e) touches = 1
	}
	if (mk == "1") {
		if (touches) bad("segment " $1 " overlaps host System RAM")
		if (e > 4294967296) bad("segment " $1 " ends above 4 GiB")
	} else if (!inram) bad("segment " $1 " is not inside System RAM")
	# kexec_load with KEXEC_ON_CRASH: every segment inside the crash region.
	if (panic) {
		incrash = 0
		for (r = 0; r < ncrash; r++) if (s >= crash_s[r] && e <= crash_e[r]) incrash = 1
		if (!incrash) bad("segment " $1 " of a panic load is not inside a Crash kernel region")
	}
	ss[n] = s; se[n] = e; n++
}
END {
	if (n == 0) exit status
	if (n > 16) bad("more than 16 segments")
	hit = 0
	for (j = 0; j < n; j++) if (entry >= ss[j] && entry < se[j]) hit = 1
	if (!hit) bad("entry is in no segment")
	exit status
}
