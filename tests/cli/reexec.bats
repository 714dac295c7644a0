#!/usr/bin/env bats
# Stateful re-exec (telinit u): everything init holds survives the new
# image — instances, pids, goals and states, events held by jobs, partly
# matched conditions, waiting clients, the runlevel — and nothing is
# lost or duplicated, even re-executing 50 times while jobs churn.

load helpers
load helpers_ctl

setup() {
	start_init --no-startup-event
}

teardown() {
	stop_init
}

reexec() {
	run raw_send 'b"{\"v\":1,\"cmd\":\"reexec\"}"'
	[[ "$output" == *'"status":0'* ]]
	wait_for "init answers after re-exec" "$INITCTL" version
}

@test "re-exec keeps every instance with its pid, goal and state" {
	job svc <<'EOF'
exec sleep 1000
EOF
	job_class inst <<'EOF'
instance $N
exec sleep 1000
EOF
	start svc
	start inst N=1
	start inst N=2
	before=$(initctl list)
	reexec
	[ "$(initctl list)" = "$before" ]
	run stop inst N=1
	[ "$status" -eq 0 ]
	[ "$output" = "inst stop/waiting" ]
	run status svc
	[[ "$output" == "svc start/running, process "* ]]
	pid=${output##* }
	kill -0 "$pid"
	run stop svc
	[ "$output" = "svc stop/waiting" ]
	# Reaped by the new image: no zombie left behind.
	wait_for "svc's process gone" sh -c "! kill -0 $pid 2>/dev/null"
}

@test "a client waiting for a task gets its answer from the new image" {
	job slow <<'EOF'
task
exec sh -c 'while [ ! -e "$0" ]; do sleep 0.05; done' FILE
EOF
	sed -i "s|FILE|$T/go|" "$T/conf/slow.conf"
	wait_for "slow reloaded" sh -c "\"$INITCTL\" show-config slow >/dev/null"
	start slow >"$T/start.out" 2>&1 &
	waiter=$!
	wait_status slow "slow start/running"
	reexec
	touch "$T/go"
	wait "$waiter"
	[ "$(cat "$T/start.out")" = "slow stop/waiting" ]
}

@test "a job held by its starting event survives and finishes starting" {
	job held <<'EOF'
exec sleep 1000
EOF
	job holder <<EOF
start on starting held
task
exec sh -c 'while [ ! -e "$T/go" ]; do sleep 0.05; done'
EOF
	start --no-wait held
	wait_status held "held start/starting"
	reexec
	run status held
	[ "$output" = "held start/starting" ]
	touch "$T/go"
	wait_status held "held start/running"
}

@test "a half-matched start on keeps its event across re-exec" {
	job both <<'EOF'
start on alpha and beta
exec sleep 1000
EOF
	initctl emit alpha &
	emitter=$!
	sleep 0.2
	kill -0 "$emitter"   # held by the job's half-satisfied and
	reexec
	initctl emit beta
	wait_status both "both start/running"
	wait "$emitter"
}

@test "a running instance keeps its definition across re-exec until it stops" {
	job edit <<'EOF'
env WHICH=old
exec sleep 1000
EOF
	start edit
	printf 'env WHICH=new\nexec sleep 2000\n' >"$T/conf/edit.conf"
	sleep 0.3
	reexec
	run status edit
	[[ "$output" == "edit start/running, process "* ]]
	pid=${output##* }
	grep -q '^sleep.1000' <(tr '\0' ' ' </proc/$pid/cmdline)
	stop edit
	start edit
	run status edit
	pid=${output##* }
	grep -q '^sleep.2000' <(tr '\0' ' ' </proc/$pid/cmdline)
}

# The inotify descriptor that watches the job directories: its number in
# init, or nothing.
inotify_fd() {
	local fd
	for fd in /proc/"$INIT_PID"/fd/*; do
		[ "$(readlink "$fd")" = "anon_inode:inotify" ] && echo "${fd##*/}"
	done
	return 0
}

@test "the job directories' watch is handed to the new image, not made again" {
	command -v python3 >/dev/null || skip "no python3"
	fd=$(inotify_fd)
	[ -n "$fd" ]
	# Hold the very file (pidfd_getfd) across the re-exec, then ask the
	# kernel (kcmp) whether the new image watches through it: a watch
	# made again would be another file, and the old one's close would
	# wait for the kernel to retire its watches (ms on a busy machine).
	python3 - "$INIT_PID" "$fd" "$UPINIT_SOCKET" >"$T/held" 2>&1 <<'PY' &
import ctypes, os, socket, sys, time
libc = ctypes.CDLL(None, use_errno=True)
pid, fd, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
held = libc.syscall(438, os.pidfd_open(pid), fd, 0)          # pidfd_getfd
if held < 0:
    sys.exit("pidfd_getfd: " + os.strerror(ctypes.get_errno()))
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(path)
s.send(b'{"v":1,"cmd":"reexec"}')
s.recv(65536)
print("held", held, flush=True)
time.sleep(30)
PY
	holder=$!
	wait_for "the holder has the file" grep -q held "$T/held"
	held=$(awk '/held/ { print $2 }' "$T/held")
	wait_for "init answers after re-exec" "$INITCTL" version
	now=$(inotify_fd)
	# kcmp(pid1, pid2, KCMP_FILE, fd1, fd2) is 0 when both are one file.
	run python3 -c '
import ctypes, sys
a = [int(x) for x in sys.argv[1:]]
sys.exit(ctypes.CDLL(None).syscall(312, a[0], a[1], 0, a[2], a[3]))' \
		"$holder" "$INIT_PID" "$held" "$now"
	kill "$holder" 2>/dev/null || true
	[ "$status" -eq 0 ]
	# One watch, and it still works: a job file written now is read.
	[ "$(inotify_fd | wc -l)" -eq 1 ]
	job late <<'EOF'
exec sleep 1000
EOF
	wait_for "late is known" "$INITCTL" status late
}

@test "the runlevel survives re-exec" {
	run raw_send 'b"{\"v\":1,\"cmd\":\"telinit\",\"runlevel\":\"3\"}"'
	[[ "$output" == *'"status":0'* ]]
	run raw_send 'b"{\"v\":1,\"cmd\":\"runlevel\"}"'
	[[ "$output" == *'"N 3"'* ]]
	reexec
	run raw_send 'b"{\"v\":1,\"cmd\":\"runlevel\"}"'
	[[ "$output" == *'"N 3"'* ]]
}

@test "50 re-execs while jobs start, stop and respawn: nothing lost or duplicated" {
	job flap <<'EOF'
respawn
respawn limit unlimited
exec sleep 0.05
EOF
	job steady <<'EOF'
exec sleep 1000
EOF
	job_class churn <<'EOF'
instance $N
exec sleep 1000
EOF
	start flap
	start steady
	steady_pid=$(status steady); steady_pid=${steady_pid##* }
	(
		for i in $(seq 1 40); do
			"$INITCTL" start churn N=$i >/dev/null 2>&1
			"$INITCTL" stop churn N=$i >/dev/null 2>&1
		done
	) &
	churner=$!
	for i in $(seq 1 50); do
		reexec
	done
	wait "$churner"
	assert_init_alive
	# The steady job is the same process, once.
	run status steady
	[ "$output" = "steady start/running, process $steady_pid" ]
	# The flapping job is still respawning, as one instance.
	[ "$(initctl list | grep -c '^flap ')" -eq 1 ]
	wait_status flap "flap start/"
	# No churn instance is left over, none is lost track of.
	for i in $(seq 1 40); do
		"$INITCTL" stop churn N=$i >/dev/null 2>&1 || true
	done
	[ "$(initctl list | grep -c '^churn (')" -eq 0 ]
	[ "$(pgrep -c -P "$INIT_PID" -x sleep)" -le 2 ]
	[ "$(pgrep -c -f '^sleep 1000$' -P "$INIT_PID")" -eq 1 ]
}

@test "re-exec into a program that is no longer upinit is refused: init keeps running with its state" {
	# A package switch back to sysvinit leaves its init at our path and
	# asks for `init u`: executed, it would boot the running system again.
	stop_init
	T=$(mktemp -d "${BATS_TMPDIR:-/tmp}/upinit.XXXXXX")
	mkdir -p "$T/conf" "$T/log"
	export UPINIT_SOCKET=$T/control
	cp "$INIT" "$T/init"
	"$T/init" --user --confdir "$T/conf" --logdir "$T/log" 2>"$T/init.err" &
	INIT_PID=$!
	wait_for "init up" "$INITCTL" version
	job keep <<-EOF
		exec sleep 1000
	EOF
	"$INITCTL" start keep
	pid=$("$INITCTL" status keep | sed -n 's/.*process //p')
	printf '#!/bin/sh\necho "$0 $*" >>"%s/exec-args"\nexec sleep 1000\n' "$T" >"$T/init.new"
	chmod 755 "$T/init.new"
	mv "$T/init.new" "$T/init"
	raw_send 'b"{\"v\":1,\"cmd\":\"reexec\"}"' >/dev/null
	wait_for "the refusal" grep -q "is not upinit any more: not re-executing; it takes over at the next boot" "$T/init.err"
	# Init read the file and never ran it.
	[ ! -e "$T/exec-args" ]
	[ "$(tr '\0' ' ' </proc/$INIT_PID/cmdline)" = "$T/init --user --confdir $T/conf --logdir $T/log " ]
	"$INITCTL" version | grep -q upinit
	[ "$("$INITCTL" status keep)" = "keep start/running, process $pid" ]
}
