#!/usr/bin/env bats
# Who may talk to init's control socket (init(8), initctl(8)): a user
# init answers its owner and root only, unless --open-socket; then other
# users may read but change nothing.  Other users are played by nobody
# (setpriv), against an init run by root, as CI runs the tests.

bats_require_minimum_version 1.5.0

load helpers
load helpers_ctl

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root to act as another user"
	command -v setpriv >/dev/null || skip "no setpriv"
	getent passwd nobody >/dev/null || skip "no user nobody"
}

teardown() {
	# A holder left by a failed test must not keep bats waiting.
	[ -z "${HOLDER:-}" ] || kill "$HOLDER" 2>/dev/null || :
	stop_init
}

# as_nobody CMD...: CMD as uid nobody, with the test's socket.
as_nobody() {
	setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
		env UPINIT_SOCKET="$UPINIT_SOCKET" "$@"
}

# A job with a secret in its environment, and the directory open to
# everyone, so that only the socket itself can keep nobody out.
init_with_secret() {
	T=$(mktemp -d "${BATS_TMPDIR:-/tmp}/access.XXXXXX")
	chmod 755 "$T"
	mkdir -p "$T/conf"
	printf 'env API_TOKEN=s3cret\nexec sleep 1000\n' >"$T/conf/secret.conf"
	INIT_DIR=$T start_init "$@"
	chmod 755 "$T"
}

@test "a user init answers its owner and root only: its socket is 0600 and other users are refused" {
	init_with_secret
	[ "$(stat -c %a "$T/control")" = 600 ]
	"$INITCTL" start secret
	run "$INITCTL" list-env
	[ "$status" -eq 0 ]
	run as_nobody "$INITCTL" status secret
	[ "$status" -ne 0 ]
	refute grep -q "start/running" <<<"$output"
	run as_nobody env UPSTART_JOB=secret UPSTART_INSTANCE= "$INITCTL" get-env API_TOKEN
	[ "$status" -ne 0 ]
	refute grep -q s3cret <<<"$output"
	run as_nobody "$INITCTL" stop secret
	[ "$status" -ne 0 ]
	# Root (the owner here) still has it.
	run "$INITCTL" status secret
	[[ "$output" == "secret start/running, process "* ]]
	# Init itself refuses them too, when the file lets them in (a
	# socket an older image made): nothing is read.
	chmod 666 "$T/control"
	run as_nobody env UPSTART_JOB=secret UPSTART_INSTANCE= "$INITCTL" get-env API_TOKEN
	[ "$status" -ne 0 ]
	refute grep -q s3cret <<<"$output"
	run as_nobody "$INITCTL" list
	[ "$status" -ne 0 ]
	refute grep -q secret <<<"$output"
	assert_init_alive
}

@test "a user init with --open-socket lets other users read, and change nothing" {
	init_with_secret --open-socket
	[ "$(stat -c %a "$T/control")" = 666 ]
	"$INITCTL" start secret
	run as_nobody "$INITCTL" status secret
	[ "$status" -eq 0 ]
	[[ "$output" == "secret start/running, process "* ]]
	run as_nobody "$INITCTL" stop secret
	[ "$status" -ne 0 ]
	run "$INITCTL" status secret
	[[ "$output" == "secret start/running, process "* ]]
}

@test "other users may not read job environments: get-env and list-env are refused, monitor hides event variables" {
	init_with_secret --open-socket
	"$INITCTL" start secret
	run as_nobody env UPSTART_JOB=secret UPSTART_INSTANCE= "$INITCTL" get-env API_TOKEN
	[ "$status" -eq 1 ]
	[ "$output" = "initctl: You do not have permission to read job environment" ]
	run as_nobody env UPSTART_JOB=secret UPSTART_INSTANCE= "$INITCTL" list-env
	[ "$status" -eq 1 ]
	refute grep -q s3cret <<<"$output"
	run as_nobody "$INITCTL" list-env
	[ "$status" -eq 1 ]
	# Root reads them.
	run env UPSTART_JOB=secret UPSTART_INSTANCE= "$INITCTL" get-env API_TOKEN
	[ "$output" = s3cret ]
	# Monitors: nobody's sees the names, and JOB and INSTANCE; root's
	# sees every variable.
	as_nobody "$INITCTL" monitor >"$T/nobody.events" 2>&1 3>&- &
	local mon_nobody=$!
	"$INITCTL" monitor >"$T/root.events" 2>&1 3>&- &
	local mon_root=$!
	wait_for "both monitors subscribed" sh -c \
		"'$INITCTL' emit --no-wait sync >/dev/null; grep -q '^sync' '$T/nobody.events' && grep -q '^sync' '$T/root.events'"
	"$INITCTL" emit hello PASSWORD=hunter2 RUNLEVEL=2
	"$INITCTL" restart secret >/dev/null
	wait_for "events seen" grep -q '^started JOB=secret' "$T/nobody.events"
	wait_for "events seen" grep -q '^started JOB=secret' "$T/root.events"
	kill "$mon_nobody" "$mon_root"
	wait "$mon_nobody" "$mon_root" || :
	grep -qx 'hello PASSWORD=hunter2 RUNLEVEL=2' "$T/root.events"
	grep -qx 'hello RUNLEVEL=2' "$T/nobody.events"
	grep -qx 'started JOB=secret INSTANCE=' "$T/nobody.events"
	refute grep -q hunter2 "$T/nobody.events"
	assert_init_alive
}

