# shellcheck shell=bash
# shellcheck source-path=SCRIPTDIR
# shellcheck disable=SC2034 # QEMU_EXIT_STATUS is read by the scripts that source this
# tests/qemu/harness.sh - shared QEMU (TCG) harness for end-to-end tests.
#
# Source it from a bash test script:
#
#     . "$(dirname "$0")/../qemu/harness.sh"
#
# Guest API
#   qemu_start NAME KERNEL INITRD "APPEND" SMP MEM_MB NPORTS TIMEOUT_S [qemu args...]
#       Boot qemu-system-x86_64 in the background.  Serial port i (0 <= i < NPORTS)
#       is written live to $QEMU_LOGDIR/NAME.ttyS<i>.raw (bytes as sent) and
#       $QEMU_LOGDIR/NAME.ttyS<i>.log (one "[   s.mmm] text" line per guest line,
#       seconds since qemu_start).  qemu is killed after TIMEOUT_S whatever happens.
#   qemu_wait NAME PORT "MARKER" TIMEOUT_S
#       0 once the fixed string MARKER has appeared on ttyS<PORT>; 1 on timeout or
#       when qemu exited without printing it.
#   qemu_wait_exit NAME TIMEOUT_S   0 once qemu has exited (its status is in
#                                   QEMU_EXIT_STATUS), 1 on timeout.
#   qemu_send NAME PORT "TEXT"      write TEXT to the guest's ttyS<PORT>.
#   qemu_stop NAME                  stop qemu and its log readers (idempotent).
#   qemu_stop_all                   stop every guest.
#   qemu_cleanup                    qemu_stop_all, then delete the log directory
#                                   if the harness made it, nothing failed and
#                                   QEMU_KEEP_LOGS is unset.  The EXIT trap; call
#                                   it from your own EXIT trap if you set one.
#   qemu_logs_tail NAME [N]         last N (default 40) lines of every serial log.
#   qemu_log NAME PORT              path of ttyS<PORT>'s timestamped log.
#   qemu_known_tcg_flake NAME       0 if NAME's logs show the one TCG failure
#                                   we know is not ours ("Oops: int3" early in
#                                   a kernel, seen once with -smp 2).  Retry
#                                   at most once on it, and say so.
#
# Result API (protocol in tests/README.md)
#   t_pass NAME / t_fail NAME / t_skip NAME WHY
#       t_fail also prints the tail of every serial log of every guest started
#       since the last t_begin (or since the harness was sourced), once per
#       guest per case (T_FAIL_TAIL lines, default 40).
#   t_begin           forget the guests of the previous test case.
#   t_failures        number of t_fail calls so far.
#   t_exit            exit 1 if any case failed, else 0.
#
# Environment
#   QEMU_LOGDIR       where logs go (default: a fresh mktemp -d, deleted at exit
#                     unless a case failed or QEMU_KEEP_LOGS is set).
#   QEMU_BIN          default qemu-system-x86_64.
#   QEMU_MACHINE      default q35 (boots both Debian's 6.12 and the test kernel).
#   QEMU_CPU          default qemu64 (TCG's plain x86-64; 4-level paging).
#   QEMU_EXTRA_ARGS   extra arguments appended to every qemu command line.
#
# The guest's serial lines come through FIFOs (-chardev pipe) read by
# tests/qemu/serial-log.sh, so waits see output as soon as the guest sends it.

if [[ -n ${_QEMU_HARNESS_LOADED:-} ]]; then
	return 0
fi
_QEMU_HARNESS_LOADED=1

QEMU_HARNESS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
QEMU_BIN=${QEMU_BIN:-qemu-system-x86_64}
QEMU_MACHINE=${QEMU_MACHINE:-q35}
QEMU_CPU=${QEMU_CPU:-qemu64}
_qemu_logdir_owned=0
if [[ -z ${QEMU_LOGDIR:-} ]]; then
	QEMU_LOGDIR=$(mktemp -d "${TMPDIR:-/tmp}/qemu-logs.XXXXXX")
	_qemu_logdir_owned=1
