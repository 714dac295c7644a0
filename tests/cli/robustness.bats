#!/usr/bin/env bats
# A hostile or broken control client can neither stall nor crash init:
# malformed packets get an error reply (status 1 and a text), slow or
# greedy clients cannot keep init from answering everybody else.

load helpers
load helpers_ctl

setup() {
	start_init
}

teardown() {
	local p
	for p in ${BG_PIDS:-}; do
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	BG_PIDS=
	stop_init
}

# Run python code with the socket module in the background; its pid
# goes to BG_PIDS for teardown.
bg_python() {
	python -c ''
	T=$T "$PYTHON3" -c "$1" "${@:2}" 3>&- &
	BG_PIDS="${BG_PIDS:-} $!"
}

@test "garbage bytes" {
	assert_error_reply "b'\\x00\\xff\\xfe\\x01 garbage'"
	assert_error_reply "bytes(range(256))"
	assert_error_reply "b'\\x00'"
	assert_init_answers
}

@test "a packet that is not JSON, truncated JSON, trailing data" {
	assert_error_reply "b'hello'"
	assert_error_reply "b'{\"v\":1,\"cmd\":\"list\"'"
	assert_error_reply "b'{\"v\":1,\"cmd\":\"list\"}{\"v\":1,\"cmd\":\"list\"}'"
	assert_error_reply "b'{\"v\":1,\"cmd\":\"list\"} junk'"
	assert_error_reply "b'[' * 100000"
	assert_error_reply "b'{\"a\":' * 10000 + b'1' + b'}' * 10000"
	assert_init_answers
}

@test "JSON that is not an object" {
	packets=()
	for p in "[1,2]" "12" "-1.5e300" "\"str\"" "null" "true" "[]" "[{\"v\":1,\"cmd\":\"list\"}]"; do
		packets+=("b'$p'")
	done
	assert_error_reply "${packets[@]}"
	assert_init_answers
}

@test "an object without v, or with the wrong v" {
	assert_error_reply "b'{}'"
	assert_error_reply "b'{\"cmd\":\"list\"}'"
	packets=()
	for v in 0 2 -1 1.5 '"1"' null true '[1]' '{}' 4294967297; do
		packets+=("b'{\"v\":$v,\"cmd\":\"list\"}'")
	done
	assert_error_reply "${packets[@]}"
	assert_init_answers
}

@test "an unknown, missing or mistyped command" {
	assert_error_reply "b'{\"v\":1}'"
	assert_error_reply "b'{\"v\":1,\"cmd\":\"frob\"}'"
	assert_error_reply "b'{\"v\":1,\"cmd\":\"\"}'"
	assert_error_reply "b'{\"v\":1,\"cmd\":5}'"
	assert_error_reply "b'{\"v\":1,\"cmd\":null}'"
	assert_error_reply "b'{\"v\":1,\"cmd\":[\"list\"]}'"
	assert_error_reply "b'{\"v\":1,\"cmd\":\"' + b'x' * 60000 + b'\"}'"
	assert_init_answers
}

@test "fields of the wrong type" {
	job svc <<-'EOF'
	exec sleep 1000
	EOF
	packets=()
	for cmd in start stop restart reload status; do
		packets+=("b'{\"v\":1,\"cmd\":\"$cmd\",\"job\":5}'"
			"b'{\"v\":1,\"cmd\":\"$cmd\",\"job\":[\"svc\"]}'"
			"b'{\"v\":1,\"cmd\":\"$cmd\",\"job\":\"svc\",\"env\":\"A=1\"}'"
			"b'{\"v\":1,\"cmd\":\"$cmd\",\"job\":\"svc\",\"env\":[1,2]}'"
			"b'{\"v\":1,\"cmd\":\"$cmd\",\"job\":\"svc\",\"env\":[\"A=1\",null]}'"
			"b'{\"v\":1,\"cmd\":\"$cmd\",\"job\":\"svc\",\"env\":{\"A\":\"1\"}}'")
	done
	assert_error_reply "${packets[@]}" \
		"b'{\"v\":1,\"cmd\":\"emit\",\"event\":5}'" \
		"b'{\"v\":1,\"cmd\":\"emit\",\"event\":\"e\",\"env\":\"A=1\"}'" \
		"b'{\"v\":1,\"cmd\":\"emit\",\"event\":\"e\",\"env\":[true]}'" \
		"b'{\"v\":1,\"cmd\":\"set-env\",\"vars\":\"A=1\"}'" \
		"b'{\"v\":1,\"cmd\":\"get-env\",\"vars\":[1]}'" \
		"b'{\"v\":1,\"cmd\":\"show-config\",\"job\":\"nope\"}'" \
		"b'{\"v\":1,\"cmd\":\"status\",\"job\":\"../../etc/passwd\"}'" \
		"b'{\"v\":1,\"cmd\":\"status\",\"job\":\"\\xff\\xfe\"}'"
	# The mistyped requests changed nothing.
	expect 0 "svc stop/waiting" "" initctl status svc
	assert_init_answers
}