# hold N: as nobody, open N connections, ask each for the version, and
# print how many were answered (not refused); the connections stay open until all are
# counted.
hold() {
	as_nobody python3 -c '
import json, os, socket, sys
path, n, ok, held = os.environ["UPINIT_SOCKET"], int(sys.argv[1]), 0, []
for i in range(n):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        s.connect(path)
        s.send(json.dumps({"v": 1, "cmd": "version"}).encode())
        s.settimeout(5)
        reply = s.recv(65536)
        if reply and not json.loads(reply).get("refused"):
            ok += 1
    except OSError:
        pass
    held.append(s)
print(ok)
' "$1"
}

@test "one user's connections are capped (64), and root still gets in while they are held" {
	command -v python3 >/dev/null || skip "no python3"
	init_with_secret --open-socket
	"$INITCTL" start secret
	run hold 100
	[ "$status" -eq 0 ]
	[ "$output" = 64 ]
	# While nobody holds its 64 (in the background), root's requests
	# are answered.
	mkfifo -m 666 "$T/held"
	READY=$T/held
	export READY
	( as_nobody python3 -c '
import json, os, socket, time
held = []
for i in range(64):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(os.environ["UPINIT_SOCKET"]); held.append(s)
open(os.environ["READY"], "w").write("held\n")
time.sleep(30)
' & echo $! >"$T/holder.pid"; wait ) 3>&- &
	read -r _ <"$T/held"
	run "$INITCTL" status secret
	[[ "$output" == "secret start/running, process "* ]]
	run hold 1
	[ "$output" = 0 ]
	kill "$(cat "$T/holder.pid")" 2>/dev/null || :
	assert_init_alive
	grep -q "Refusing control connection of uid $(id -u nobody): too many connections of that user" "$T/init.err"
}

# starve_init HARD: an init with the respawn job svc running (its pid in
# BEFORE), its FIFO at $T/initctl, left with a soft limit of 4 descriptors more than it holds (N
# is that count) and a hard limit of HARD more, the rest taken by a
# holder process (HOLDER) keeping connections open until release_init.
starve_init() {
	command -v python3 >/dev/null || skip "no python3"
	command -v prlimit >/dev/null || skip "no prlimit"
	T=$(mktemp -d "${BATS_TMPDIR:-/tmp}/access.XXXXXX")
	mkdir -p "$T/conf"
	printf 'respawn\nconsole none\nexec sleep 1000\n' >"$T/conf/svc.conf"
	INIT_DIR=$T start_init --initctl-fifo "$T/initctl" --runlevel-file "$T/runlevel"
	"$INITCTL" start svc
	BEFORE=$("$INITCTL" status svc | sed -n 's/.*process \([0-9]*\)$/\1/p')
	[ -n "$BEFORE" ]
	N=$(ls "/proc/$INIT_PID/fd" | wc -l)
	prlimit --pid "$INIT_PID" --nofile=$((N + 4)):$((N + $1))
	# Root's connections: all slots are root's to use.
	mkfifo "$T/filled" "$T/release"
	python3 - "$T" <<'PY' &
import json, os, socket, sys
t, held = sys.argv[1], []
for i in range(20):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        s.connect(os.environ["UPINIT_SOCKET"])
        s.send(json.dumps({"v": 1, "cmd": "version"}).encode())
        s.settimeout(2)
        if s.recv(65536):
            held.append(s)
    except OSError:
        pass
open(t + "/filled", "w").write("%d\n" % len(held))
open(t + "/release").read()
PY
	HOLDER=$!
	read -r _ <"$T/filled"
}

release_init() {
	echo >"$T/release"
	wait "$HOLDER"
}

@test "a respawn job that cannot be spawned for want of descriptors is spawned again once there are some" {
	starve_init 4
	# The main process dies: respawning needs a descriptor (a pipe).
	kill "$BEFORE"
	wait_for "the spawn to fail and be retried" \
		grep -q "svc main process will be spawned again in 1 s" "$T/init.err"
	grep -q "Failed to spawn svc main process: .*Too many open files" "$T/init.err"
	# Descriptors come back: the job runs again, not given up.
	release_init
	wait_for "svc running again" sh -c "'$INITCTL' status svc | grep -q 'start/running, process'"
	local after
	after=$("$INITCTL" status svc | sed -n 's/.*process \([0-9]*\)$/\1/p')
	[ -n "$after" ] && [ "$after" != "$BEFORE" ]
	assert_init_alive
}

@test "a stop while the spawn waits to be tried again stops the job, for good" {
	# A hard limit above the soft one, so that one more descriptor can be
	# given back (for root's stop) without privilege.
	starve_init 8
	kill "$BEFORE"
	wait_for "the spawn to be retried" \
		grep -q "svc main process will be spawned again" "$T/init.err"
	# Room for one connection, not for a spawn (a pipe takes two).
	prlimit --pid "$INIT_PID" --nofile=$((N + 5)):$((N + 8))
	run "$INITCTL" stop svc
	[ "$status" -eq 0 ]
	[ "$output" = "svc stop/waiting" ]
	release_init
	sleep 2.5   # past the next try, had it stayed armed
	run "$INITCTL" status svc
	[ "$output" = "svc stop/waiting" ]
	assert_init_alive
}

@test "out of descriptors, init says so, and root's telinit reaches it through its FIFO instead" {
	starve_init 4
	# initctl is told why, not just disconnected.
	run "$INITCTL" status svc
	[ "$status" -eq 1 ]
	[ "$output" = "initctl: Connection refused by init: out of descriptors" ]
	# telinit: the socket refuses, the FIFO carries the change.
	run env UPINIT_INITCTL="$T/initctl" "$UPINIT_BUILD/telinit" 3
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	release_init
	run "$UPINIT_BUILD/runlevel"
	[ "$output" = "N 3" ]
	assert_init_alive
}