fi
mkdir -p "$QEMU_LOGDIR"
export QEMU_LOGDIR

# mkinitramfs lives in its own file so it can also be run as a command.
# shellcheck source=./mkinitramfs.sh
. "$QEMU_HARNESS_DIR/mkinitramfs.sh"

_qemu_all=()		# every guest started by this shell
_qemu_case=()		# guests started since t_begin
_qemu_dumped=()		# guests whose logs t_fail already printed
_t_failed=0
# shellcheck disable=SC2034 # read by callers
QEMU_EXIT_STATUS=

_qemu_log() { printf 'harness: %s\n' "$*" >&2; }

# Guest names become file names; keep them simple.
_qemu_check_name()
{
	if [[ ! $1 =~ ^[A-Za-z0-9_.-]+$ ]]; then
		_qemu_log "bad guest name '$1' (use [A-Za-z0-9_.-])"
		return 1
	fi
}

# Install qemu from Debian if it is missing (CI starts from a bare machine).
qemu_require()
{
	command -v "$QEMU_BIN" >/dev/null 2>&1 && return 0
	if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
		_qemu_log "installing qemu-system-x86"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q qemu-system-x86 \
			>"$QEMU_LOGDIR/apt-qemu.log" 2>&1 || true
	fi
	command -v "$QEMU_BIN" >/dev/null 2>&1 && return 0
	_qemu_log "$QEMU_BIN not found"
	return 1
}

qemu_log() { printf '%s/%s.ttyS%s.log\n' "$QEMU_LOGDIR" "$1" "$2"; }

_qemu_running()
{
	local d=$QEMU_LOGDIR/$1
	[[ -f $d.tpid && ! -f $d.rc ]]
}