@test "an oversized packet (> 64 KiB)" {
	reply=$(raw_send "b'{\"v\":1,\"cmd\":\"list\",\"pad\":\"' + b'a' * 70000 + b'\"}'")
	echo "reply: $reply" >&2
	# An error reply, or the connection dropped; never a success.
	case "$reply" in
	"<EOF>") ;;
	"{"*) [ "$(reply_get "$reply" status)" = 1 ] && [ -n "$(reply_get "$reply" error)" ] ;;
	*) false ;;
	esac
	reply=$(raw_send "b'x' * 150000")
	[ "$reply" = "<EOF>" ] || [ "$(reply_get "$reply" status)" = 1 ]
	assert_init_answers
}

@test "an empty packet" {
	reply=$(raw_send "b''")
	echo "reply: $reply" >&2
	[ "$reply" = "<EOF>" ] || [ "$(reply_get "$reply" status)" = 1 ]
	assert_init_answers
}

@test "clients that connect and never write do not delay others" {
	bg_python '
import os, socket, time
socks = []
for _ in range(50):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(os.environ["UPINIT_SOCKET"])
    socks.append(s)
open(os.environ["T"] + "/out/idle-ready", "w").close()
time.sleep(60)
'
	wait_file "$T/out/idle-ready"
	start=$(date +%s%N)
	for _ in 1 2 3 4 5; do
		timeout 2 "$INITCTL" list >/dev/null
	done
	elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
	echo "5 lists took $elapsed ms" >&2
	[ "$elapsed" -lt 2000 ]
	assert_init_answers
}

@test "a client that sends many requests and never reads the replies" {
	export INITCTL
	run python -c '
import os, socket, subprocess, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(os.environ["UPINIT_SOCKET"])
s.setblocking(False)
req = b"{\"v\":1,\"cmd\":\"list\"}"
sent = checks = 0
end = time.time() + 3
while time.time() < end and sent < 200000:
    try:
        s.send(req)
        sent += 1
        continue
    except BlockingIOError:
        pass
    except (BrokenPipeError, ConnectionResetError):
        print("dropped after", sent)
        break
    # Our queue is full: init must still answer somebody else at once.
    r = subprocess.run(["timeout", "2", os.environ["INITCTL"], "version"],
                       capture_output=True)
    if r.returncode != 0:
        print("other client got", r.returncode, r.stderr)
        sys.exit(1)
    checks += 1
    time.sleep(0.01)
print("sent", sent, "checks", checks)
'
	echo "$output" >&2
	[ "$status" = 0 ]
	# The flood did fill the queue (or got the client dropped).
	[[ $output == "dropped after "* ]] || [[ $output =~ checks\ [1-9] ]]
	assert_init_answers
}

@test "a monitor that never reads its events" {
	bg_python '
import os, socket, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(os.environ["UPINIT_SOCKET"])
s.send(b"{\"v\":1,\"cmd\":\"monitor\"}")
s.recv(65536)
open(os.environ["T"] + "/out/mon-ready", "w").close()
time.sleep(60)
'
	wait_file "$T/out/mon-ready"
	for i in $(seq 1 300); do
		"$INITCTL" emit -n "flood-$i" "PAD=$(printf '%0500d' 0)" || {
			echo "emit $i failed" >&2
			false
		}
	done
	assert_init_answers
}

