# Extra helpers for the initctl, robustness and valgrind cli tests.
# Load after helpers.bash:   load helpers; load helpers_ctl

# ---- running commands ----

# expect RC STDOUT STDERR COMMAND...: run COMMAND (never longer than 10 s)
# and compare its exit status, standard output and standard error with
# the expected ones exactly (trailing newlines aside).  On a mismatch all
# three are shown, wanted and got.
expect() {
	local want_rc=$1 want_out=$2 want_err=$3 out err rc
	shift 3
	rc=0
	out=$(timeout 10 "$@" 2>"$T/expect.err") || rc=$?
	err=$(cat "$T/expect.err")
	if [ "$rc" = "$want_rc" ] && [ "$out" = "$want_out" ] && [ "$err" = "$want_err" ]; then
		return 0
	fi
	{
		echo "command: $*"
		echo "exit status: got $rc, wanted $want_rc"
		echo "--- stdout got:";    printf '%s\n' "$out" | cat -A
		echo "--- stdout wanted:"; printf '%s\n' "$want_out" | cat -A
		echo "--- stderr got:";    printf '%s\n' "$err" | cat -A
		echo "--- stderr wanted:"; printf '%s\n' "$want_err" | cat -A
	} >&2
	return 1
}

# The usage-error hint libnih prints after a bad command line.
hint() {
	printf "Try \`%s --help' for more information." "${1:-initctl}"
}

# ---- jobs ----

# job_class NAME: like job(), for classes `status NAME` cannot answer
# (instance jobs): wait until `initctl list` shows the class.
job_class() {
	local name=$1
	cat >"$T/conf/$name.conf.tmp"
	mv "$T/conf/$name.conf.tmp" "$T/conf/$name.conf"
	wait_for "class $name in list" sh -c \
		"'$INITCTL' list | grep -q '^$name[ ]'"
}

# wait_grep FILE REGEX: until FILE has a line matching REGEX (5 s).
wait_grep() {
	wait_for "/$2/ in $1" grep -qE -- "$2" "$1"
}

# ---- other users ----

require_root() {
	[ "$(id -u)" = 0 ] || skip "needs root (setpriv to another user)"
	command -v setpriv >/dev/null || skip "setpriv missing"
}

# "${AS_NOBODY[@]}" COMMAND...: run COMMAND as the unprivileged user
# nobody (an array, so that timeout and expect can run it).
AS_NOBODY=(setpriv --reuid=nobody --regid=nogroup --clear-groups)

# ---- raw protocol access ----

# The python3 interpreter itself (a pyenv shim costs a shell per call).
# Looked up once per run: every test file of it shares the answer.
python() {
	local cache=${BATS_RUN_TMPDIR:-${TMPDIR:-/tmp}}/upinit-python3.path
	if [ -z "${PYTHON3:-}" ]; then
		[ -s "$cache" ] || python3 -c 'import sys; print(sys.executable)' >"$cache"
		PYTHON3=$(cat "$cache")
	fi
	"$PYTHON3" "$@"
}

# raw_send PYTHON-BYTES-EXPRESSION: connect to $UPINIT_SOCKET, send the
# packet the expression evaluates to (b'...'), and print init's reply
# packet as text, "<EOF>" when init closed the connection, or
# "<TIMEOUT>" after 5 s without an answer.
raw_send() {
	python -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(os.environ["UPINIT_SOCKET"])
s.settimeout(5)
s.send(eval(sys.argv[1]))
try:
    r = s.recv(1 << 20)
    print(r.decode("utf-8", "replace") if r else "<EOF>")
except socket.timeout:
    print("<TIMEOUT>")
except ConnectionResetError:
    print("<EOF>")
' "$1"
}

# reply_get REPLY KEY: a field of a JSON reply ("" when absent).
reply_get() {
	python -c '
import json, sys
v = json.loads(sys.argv[1]).get(sys.argv[2])
print("" if v is None else v if isinstance(v, str) else json.dumps(v))
' "$1" "$2"
}

# assert_error_reply PYTHON-BYTES-EXPRESSION...: init answers each
# packet, sent on a connection of its own, with a reply of status 1 and
# a non-empty error text.  Every packet and reply is shown on failure.
assert_error_reply() {
	python -c '
import json, os, socket, sys
bad = 0
for expr in sys.argv[1:]:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(os.environ["UPINIT_SOCKET"])
    s.settimeout(5)
    s.send(eval(expr))
    try:
        r = s.recv(1 << 20)
        reply = json.loads(r.decode("utf-8", "replace"))
        ok = reply.get("status") == 1 and isinstance(reply.get("error"), str) \
            and reply["error"] != ""
    except Exception as e:
        r, ok = repr(e).encode(), False
    s.close()
    print("%s: sent %.100s, reply %s" % ("ok" if ok else "BAD", expr,
                                         r.decode("utf-8", "replace")))
    bad += not ok
sys.exit(1 if bad else 0)
' "$@" >&2
}

# assert_init_answers: init is alive and `initctl list` works at once.
assert_init_answers() {
	assert_init_alive
	timeout 5 "$INITCTL" list >/dev/null
}

# ---- init under a wrapper (valgrind) ----

# start_init_wrapped [INIT-ARGS...]: start_init, but with init run under
# the command in $INIT_WRAPPER (word-split, e.g. "valgrind --log-file=F")
# and with up to $INIT_START_TIMEOUT seconds (default 60) to come up.
# INIT_PID is the wrapper's pid, which valgrind keeps for the program.
start_init_wrapped() {
	local i limit=$(( ${INIT_START_TIMEOUT:-60} * 10 ))
	T=$(mktemp -d "${BATS_TMPDIR:-/tmp}/upinit.XXXXXX")
	mkdir -p "$T/conf" "$T/log" "$T/out"
	export UPINIT_SOCKET=$T/control
	unset UPSTART_JOB UPSTART_INSTANCE
	# shellcheck disable=SC2086
	${INIT_WRAPPER:-} "$INIT" --user --confdir "$T/conf" --logdir "$T/log" "$@" \
		>"$T/init.out" 2>"$T/init.err" 3>&- &
	INIT_PID=$!
	for ((i = 0; i < limit; i++)); do
		[ -S "$T/control" ] && "$INITCTL" version >/dev/null 2>&1 && return 0
		kill -0 "$INIT_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "init did not come up:" >&2
	cat "$T/init.err" >&2
	return 1
}

# stop_init_status [SECONDS]: SIGTERM init, wait for it to exit (default
# up to 60 s, then SIGKILL) and set INIT_STATUS to its exit status.
# Leaves $T in place; stop_init cleans up afterwards.
stop_init_status() {
	local i limit=$(( ${1:-60} * 10 ))
	INIT_STATUS=
	[ -n "${INIT_PID:-}" ] || return 0
	kill -TERM "$INIT_PID" 2>/dev/null || true
	for ((i = 0; i < limit; i++)); do
		kill -0 "$INIT_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$INIT_PID" 2>/dev/null || true
	INIT_STATUS=0
	wait "$INIT_PID" || INIT_STATUS=$?
	INIT_PID=
}
