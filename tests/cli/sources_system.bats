#!/usr/bin/env bats
# Socket activation in a system init: PID 1 of namespaces of its own
# (helpers_pid1.bash says how that is kept safe).  A unix socket's file
# lets any user connect (mode 0666, where init --user makes it 0600),
# and an inet socket lives in init's own network namespace.

load helpers
load helpers_pid1

ECHO=$BATS_TEST_DIRNAME/../data/listen-echo

setup() {
	NSPID="" UNSHARE_PID=""
	start_pid1
	chmod 755 "$T"
}

teardown() {
	if [ -n "${T:-}" ] && [ "${BATS_TEST_COMPLETED:-}" != 1 ]; then
		echo "--- init's messages:" >&2
		cat "$T/init.err" >&2 || true
	fi
	stop_pid1
}

# ask_as [COMMAND-PREFIX...] -- ADDRESS: one client's answer (as in
# sources.bats), the client run under the prefix (a user, a namespace).
ask_as() {
	local prefix=()
	while [ "$1" != -- ]; do prefix+=("$1"); shift; done
	shift
	"${prefix[@]}" /usr/bin/python3 -c '
import socket, sys
kind, _, where = sys.argv[1].partition(":")
if kind == "inet":
    s = socket.create_connection(("127.0.0.1", int(where)), timeout=5)
else:
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(5)
    s.connect(where)
print(s.makefile().readline().strip())
' "$1"
}

conf() {
	cat >"$T/conf/$1.conf.tmp"
	mv "$T/conf/$1.conf.tmp" "$T/conf/$1.conf"
}

@test "system init: any user may connect to a unix socket, which starts the job as root" {
	command -v setpriv >/dev/null || skip "no setpriv"
	conf sys <<EOF
start on socket PROTO=unix PATH=$T/sys.sock
exec $ECHO "\$(id -u)"
EOF
	wait_for "socket file" test -S "$T/sys.sock"
	[ "$(stat -c %a "$T/sys.sock")" = 666 ]
	run ask_as setpriv --reuid=65534 --regid=65534 --clear-groups -- "unix:$T/sys.sock"
	[ "$status" -eq 0 ]
	read -r pid fds upfds uid <<<"$output"
	[ "$fds" = 1 ] && [ "$upfds" = 3 ] && [ "$pid" -gt 1 ] && [ "$uid" = 0 ]
	run "$INITCTL" why sys
	[[ "$output" == *"connection on unix $T/sys.sock"* ]]
}

@test "system init: an inet socket in init's network namespace" {
	nsenter --target "$NSPID" --net -- ip link set lo up
	conf web <<EOF
start on socket PROTO=inet PORT=8080 ADDR=127.0.0.1
exec $ECHO web
EOF
	wait_for "listening" sh -c "nsenter --target $NSPID --net -- ss -Hltn 'sport = :8080' | grep -q LISTEN"
	run ask_as nsenter --target "$NSPID" --net -- "inet:8080"
	[ "${output##* }" = web ]
	wait_for "web ended" sh -c "'$INITCTL' status web | grep -q stop/waiting"
	run ask_as nsenter --target "$NSPID" --net -- "inet:8080"
	[ "${output##* }" = web ]
}
