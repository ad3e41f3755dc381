#!/bin/bash
# Prints the path of a qemu-system-x86_64 whose TCG implements the SHA
# extensions (QEMU 8.2 and later), for the tests of purgatory's SHA-NI path.
# Bookworm's QEMU (7.2) does not, so the first time this fetches Debian
# bookworm-backports' qemu-system-x86 with apt-get download and unpacks it
# with dpkg-deb into a cache outside the repository, beside a wrapper that
# points it at its own firmware and modules.  The system QEMU, which every
# other test runs, is neither replaced nor upgraded: apt runs here on a
# private source list, list directory and archive directory under the cache,
# and only downloads.  Packages that backports' qemu needs and the machine
# lacks (apt's own resolver on the machine's dpkg status says which) are
# unpacked into the same tree and found through LD_LIBRARY_PATH.
#   KEXEC_TEST_CACHE  cache root (default /var/cache/kexec-tests)
# On failure: the reason on stderr and the last line, exit 1.
set -euo pipefail

need=8.2	# the first QEMU whose TCG has SHA256RNDS2 and friends

version_of() { "$1" --version 2>/dev/null | sed -n '1s/^QEMU emulator version \([0-9.]*\).*/\1/p'; }
new_enough() { [ -n "$1" ] && [ "$(printf '%s\n%s\n' "$need" "$1" | sort -V | head -n1)" = "$need" ]; }

# A system QEMU that is new enough already (a later Debian) needs nothing fetched.
if sys=$(command -v qemu-system-x86_64) && new_enough "$(version_of "$sys")"; then
	echo "$sys"
	exit 0
fi

cache=${KEXEC_TEST_CACHE:-/var/cache/kexec-tests}/qemu-sha
apt_dir=$cache/apt
mkdir -p "$apt_dir/sources.d" "$apt_dir/lists/partial" "$apt_dir/archives/partial"
cat >"$apt_dir/sources.d/backports.sources" <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
# The machine's own Debian sources too, so that the resolver can take a
# missing library from bookworm (backports are built against it).
for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list; do
	[ -f "$f" ] && grep -q 'debian' "$f" && cp "$f" "$apt_dir/sources.d/system-$(basename "$f")"
done
apt_private=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$apt_dir/sources.d"
	     -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache::Archives=$apt_dir/archives"
	     -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o APT::Sandbox::User=root)

# The version on offer in the private lists; they are refreshed whenever that
# version is not unpacked yet, so a download never works from stale lists.
# Empty when the lists do not have it (yet).
candidate() {
	{ apt-cache "${apt_private[@]}" madison qemu-system-x86 2>/dev/null || true; } |
		awk -F' *[|] *' '$3 ~ /bookworm-backports/ { print $2; exit }'
}
dir_of() { echo "$cache/${1//[:~+]/_}"; }
ver=$(candidate)
if [ -z "$ver" ] || [ ! -x "$(dir_of "$ver")/bin/qemu-system-x86_64" ]; then
	# The machine's lists first (no download for what it has), then the update.
	cp -n /var/lib/apt/lists/*_dists_* "$apt_dir/lists/" 2>/dev/null || true
	apt-get "${apt_private[@]}" -qq update >/dev/null 2>"$cache/update.err" ||
		{ echo "qemu-sha: apt-get update of bookworm-backports failed: $(tail -n1 "$cache/update.err")" >&2; exit 1; }
	ver=$(candidate)
fi
[ -n "$ver" ] || { echo "qemu-sha: bookworm-backports offers no qemu-system-x86" >&2; exit 1; }

dir=$(dir_of "$ver")
wrapper=$dir/bin/qemu-system-x86_64
if [ ! -x "$wrapper" ]; then
	tmp=$(mktemp -d "$cache/.dl.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	# What installing it would add or upgrade, as NAME=VERSION ("Inst" lines of a
	# simulation); only downloaded and unpacked, never installed.
	apt-get "${apt_private[@]}" -s --no-install-recommends install qemu-system-x86/bookworm-backports \
		>"$tmp/sim" 2>&1 ||
		{ echo "qemu-sha: apt cannot resolve qemu-system-x86/bookworm-backports: $(tail -n1 "$tmp/sim")" >&2; exit 1; }
	awk '$1 == "Inst" { v = ($3 ~ /^\[/) ? $4 : $3; gsub(/[()]/, "", v); print $2 "=" v }' \
		"$tmp/sim" >"$tmp/pkgs"
	(cd "$tmp" && xargs apt-get "${apt_private[@]}" -qq download <pkgs >download.log 2>&1) ||
		{ echo "qemu-sha: apt-get download failed: $(tail -n1 "$tmp/download.log")" >&2; exit 1; }
	for deb in "$tmp"/*.deb; do
		dpkg-deb -x "$deb" "$tmp/root"
	done
	mkdir -p "$tmp/bin"
	# The binary looks for firmware and modules at /usr/...: the system QEMU's.
	cat >"$tmp/bin/qemu-system-x86_64" <<EOF
#!/bin/sh
# bookworm-backports' qemu $ver, unpacked by tests/lib/qemu-sha.sh
r=$dir/root
LD_LIBRARY_PATH=\$r/usr/lib/x86_64-linux-gnu\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH} \\
QEMU_MODULE_DIR=\$r/usr/lib/x86_64-linux-gnu/qemu \\
	exec "\$r/usr/bin/qemu-system-x86_64" -L "\$r/usr/share/qemu" -L "\$r/usr/share/seabios" "\$@"
EOF
	chmod +x "$tmp/bin/qemu-system-x86_64"
	rm -rf "$dir"
	mkdir -p "$dir"
	mv "$tmp/root" "$tmp/bin" "$dir/"
fi
got=$(version_of "$wrapper")
new_enough "$got" ||
	{ echo "qemu-sha: the unpacked qemu $ver does not run or is older than $need (got '$got')" >&2; exit 1; }
echo "$wrapper"
