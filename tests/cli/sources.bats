#!/usr/bin/env bats
# The outside world as events: socket activation (`start on socket ...`)
# and file events (`start on file ...`), in a private `init --user` that
# has nothing but its job directory.  Sockets listen on loopback, unix
# paths under the test's directory, or abstract names of its own.

load helpers
load helpers_ctl

ECHO=$BATS_TEST_DIRNAME/../data/listen-echo

setup() {
	start_init
	PORT=$((20000 + RANDOM % 20000))
}

teardown() {
	stop_init
}

# ask ADDRESS: one client's answer ("inet:PORT", "unix:PATH", "abstract:NAME").
ask() {
	python3 - "$1" <<'EOF'
import socket, sys
kind, _, where = sys.argv[1].partition(":")
if kind == "inet":
    s = socket.create_connection(("127.0.0.1", int(where)), timeout=5)
elif kind == "inet6":
    s = socket.create_connection(("::1", int(where)), timeout=5)
else:
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(5)
    s.connect(where if kind == "unix" else "\0" + where)
print(s.makefile().readline().strip())
EOF
}

listening_inet() {
	ss -Hltn "sport = :$1" | grep -q LISTEN
}

@test "socket: inet — listening before anyone asks; the first client starts the job, which gets the socket as fd 3" {
	job echo <<EOF
start on socket PROTO=inet PORT=$PORT ADDR=127.0.0.1
exec $ECHO first
EOF
	wait_for "listening on $PORT" listening_inet "$PORT"
	run initctl status echo
	[ "$output" = "echo stop/waiting" ]
	run ask "inet:$PORT"
	[ "$status" -eq 0 ]
	read -r pid fds upfds arg <<<"$output"
	[ "$fds" = 1 ] && [ "$upfds" = 3 ] && [ "$arg" = first ]
	# Its environment: the event's variables, as Upstart gave them.
	wait_status echo "echo stop/waiting"
	run initctl why echo
	assert_output_contains "event socket PROTO=inet PORT=$PORT ADDR=127.0.0.1 -- connection on inet 127.0.0.1:$PORT"
	# Exited: the socket is init's again, and the next client starts it anew.
	run ask "inet:$PORT"
	[ "$status" -eq 0 ]
	read -r pid2 _ <<<"$output"
	[ "$pid2" != "$pid" ]
	assert_init_alive
}

@test "socket: the job sees UPSTART_EVENTS, UPSTART_FDS, LISTEN_FDS and the event's variables; pre-start gets no socket" {
	job envdump <<EOF
start on socket PROTO=inet PORT=$PORT ADDR=127.0.0.1
pre-start exec sh -c 'env >"$T/pre.env"; if [ -e /proc/\$\$/fd/3 ]; then echo fd3; fi >"$T/pre.fds"'
script
	env >"$T/main.env"
	exec $ECHO env
end script
EOF
	wait_for "listening" listening_inet "$PORT"
	run ask "inet:$PORT"
	[ "$status" -eq 0 ]
	for v in UPSTART_EVENTS=socket UPSTART_FDS=3 LISTEN_FDS=1 PROTO=inet PORT=$PORT ADDR=127.0.0.1; do
		grep -qx "$v" "$T/main.env" || { echo "main: no $v"; cat "$T/main.env"; return 1; }
	done
	grep -qx "PROTO=inet" "$T/pre.env"
	run grep -c "^LISTEN_FDS=\|^UPSTART_FDS=" "$T/pre.env"
	[ "$output" = 0 ]
	[ "$(cat "$T/pre.fds")" = "" ]
}

@test "socket: unix path and abstract name, SOCKET_PATH spelling too; the file is user-only under init --user and goes with the job" {
	job upath <<EOF
start on socket PROTO=unix PATH=$T/echo.sock
exec $ECHO path
EOF
	job uabs <<EOF
start on socket PROTO=unix SOCKET_PATH=@upinit-test-$PORT
exec $ECHO abstract
EOF
	wait_file "$T/echo.sock"
	[ -S "$T/echo.sock" ]
	[ "$(stat -c %a "$T/echo.sock")" = 600 ]
	run ask "unix:$T/echo.sock"
	[ "${output##* }" = path ]
	run ask "abstract:upinit-test-$PORT"
	[ "${output##* }" = abstract ]
	# A second time each: the socket came back when the job ended.
	wait_status upath "upath stop/waiting"
	run ask "unix:$T/echo.sock"
	[ "${output##* }" = path ]
	# The environment names the path as SOCKET_PATH; PATH is the job's own.
	run initctl why upath
	assert_output_contains "event socket PROTO=unix SOCKET_PATH=$T/echo.sock"
	rm "$T/conf/upath.conf"
	wait_for "socket file removed" test ! -e "$T/echo.sock" || { initctl list; initctl history; cat "$T/init.err"; ls -la "$T"; false; }
}

