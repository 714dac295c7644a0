# Extra helpers for jobfiles.bats and process.bats (load after helpers.bash).

# conf NAME [SUFFIX]: write $T/conf/NAME.SUFFIX (default conf) from stdin
# atomically, without waiting for anything.
conf() {
	local name=$1 suffix=${2:-conf}
	mkdir -p "$(dirname "$T/conf/$name.$suffix")"
	cat >"$T/conf/$name.$suffix.tmp"
	mv "$T/conf/$name.$suffix.tmp" "$T/conf/$name.$suffix"
}

# defjob NAME: like job, but waits on `show-config` (works for instance
# jobs too, where `status` needs the instance variable).
defjob() {
	conf "$1"
	wait_for "initctl show-config $1" "$INITCTL" show-config "$1"
}

# wait_gone_job NAME: until init no longer knows the job.
wait_gone_job() {
	local name=$1
	for _ in $(seq 1 250); do
		"$INITCTL" status "$name" >/dev/null 2>&1 || return 0
		sleep 0.02
	done
	echo "job $name still known" >&2
	return 1
}

# wait_init_log TEXT: until init's stderr has a line containing TEXT.
wait_init_log() {
	wait_for "init log: $1" grep -qF -- "$1" "$T/init.err"
}

# wait_grep FILE TEXT: until FILE has a line containing TEXT.
wait_grep() {
	wait_for "$2 in $1" grep -qF -- "$2" "$1"
}

# main_pid JOB [K=V]...: the pid on the status line (fails if none).
main_pid() {
	local line
	line=$("$INITCTL" status "$@" | head -n 1)
	case "$line" in
	*", process "*) echo "${line##*, process }" ;;
	*) echo "no process in: $line" >&2; return 1 ;;
	esac
}

# cmdline PID: the argv of PID, arguments separated by '|'.
cmdline() {
	tr '\0' '|' <"/proc/$1/cmdline"
}

# proc_env PID NAME: the value of NAME in PID's initial environment.
proc_env() {
	tr '\0' '\n' <"/proc/$1/environ" | sed -n "s/^$2=//p"
}

# wait_dead PID: until PID no longer exists (or is a zombie).
wait_dead() {
	local pid=$1
	for _ in $(seq 1 250); do
		[ -e "/proc/$pid" ] || return 0
		case "$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$pid/status" 2>/dev/null)" in
		Z | X | "") return 0 ;;
		esac
		sleep 0.02
	done
	echo "process $pid still alive" >&2
	return 1
}

# alive PID: true when PID runs (not a zombie).
alive() {
	[ -e "/proc/$1" ] || return 1
	case "$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null)" in
	Z | X | "") return 1 ;;
	esac
	return 0
}

# stat_field PID N: field N of /proc/PID/stat (1-based, comm-safe).
stat_field() {
	local rest
	rest=$(sed 's/^.*) //' "/proc/$1/stat")
	# field 3 is the first after "(comm) "
	echo "$rest" | awk -v n="$(($2 - 2))" '{ print $n }'
}

# errline FILE LINE MESSAGE: the exact line init logs for a parse error.
errline() {
	printf 'init: %s:%s: %s\n' "$1" "$2" "$3"
}

# refute COMMAND...: fail when COMMAND succeeds.  (A bare `! cmd` does
# not fail a bats test unless it is the test's last command.)
refute() {
	if "$@"; then
		echo "unexpectedly succeeded: $*" >&2
		return 1
	fi
	return 0
}

# wait_cmdline PID ARGV: until PID's cmdline (see cmdline) is ARGV; a
# forked child may not have exec'd yet when init reports it.
wait_cmdline() {
	local pid=$1 want=$2
	for _ in $(seq 1 250); do
		[ "$(cmdline "$pid" 2>/dev/null)" = "$want" ] && return 0
		sleep 0.02
	done
	echo "cmdline of $pid is '$(cmdline "$pid" 2>/dev/null)', wanted '$want'" >&2
	return 1
}
