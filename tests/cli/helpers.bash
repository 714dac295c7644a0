# Shared helpers for the cli tests: each test gets a private `init --user`
# with its own job directory, log directory and control socket, driven
# with the real tools from $UPINIT_BUILD.

: "${UPINIT_BUILD:=$BATS_TEST_DIRNAME/../../build}"
INIT=$UPINIT_BUILD/init
INITCTL=$UPINIT_BUILD/initctl
PATH=$UPINIT_BUILD:$PATH
# shellcheck source=../assert.bash
. "$BATS_TEST_DIRNAME/../assert.bash"

# Start a private init.  Extra arguments go to init.  Its directory is
# $INIT_DIR when set (a test's tree already there), else a new one.
start_init() {
	T=${INIT_DIR:-$(mktemp -d "${BATS_TMPDIR:-/tmp}/upinit.XXXXXX")}
	mkdir -p "$T/conf" "$T/log" "$T/out"
	export UPINIT_SOCKET=$T/control
	unset UPSTART_JOB UPSTART_INSTANCE
	# Jobs inherit init's environment, and the event tests record every
	# one- or two-letter variable a job sees: a CI runner's CI=true (or a
	# user's X=...) must not reach them.
	local v
	for v in $(compgen -e | grep -E '^[A-Z]{1,2}$'); do unset "$v"; done
	# Jobs get cgroups only in a subtree a test made for them
	# (helpers_cgroup.bash sets INIT_CGROUP): never below whatever
	# cgroup the test runner happens to be in.
	if [ -n "${INIT_CGROUP:-}" ]; then
		sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$INIT_CGROUP" \
			"$INIT" --user --confdir "$T/conf" --logdir "$T/log" "$@" \
			>"$T/init.out" 2>"$T/init.err" &
	else
		"$INIT" --user --no-cgroups --confdir "$T/conf" --logdir "$T/log" "$@" \
			>"$T/init.out" 2>"$T/init.err" &
	fi
	INIT_PID=$!
	for _ in $(seq 1 200); do
		[ -S "$T/control" ] && "$INITCTL" version >/dev/null 2>&1 && return 0
		sleep 0.02
	done
	echo "init did not come up:" >&2
	cat "$T/init.err" >&2
	return 1
}

stop_init() {
	[ -n "${INIT_PID:-}" ] || return 0
	kill -TERM "$INIT_PID" 2>/dev/null || true
	for _ in $(seq 1 100); do
		kill -0 "$INIT_PID" 2>/dev/null || break
		sleep 0.02
	done
	kill -KILL "$INIT_PID" 2>/dev/null || true
	wait "$INIT_PID" 2>/dev/null || true
	INIT_PID=
	[ -n "${T:-}" ] && rm -rf "$T"
}

# init must still be alive and answering.
assert_init_alive() {
	kill -0 "$INIT_PID" || { echo "init died" >&2; cat "$T/init.err" >&2; return 1; }
	"$INITCTL" version | grep -q upstart
}

# job NAME: write the job file from stdin and wait until init knows it.
job() {
	local name=$1
	mkdir -p "$(dirname "$T/conf/$name.conf")"
	cat >"$T/conf/$name.conf.tmp"
	mv "$T/conf/$name.conf.tmp" "$T/conf/$name.conf"
	wait_for "initctl status $name" "$INITCTL" status "$name"
}

# wait_for DESCRIPTION COMMAND...: retry for up to 5 s.
wait_for() {
	local what=$1; shift
	for _ in $(seq 1 250); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.02
	done
	echo "timed out waiting for: $what" >&2
	return 1
}

# wait_status JOB EXPECTED-PREFIX: until `status JOB` starts with it.
wait_status() {
	local job=$1 want=$2
	for _ in $(seq 1 250); do
		case "$("$INITCTL" status "$job" 2>&1)" in
		"$want"*) return 0 ;;
		esac
		sleep 0.02
	done
	echo "status of $job is '$("$INITCTL" status "$job" 2>&1)', wanted '$want'" >&2
	return 1
}

wait_file() {
	wait_for "file $1" test -e "$1"
}

# Lines of init's stderr so far.
init_log() {
	cat "$T/init.err"
}