qemu_start()
{
	if (($# < 8)); then
		_qemu_log "usage: qemu_start NAME KERNEL INITRD APPEND SMP MEM_MB NPORTS TIMEOUT_S [args]"
		return 2
	fi
	local name=$1 kernel=$2 initrd=$3 append=$4 smp=$5 mem=$6 nports=$7 tmo=$8
	shift 8
	local base=$QEMU_LOGDIR/$name i
	local -a args

	_qemu_check_name "$name" || return 2
	qemu_require || return 1
	if _qemu_running "$name"; then
		_qemu_log "guest $name is already running"
		return 1
	fi
	if [[ ! -r $kernel ]]; then
		_qemu_log "kernel $kernel not readable"
		return 1
	fi
	if [[ -n $initrd && ! -r $initrd ]]; then
		_qemu_log "initrd $initrd not readable"
		return 1
	fi
	if ((nports < 2)); then
		_qemu_log "NPORTS must be at least 2 (got $nports)"
		return 2
	fi
	# Leftovers of an earlier guest of this name: stop its log readers
	# before their files go away (a reader blocked on a deleted FIFO
	# would never end).
	qemu_stop "$name"
	rm -f "$base".*

	args=(-machine "$QEMU_MACHINE" -accel tcg -cpu "$QEMU_CPU"
	      -smp "$smp" -m "$mem"
	      -nodefaults -display none -vga none -monitor none -no-reboot
	      -pidfile "$base.qemupid"
	      -kernel "$kernel" -append "$append")
	[[ -n $initrd ]] && args+=(-initrd "$initrd")

	for ((i = 0; i < nports; i++)); do
		# -chardev pipe uses PATH.in (guest input) and PATH.out (guest output).
		mkfifo "$base.ttyS$i.in" "$base.ttyS$i.out"
		: >"$base.ttyS$i.raw"
		: >"$base.ttyS$i.log"
		setsid "$QEMU_HARNESS_DIR/serial-log.sh" "$base.ttyS$i.out" \
			"$base.ttyS$i.raw" "$base.ttyS$i.log" </dev/null &
		echo $! >"$base.ttyS$i.readerpid"
		args+=(-chardev "pipe,id=ser$i,path=$base.ttyS$i"
		       -serial "chardev:ser$i")
	done
	# shellcheck disable=SC2206 # QEMU_EXTRA_ARGS is a plain word list.
	args+=("$@" ${QEMU_EXTRA_ARGS:-})

	printf '%s ' "$QEMU_BIN" "${args[@]}" >"$base.cmdline"
	echo >>"$base.cmdline"

	# timeout(1) puts qemu in its own process group and kills it after tmo
	# seconds (SIGKILL 5 s later if SIGTERM was not enough).  The wrapper
	# subshell records qemu's exit status for qemu_wait_exit.
	(
		timeout -k 5 "$tmo" "$QEMU_BIN" "${args[@]}" \
			</dev/null >"$base.qemu.out" 2>&1 &
		echo $! >"$base.tpid"
		wait $!
		echo $? >"$base.rc.tmp"
		mv "$base.rc.tmp" "$base.rc"
	) &
	echo $! >"$base.wpid"
	_qemu_all+=("$name")
	_qemu_case+=("$name")

	# Wait until timeout(1) has recorded its pid, so qemu_stop always works.
	for ((i = 0; i < 50; i++)); do
		[[ -s $base.tpid ]] && break
		sleep 0.1
	done
	date +%s.%N >"$base.start"
	return 0
}

# qemu_wait NAME PORT MARKER TIMEOUT_S
qemu_wait()
{
	local name=$1 port=$2 marker=$3 tmo=$4
	local raw=$QEMU_LOGDIR/$name.ttyS$port.raw
	local deadline=$((SECONDS + tmo)) exited=0

	if [[ ! -e $raw ]]; then
		_qemu_log "qemu_wait: no such port: $name ttyS$port"
		return 1
	fi
	while :; do
		grep -qaF -- "$marker" "$raw" && return 0
		((exited)) && return 1
		if [[ -f $QEMU_LOGDIR/$name.rc ]]; then
			# qemu is gone; give the log reader a moment to drain.
			exited=1
			_qemu_drain "$name"
			continue
		fi
		((SECONDS >= deadline)) && return 1
		sleep 0.2
	done
}

# Wait (bounded) for the log readers of NAME to finish after qemu exited.
_qemu_drain()
{
	local base=$QEMU_LOGDIR/$1 f pid i fd
	# Still running: the readers are live, nothing to wait for.
	[[ -f $base.tpid && ! -f $base.rc ]] && return 0
	# A reader whose FIFO qemu never opened (qemu failed early) is still
	# blocked in open(2): open the FIFO read-write (never blocks) and close
	# it again, which lets the reader open it and see end-of-file.
	for f in "$base".ttyS*.out; do
		[[ -p $f ]] || continue
		{ exec {fd}<>"$f"; exec {fd}>&-; } 2>/dev/null || true
	done
	for f in "$base".ttyS*.readerpid; do
		[[ -f $f ]] || continue
		pid=$(<"$f")
		for ((i = 0; i < 20; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
	done
}

# qemu_wait_exit NAME TIMEOUT_S
qemu_wait_exit()
{
	local name=$1 tmo=$2
	local base=$QEMU_LOGDIR/$name
	local deadline=$((SECONDS + tmo))

	QEMU_EXIT_STATUS=
	[[ -f $base.tpid ]] || return 1
	while [[ ! -f $base.rc ]]; do
		((SECONDS >= deadline)) && return 1
		sleep 0.2
	done
	QEMU_EXIT_STATUS=$(<"$base.rc")
	_qemu_drain "$name"
	return 0
}

# qemu_send NAME PORT TEXT
qemu_send()
{
	local fifo=$QEMU_LOGDIR/$1.ttyS$2.in
	_qemu_running "$1" || return 1
	# qemu holds the FIFO open read-write, so opening it never blocks.
	printf '%s' "$3" >"$fifo"
}

_qemu_kill_file()
{
	local sig=$1 f=$2 pid
	[[ -s $f ]] || return 0
	pid=$(<"$f")
	[[ $pid =~ ^[0-9]+$ ]] || return 0
	kill "-$sig" "$pid" 2>/dev/null || true
}

qemu_stop()
{
	local name=$1 base=$QEMU_LOGDIR/$1 i f
	[[ -f $base.tpid ]] || return 0
	if [[ ! -f $base.rc ]]; then
		_qemu_kill_file TERM "$base.tpid"
		for ((i = 0; i < 30; i++)); do
			[[ -f $base.rc ]] && break
			sleep 0.1
		done
		# timeout -k escalates on its own; this is the last resort.
		if [[ ! -f $base.rc ]]; then
			_qemu_kill_file KILL "$base.qemupid"
			_qemu_kill_file KILL "$base.tpid"
			for ((i = 0; i < 30; i++)); do
				[[ -f $base.rc ]] && break
				sleep 0.1
			done
		fi
	fi
	_qemu_drain "$name"
	# Readers run in their own session: kill whatever is left of the group.
	for f in "$base".ttyS*.readerpid; do
		[[ -s $f ]] || continue
		kill -TERM -- "-$(<"$f")" 2>/dev/null || true
		rm -f "$f"
	done
	rm -f "$base".ttyS*.in "$base".ttyS*.out
	return 0
}

qemu_stop_all()
{
	local n
	for n in "${_qemu_all[@]}"; do
		qemu_stop "$n"
	done
}

# qemu_logs_tail NAME [N]
qemu_logs_tail()
{
	local name=$1 n=${2:-40} f port
	for f in "$QEMU_LOGDIR/$name".ttyS*.log; do
		[[ -f $f ]] || continue
		port=${f##*.ttyS}
		port=${port%.log}
		printf '==== %s ttyS%s: last %s lines (%s) ====\n' "$name" "$port" "$n" "$f"
		tail -n "$n" "$f"
	done
	f=$QEMU_LOGDIR/$name.qemu.out
	if [[ -s $f ]]; then
		printf '==== %s qemu stdout/stderr ====\n' "$name"
		tail -n "$n" "$f"
	fi
	if [[ -f $QEMU_LOGDIR/$name.rc ]]; then
		printf '==== %s qemu exit status %s%s ====\n' "$name" \
			"$(<"$QEMU_LOGDIR/$name.rc")" \
			"$( [[ $(<"$QEMU_LOGDIR/$name.rc") == 124 || $(<"$QEMU_LOGDIR/$name.rc") == 137 ]] && echo ' (hard timeout)')"
	fi
}

qemu_known_tcg_flake()
{
	grep -qaF 'Oops: int3' "$QEMU_LOGDIR/$1".ttyS*.log 2>/dev/null
}

t_begin() { _qemu_case=(); _qemu_dumped=(); }
t_pass() { printf 'PASS: %s\n' "$1"; }
# ... | t_has [GREP-OPTIONS] PATTERN: grep -q that drains its input.  A writer
# piped into a bare 'grep -q' is killed by SIGPIPE when grep stops at the first
# match, and under pipefail that fails the check (seen: a PASS turned FAIL).
t_has() { local rc; grep -q "$@"; rc=$?; cat >/dev/null; return $rc; }
t_skip() { printf 'SKIP: %s (%s)\n' "$1" "$2"; }
t_fail()
{
	local n
	printf 'FAIL: %s\n' "$1"
	_t_failed=$((_t_failed + 1))
	for n in "${_qemu_case[@]}"; do
		[[ " ${_qemu_dumped[*]} " == *" $n "* ]] && continue
		_qemu_dumped+=("$n")
		_qemu_drain "$n"
		qemu_logs_tail "$n" "${T_FAIL_TAIL:-40}"
	done
}
t_failures() { echo "$_t_failed"; }
t_exit() { ((_t_failed == 0)) && exit 0; exit 1; }

qemu_cleanup()
{
	qemu_stop_all
	if ((_qemu_logdir_owned && _t_failed == 0)) && [[ -z ${QEMU_KEEP_LOGS:-} ]]; then
		rm -rf "$QEMU_LOGDIR"
	elif ((_t_failed)); then
		printf 'harness: guest logs kept in %s\n' "$QEMU_LOGDIR" >&2
	fi
}

_qemu_exit_trap()
{
	local rc=$?
	qemu_cleanup
	return $rc
}
trap _qemu_exit_trap EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