@test "200 clients connected at once" {
	export INITCTL
	python -c ''
	run timeout 30 "$PYTHON3" -c '
import json, os, socket, subprocess
socks = []
for _ in range(200):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(os.environ["UPINIT_SOCKET"])
    s.settimeout(10)
    socks.append(s)
for s in socks:
    s.send(b"{\"v\":1,\"cmd\":\"version\"}")
ok = 0
for s in socks:
    r = json.loads(s.recv(65536))
    ok += r["status"] == 0 and "upstart" in r["lines"][0]
r = subprocess.run([os.environ["INITCTL"], "list"], stdout=subprocess.DEVNULL, timeout=5)
print(ok, r.returncode)
'
	echo "$output" >&2
	[ "$status" = 0 ]
	[ "$output" = "200 0" ]
	assert_init_answers
}

@test "a half-closed connection" {
	# A complete request, then no more writing: the reply still comes.
	run python -c '
import json, os, socket
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.settimeout(5)
s.connect(os.environ["UPINIT_SOCKET"])
s.send(b"{\"v\":1,\"cmd\":\"version\"}")
s.shutdown(socket.SHUT_WR)
r = s.recv(65536)
print(json.loads(r)["status"] if r else "EOF")
'
	echo "$output" >&2
	[ "$output" = 0 ]
	# Half-closed at once, and half-closed for reading.
	run python -c '
import os, socket
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.settimeout(5)
s.connect(os.environ["UPINIT_SOCKET"])
s.shutdown(socket.SHUT_WR)
print(s.recv(65536) or "EOF")
t = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
t.connect(os.environ["UPINIT_SOCKET"])
t.shutdown(socket.SHUT_RD)
try:
    for _ in range(50):
        t.send(b"{\"v\":1,\"cmd\":\"list\"}")
except OSError as e:
    print(e)
'
	echo "$output" >&2
	[ "$status" = 0 ]
	[ "$(head -n 1 <<<"$output")" = EOF ]
	assert_init_answers
}

@test "a client that goes away while its start, stop or emit waits" {
	job slow <<-'EOF'
	pre-start exec sleep 0.5
	exec sleep 1000
	post-stop exec sleep 0.5
	EOF
	job slowtask <<-'EOF'
	start on slow-event
	task
	exec sleep 0.5
	EOF
	for req in '{"v":1,"cmd":"start","job":"slow","wait":true}' \
		'{"v":1,"cmd":"stop","job":"slow","wait":true}' \
		'{"v":1,"cmd":"emit","event":"slow-event","wait":true}'; do
		python -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(os.environ["UPINIT_SOCKET"])
s.send(sys.argv[1].encode())
s.close()
' "$req"
		assert_init_answers
	done
	wait_status slowtask "slowtask stop/waiting"
	wait_status slow "slow stop/waiting"
	out=$(timeout 5 start slow)
	[[ $out == "slow start/running, process "* ]]
	assert_init_answers
}

@test "more clients than init has descriptors: no busy loop, service resumes" {
	command -v prlimit >/dev/null || skip "prlimit missing"
	prlimit --pid "$INIT_PID" --nofile=64:64
	# CPU time init has used so far, in clock ticks.
	cpu() { awk '{ print $14 + $15 }' "/proc/$INIT_PID/stat"; }
	bg_python '
import os, socket, time
socks = []
for _ in range(300):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.setblocking(False)
    try:
        s.connect(os.environ["UPINIT_SOCKET"])
    except OSError:
        pass
    socks.append(s)
open(os.environ["T"] + "/out/flood-ready", "w").close()
time.sleep(2)
for s in socks:
    s.close()
open(os.environ["T"] + "/out/flood-done", "w").close()
time.sleep(60)
'
	wait_file "$T/out/flood-ready"
	before=$(cpu)
	wait_file "$T/out/flood-done"
	used=$(( $(cpu) - before ))
	echo "init used $used ticks while the descriptors ran out" >&2
	# Waiting for a free descriptor costs no CPU (2 s = 200 ticks).
	[ "$used" -lt 50 ]
	timeout 5 "$INITCTL" version >/dev/null
	assert_init_answers
}

@test "SIGUSR1 brings back a control socket whose file went away (/run replaced)" {
	rm -f "$T/control"
	run "$INITCTL" list
	[ "$status" -eq 1 ]
	kill -USR1 "$INIT_PID"
	wait_for "socket back" "$INITCTL" version
	assert_init_alive
	grep -q "Control socket $T/control gone; listening again" "$T/init.err"
}