@test "socket: inet6 on ::1" {
	ip -6 addr show dev lo | grep -q "::1" || skip "no IPv6 loopback"
	job echo6 <<EOF
start on socket PROTO=inet6 PORT=$PORT ADDR=::1
exec $ECHO six
EOF
	wait_for "listening" sh -c "ss -Hltn 'sport = :$PORT' | grep -q '\[::1\]'"
	run ask "inet6:$PORT"
	[ "${output##* }" = six ]
	run initctl why echo6
	assert_output_contains "event socket PROTO=inet6 PORT=$PORT ADDR=::1 -- connection on inet6 [::1]:$PORT"
}

@test "socket: a job file that goes closes its socket; one that comes back makes it again" {
	job gone <<EOF
start on socket PROTO=inet PORT=$PORT ADDR=127.0.0.1
exec $ECHO x
EOF
	wait_for "listening" listening_inet "$PORT"
	rm "$T/conf/gone.conf"
	wait_for "closed" sh -c "! ss -Hltn 'sport = :$PORT' | grep -q LISTEN"
	job gone <<EOF
start on socket PROTO=inet PORT=$PORT ADDR=127.0.0.1
exec $ECHO again
EOF
	wait_for "listening again" listening_inet "$PORT"
	run ask "inet:$PORT"
	[ "${output##* }" = again ]
}

@test "socket: a running service keeps the socket: init does not watch it, the daemon serves every client" {
	job svc <<EOF
start on socket PROTO=inet PORT=$PORT ADDR=127.0.0.1
exec $ECHO svc 3
EOF
	wait_for "listening" listening_inet "$PORT"
	run ask "inet:$PORT"
	read -r pid _ <<<"$output"
	run ask "inet:$PORT"
	read -r pid2 _ <<<"$output"
	[ "$pid" = "$pid2" ]
	run initctl status svc
	[ "$output" = "svc start/running, process $pid" ]
	# One socket event only: the second client went to the daemon.
	run initctl history
	[ "$(grep -c '#[0-9]* *event socket ' <<<"$output")" -eq 1 ]
}

@test "socket: restart keeps the socket; a hand-started instance gets none" {
	job rs <<EOF
start on socket PROTO=inet PORT=$PORT ADDR=127.0.0.1
script
	echo "\${LISTEN_FDS:-none}" >>"$T/rs.fds"
	exec $ECHO rs 1 stay
end script
EOF
	wait_for "listening" listening_inet "$PORT"
	run ask "inet:$PORT"
	[ "${output##* }" = rs ]
	initctl restart rs
	wait_status rs "rs start/running"
	initctl stop rs
	initctl start rs
	run cat "$T/rs.fds"
	[ "$output" = "$(printf '1\n1\nnone')" ]
}

@test "socket: re-exec keeps the listening socket and who holds it" {
	job held <<EOF
start on socket PROTO=inet PORT=$PORT ADDR=127.0.0.1
exec $ECHO held 2
EOF
	wait_for "listening" listening_inet "$PORT"
	inode=$(ss -Hltne "sport = :$PORT" | grep -o 'ino:[0-9]*')
	run ask "inet:$PORT"
	read -r pid _ <<<"$output"
	run raw_send 'b"{\"v\":1,\"cmd\":\"reexec\"}"'
	wait_for "init answers after re-exec" "$INITCTL" version
	[ "$(ss -Hltne "sport = :$PORT" | grep -o 'ino:[0-9]*')" = "$inode" ]
	# Still the daemon's: the second client reaches the same process.
	run ask "inet:$PORT"
	read -r pid2 _ <<<"$output"
	[ "$pid2" = "$pid" ]
	# It exited after two: init watches the socket again.
	wait_status held "held stop/waiting"
	run ask "inet:$PORT"
	[ "$status" -eq 0 ]
	read -r pid3 _ <<<"$output"
	[ "$pid3" != "$pid" ]
}

@test "socket: a daemon that fails without accepting cannot make init spin; init says so and still answers" {
	job lazy <<EOF
start on socket PROTO=inet PORT=$PORT ADDR=127.0.0.1
exec false
EOF
	wait_for "listening" listening_inet "$PORT"
	python3 -c "import socket,time; s=socket.create_connection(('127.0.0.1', $PORT)); time.sleep(3)" &
	client=$!
	wait_for "held back" grep -q "failed 10 times" "$T/init.err"
	run initctl history -n 1000
	starts=$(grep -c 'lazy: goal start' <<<"$output")
	sleep 1
	run initctl history -n 1000
	[ "$(grep -c 'lazy: goal start' <<<"$output")" -eq "$starts" ]
	assert_init_alive
	kill $client 2>/dev/null || true
}

@test "socket: malformed conditions are reported with the file, by check-config too, and change nothing else" {
	job bad1 <<'EOF'
start on socket PROTO=inet
exec true
EOF
	job bad2 <<'EOF'
start on socket PROTO=inet PORT=99999
exec true
EOF
	job bad3 <<'EOF'
start on socket PROTO=ipx PORT=1
exec true
EOF
	job bad4 <<'EOF'
start on socket PROTO=inet PORT=$P
exec true
EOF
	job bad5 <<'EOF'
start on socket PROTO=unix PATH=relative.sock
exec true
EOF
	job fine <<EOF
start on socket PROTO=inet PORT=$PORT ADDR=127.0.0.1 or file FILE=$T/f
exec true
EOF
	wait_for "warned" grep -q "bad5.conf: socket: PATH must be absolute" "$T/init.err"
	grep -q "bad1.conf: socket: PORT missing; no socket made" "$T/init.err"
	run initctl check-config
	[ "$status" -eq 1 ]
	assert_output_contains "bad1
  start on: socket: PORT missing"
	assert_output_contains "  start on: socket: PORT must be a number from 1 to 65535"
	assert_output_contains "  start on: socket: PROTO must be inet, inet6 or unix"
	assert_output_contains "  start on: socket: values must be literal (no \$VAR, no pattern)"
	refute_output_contains "fine"
	wait_for "fine still listens" listening_inet "$PORT"
	assert_init_alive
}

@test "socket: a port init may not bind is logged, init lives on, and reload-configuration tries again" {
	python3 -c "import socket,time; s=socket.socket(); s.bind(('127.0.0.1', $PORT)); s.listen(); time.sleep(5)" &
	holder=$!
	wait_for "port taken" listening_inet "$PORT"
	job taken <<EOF
start on socket PROTO=inet PORT=$PORT ADDR=127.0.0.1
exec sleep 1000
EOF
	wait_for "warned" grep -q "taken.conf: socket inet 127.0.0.1:$PORT: Address already in use" "$T/init.err"
	assert_init_alive
	# Running (by hand): a re-read keeps its definition in force, so
	# only the explicit retry of reload-configuration makes the socket.
	initctl start taken
	kill $holder
	wait $holder 2>/dev/null || true
	initctl reload-configuration
	wait_for "listening after the re-read" listening_inet "$PORT"
	initctl stop taken
}

@test "file: create, modify and delete of one path, with FILE and EVENT" {
	job watch <<EOF
start on file FILE=$T/w/flag
task
exec sh -c 'echo "\$UPSTART_EVENTS \$FILE \$EVENT \${MATCH-unset}" >>"$T/events"'
EOF
	mkdir -p "$T/w"
	sleep 0.2
	# Made elsewhere and moved in: a create alone (touch would also
	# write and close it: a create and a modify).
	touch "$T/flag.new"
	mv "$T/flag.new" "$T/w/flag"
	wait_for "create" grep -q "create" "$T/events"
	wait_status watch "watch stop/waiting"
	echo data >>"$T/w/flag"
	wait_for "modify" grep -q "modify" "$T/events"
	wait_status watch "watch stop/waiting"
	rm "$T/w/flag"
	wait_for "delete" grep -q "delete" "$T/events"
	touch "$T/w/other"
	sleep 0.3
	run cat "$T/events"
	[ "${lines[0]}" = "file $T/w/flag create unset" ]
	[ "${lines[1]}" = "file $T/w/flag modify unset" ]
	[ "${lines[2]}" = "file $T/w/flag delete unset" ]
	[ "${#lines[@]}" -eq 3 ]
}

@test "file: EVENT= narrows; a directory (trailing slash) and a glob give MATCH" {
	job_class d <<EOF
start on file FILE=$T/dir/ EVENT=create
instance \$MATCH
exec sh -c 'echo "dir \$FILE \$EVENT \$MATCH" >>"$T/events"'
EOF
	job_class g <<EOF
start on file FILE=$T/dir/*.crash EVENT=delete
instance \$MATCH
exec sh -c 'echo "glob \$FILE \$EVENT \$MATCH" >>"$T/events"'
EOF
	mkdir -p "$T/dir"
	wait_for "dir created" grep -q "^dir $T/dir/ create $T/dir\$" "$T/events"
	touch "$T/dir/a.crash" "$T/dir/b.txt"
	wait_for "entries" sh -c "[ \$(grep -c '^dir' '$T/events') -eq 3 ]"
	rm "$T/dir/a.crash" "$T/dir/b.txt"
	wait_for "glob delete" grep -q "^glob" "$T/events"
	sleep 0.3
	run sort "$T/events"
	[ "$output" = "$(printf '%s\n' "dir $T/dir/ create $T/dir" "dir $T/dir/ create $T/dir/a.crash" \
		"dir $T/dir/ create $T/dir/b.txt" "glob $T/dir/*.crash delete $T/dir/a.crash")" ]
}

@test "file: a path below directories that do not exist yet is followed as they appear" {
	job deep <<EOF
start on file FILE=$T/a/b/c/ready EVENT=create
task
exec touch "$T/deep.ran"
EOF
	mkdir -p "$T/a"
	sleep 0.1
	mkdir -p "$T/a/b/c"
	sleep 0.1
	touch "$T/a/b/c/ready"
	wait_file "$T/deep.ran"
	# And back up when they go, and down again.
	rm -rf "$T/a" "$T/deep.ran"
	sleep 0.2
	mkdir -p "$T/a/b/c"
	sleep 0.1
	touch "$T/a/b/c/ready"
	wait_file "$T/deep.ran"
}

@test "file: under init --user, ~/ and relative paths are below HOME; the event says FILE as written" {
	stop_init
	HOME_DIR=$(mktemp -d)
	HOME=$HOME_DIR start_init
	job rel <<EOF
start on file FILE=~/inbox/msg or file FILE=note
task
exec sh -c 'echo "\$FILE" >>"$T/rel"'
EOF
	mkdir -p "$HOME_DIR/inbox"
	sleep 0.2
	touch "$HOME_DIR/inbox/msg"
	wait_file "$T/rel"
	wait_status rel "rel stop/waiting"
	touch "$HOME_DIR/note"
	wait_for "note" grep -qx note "$T/rel"
	[ "$(head -1 "$T/rel")" = "~/inbox/msg" ]
	rm -rf "$HOME_DIR"
}

@test "file: a HOME that is not absolute means / for relative paths, and init lives on" {
	stop_init
	HOME=relative start_init
	job rel <<EOF
start on file FILE=x or file FILE=~/y
exec true
EOF
	assert_init_alive
}

@test "check-config knows socket, file, network and (system init) device events" {
	job uses <<EOF
start on socket PROTO=inet PORT=$PORT ADDR=127.0.0.1 or file FILE=$T/x or net-device-up IFACE=eth0 or static-network-up
stop on net-device-down IFACE=eth0
exec true
EOF
	job bad <<'EOF'
start on file EVENT=create
exec true
EOF
	run initctl check-config
	refute_output_contains "uses"
	assert_output_contains "bad
  start on: file: FILE missing"
	# Device events come from the kernel only to the system init.
	job dev <<'EOF'
start on net-device-added INTERFACE=eth0
exec true
EOF
	run initctl check-config dev
	assert_output_contains "unknown event net-device-added"
}
