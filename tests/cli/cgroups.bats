#!/usr/bin/env bats
# Every job instance in a cgroup of its own: its processes start there,
# a stop kills whatever is left there, `expect` miscounts end cleanly,
# status -v lists it, and a re-exec keeps it.  Each test's init --user
# runs in a cgroup2 subtree the test made (helpers_cgroup.bash).

load helpers
load helpers_ctl
load helpers_cgroup

setup() {
	cgroup_setup
	start_init --no-startup-event
}

teardown() {
	stop_init
	cgroup_teardown
}

# double_fork_job NAME [STANZA]: a daemon that double-forks out of
# init's process group and session: the shell's child calls setsid and
# forks the sleeps, then the shell waits.  The pid of a sleep lands in
# $T/out/NAME.pid.
double_fork_job() {
	job "$1" <<EOF
${2:-}
exec /bin/sh -c 'setsid /bin/sh -c "sleep 1000 & sleep 1000 & echo \\\$! >$T/out/$1.pid; wait" </dev/null >/dev/null 2>&1 & exec sleep 1000'
EOF
}

# start_daemon_job NAME: start a double_fork_job, $daemon its sleep.
start_daemon_job() {
	start "$1"
	wait_file "$T/out/$1.pid"
	daemon=$(cat "$T/out/$1.pid")
}

@test "every process of an instance starts in its cgroup" {
	job_class rec <<EOF
instance \$N
pre-start exec sh -c 'cat /proc/self/cgroup >$T/out/pre.\$N'
post-start exec sh -c 'cat /proc/self/cgroup >$T/out/post.\$N'
exec sh -c 'cat /proc/self/cgroup >$T/out/main.\$N; exec sleep 1000'
pre-stop exec sh -c 'cat /proc/self/cgroup >$T/out/prestop.\$N'
post-stop exec sh -c 'cat /proc/self/cgroup >$T/out/poststop.\$N'
EOF
	start rec N=a
	wait_file "$T/out/main.a"
	stop rec N=a
	want="0::$CGROUP_PATH/upinit/rec/a"
	for p in pre post main prestop poststop; do
		[ "$(grep '^0::' "$T/out/$p.a")" = "$want" ] ||
			{ echo "$p: $(cat "$T/out/$p.a"), wanted $want" >&2; return 1; }
	done
	# Gone with the instance, and the job's directory with its last.
	[ ! -d "$(job_cgroup rec a)" ]
	[ ! -d "$(job_cgroup rec)" ]
}

@test "a job in a subdirectory has the slash of its name escaped" {
	mkdir -p "$T/conf/net"
	job net/web <<EOF
exec sh -c 'cat /proc/self/cgroup >$T/out/web; exec sleep 1000'
EOF
	start net/web
	wait_file "$T/out/web"
	[ "$(grep '^0::' "$T/out/web")" = "0::$CGROUP_PATH/upinit/net\\x2fweb" ]
	[ -d "$(job_cgroup net/web)" ]
}

@test "stop kills a daemon that double-forked out of its group" {
	double_fork_job dd
	start_daemon_job dd
	kill -0 "$daemon"
	# Not in init's process group nor session any more.
	[ "$(ps -o sid= -p "$daemon" | tr -d ' ')" != "$(ps -o sid= -p "$INIT_PID" | tr -d ' ')" ]
	run stop dd
	[ "$status" -eq 0 ]
	[ "$output" = "dd stop/waiting" ]
	refute kill -0 "$daemon" 2>/dev/null
	[ ! -d "$(job_cgroup dd)" ]
}

@test "without cgroups the same daemon outlives stop, as under Upstart" {
	stop_init
	INIT_CGROUP_SAVED=$INIT_CGROUP
	INIT_CGROUP= start_init --no-startup-event
	grep -q 'No cgroups (--no-cgroups): jobs are tracked by process group only' "$T/init.err"
	double_fork_job dd
	start_daemon_job dd
	run stop dd
	[ "$output" = "dd stop/waiting" ]
	kill -0 "$daemon"
	kill -KILL "$daemon"
	INIT_CGROUP=$INIT_CGROUP_SAVED
}

@test "an init whose cgroup is not delegated to it tracks by process group" {
	command -v setpriv >/dev/null || skip "no setpriv"
	stop_init
	T=$(mktemp -d "${BATS_TMPDIR:-/tmp}/upinit.XXXXXX")
	chmod 777 "$T"
	mkdir -m 777 "$T/conf" "$T/log"
	export UPINIT_SOCKET=$T/control
	sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$INIT_CGROUP" \
		setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$INIT" --user --confdir "$T/conf" --logdir "$T/log" --socket "$T/control" \
		--no-startup-event >"$T/init.out" 2>"$T/init.err" &
	INIT_PID=$!
	wait_for "init up" "$INITCTL" version
	run grep -c 'No cgroups (its cgroup is not delegated to it)' "$T/init.err"
	[ "$output" = 1 ]
	[ ! -d "$INIT_CGROUP/upinit" ]
}

@test "a leftover that ignores the kill signal is killed after the kill timeout" {
	job stubborn <<EOF
kill timeout 1
exec /bin/sh -c 'setsid /bin/sh -c "trap \"\" TERM; echo \\\$\\\$ >$T/out/pid; while :; do sleep 0.1; done" </dev/null >/dev/null 2>&1 & exec sleep 1000'
EOF
	initctl log-priority info
	start stubborn
	wait_file "$T/out/pid"
	left=$(cat "$T/out/pid")
	run stop stubborn
	[ "$output" = "stubborn stop/waiting" ]
	refute kill -0 "$left" 2>/dev/null
	grep -Eq "Sending TERM signal to [0-9]+ processes left in the cgroup of stubborn" "$T/init.err"
	grep -q "Sending KILL signal to what is left in the cgroup of stubborn" "$T/init.err"
}

@test "a stop that misses a child of what the start hook left does not leave it" {
	# No main process: the start hook leaves a daemon behind, as a
	# SysV script does, and the stop hook, which runs while it is still
	# there (a script's stop needs its daemon), misses its child.
	job svc <<EOF
pre-start exec /bin/sh -c 'setsid /bin/sh -c "sleep 1000 & echo \\\$! >$T/out/child; exec sleep 1000" </dev/null >/dev/null 2>&1 &'
post-stop exec sh -c 'exec cat $(job_cgroup svc)/cgroup.procs >$T/out/during-post-stop'
EOF
	start svc
	wait_file "$T/out/child"
	child=$(cat "$T/out/child")
	run initctl status -v svc
	[[ "$output" == *"process $child sleep 1000"* ]]
	run stop svc
	[ "$output" = "svc stop/waiting" ]
	refute kill -0 "$child" 2>/dev/null
	grep -qx "$child" "$T/out/during-post-stop"
	[ ! -d "$(job_cgroup svc)" ]
}

@test "a stop with kill_only (upinit-rc at shutdown) runs no stop action, only empties the cgroup" {
	job svc <<EOF
pre-start exec /bin/sh -c 'setsid /bin/sh -c "echo \\\\\\$\\\\\\$ >$T/out/daemon; exec sleep 1000" </dev/null >/dev/null 2>&1 &'
pre-stop exec touch $T/out/pre-stop-ran
post-stop exec touch $T/out/post-stop-ran
EOF
	start svc
	wait_file "$T/out/daemon"
	daemon=$(cat "$T/out/daemon")
	run raw_send 'b"{\"v\":1,\"cmd\":\"stop\",\"job\":\"svc\",\"env\":[],\"wait\":true,\"kill_only\":true}"'
	[[ "$output" == *'"status":0'* ]]
	[[ "$output" == *'svc stop/waiting'* ]]
	refute kill -0 "$daemon" 2>/dev/null
	[ ! -e "$T/out/post-stop-ran" ]
	[ ! -e "$T/out/pre-stop-ran" ]
	# The next stop is an ordinary one again.
	start svc
	stop svc
	[ -e "$T/out/post-stop-ran" ]
}

@test "with a main process, post-stop runs once the cgroup is empty" {
	job dd <<EOF
exec /bin/sh -c 'setsid /bin/sh -c "sleep 1000 & echo \\\$! >$T/out/dd.pid; wait" </dev/null >/dev/null 2>&1 & exec sleep 1000'
post-stop exec sh -c 'exec cat $(job_cgroup dd)/cgroup.procs >$T/out/during-post-stop'
EOF
	start dd
	wait_file "$T/out/dd.pid"
	run stop dd
	[ "$output" = "dd stop/waiting" ]
	# The hook itself is all there was in the cgroup while it ran.
	[ "$(wc -l <"$T/out/during-post-stop")" -eq 1 ]
}

@test "kill mode process leaves what escaped the main process's group" {
	double_fork_job dd "kill mode process"
	start_daemon_job dd
	run stop dd
	[ "$output" = "dd stop/waiting" ]
	kill -0 "$daemon"
}

@test "expect fork on a program that forks twice follows it to the daemon" {
	# The subshell forks the daemon and exits; the shell reaps the
	# subshell itself, so init never sees the process it followed end.
	job ef <<EOF
expect fork
exec /bin/sh -c '(setsid sh -c "echo \\\$\\\$ >$T/out/pid; exec sleep 1000" </dev/null >/dev/null 2>&1 &); exit 0'
EOF
	start ef
	wait_file "$T/out/pid"
	daemon=$(cat "$T/out/pid")
	wait_status ef "ef start/running, process $daemon"
	run stop ef
	[ "$output" = "ef stop/waiting" ]
	refute kill -0 "$daemon" 2>/dev/null
}

@test "expect daemon on a program that forks once can still be stopped" {
	# The subshell forks nothing more and execs nothing: it blocks
	# reading a FIFO no one writes.
	mkfifo "$T/out/fifo"
	job ed <<EOF
expect daemon
exec /bin/sh -c '(exec 3<>$T/out/fifo; read x <&3) </dev/null >/dev/null 2>&1 & exit 0'
EOF
	start -n ed
	# Waiting for a second fork that never comes, as Upstart did.
	wait_status ed "ed start/spawned, process "
	daemon=$(initctl status ed | sed 's/.*process //')
	kill -0 "$daemon"
	run stop ed
	[ "$output" = "ed stop/waiting" ]
	refute kill -0 "$daemon" 2>/dev/null
	[ ! -d "$(job_cgroup ed)" ]
}

@test "status -v lists the cgroup and every process in it" {
	double_fork_job dd
	start dd
	wait_file "$T/out/dd.pid"
	main=$(initctl status dd | sed 's/.*process //')
	run initctl status -v dd
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "dd start/running, process $main" ]
	[ "${lines[1]}" = "	cgroup $CGROUP_PATH/upinit/dd" ]
	[[ "$output" == *"	process $main sleep 1000"* ]]
	[[ "$output" == *"	process $(cat "$T/out/dd.pid") sleep 1000"* ]]
	# Every process of the cgroup, and nothing else.
	[ "$(printf '%s\n' "${lines[@]}" | grep -c '^	process ')" -eq "$(cgroup_pids "$(job_cgroup dd)" | wc -l)" ]
	# Without -v: Upstart's one line.
	run initctl status dd
	[ "$output" = "dd start/running, process $main" ]
}

@test "re-exec keeps every instance's cgroup" {
	double_fork_job dd
	start_daemon_job dd
	before=$(initctl status -v dd)
	run raw_send 'b"{\"v\":1,\"cmd\":\"reexec\"}"'
	[[ "$output" == *'"status":0'* ]]
	wait_for "init answers after re-exec" "$INITCTL" version
	[ "$(initctl status -v dd)" = "$before" ]
	run stop dd
	[ "$output" = "dd stop/waiting" ]
	refute kill -0 "$daemon" 2>/dev/null
	[ ! -d "$(job_cgroup dd)" ]
}

@test "cgroup memory: over its limit a job's process is killed in its cgroup, and init lives" {
	v1=$(cgroup_v1_dir memory)
	[ -n "$v1" ] || skip "memory is not in a v1 hierarchy here (cgroup v2 would need this test's parent to delegate it)"
	name=hog$$
	V1_MADE=("$v1" "$name")
	# 200 MB at most even without the limit: tail keeps a line of 200
	# MB of zeros.  post-stop runs in the cgroup too, and reads it.
	job "$name" <<EOF
cgroup memory \$UPSTART_CGROUP memory.limit_in_bytes 33554432
exec sh -c 'grep memory /proc/self/cgroup >$T/out/cg; head -c 200000000 /dev/zero | tail >/dev/null; echo \$? >$T/out/status'
post-stop exec sh -c 'cat $v1/upinit/$name/memory.oom_control $v1/upinit/$name/memory.limit_in_bytes >$T/out/oom'
EOF
	start "$name"
	wait_file "$T/out/oom"
	wait_status "$name" "$name stop/waiting"
	grep -q "^[0-9]*:memory:.*/upinit/$name\$" "$T/out/cg"
	# tail was killed by SIGKILL: 128 + 9.
	[ "$(cat "$T/out/status")" = 137 ]
	grep -qx 'oom_kill [1-9][0-9]*' "$T/out/oom"
	grep -qx 33554432 "$T/out/oom"
	assert_init_alive
	# Gone with the instance.
	[ ! -d "$v1/upinit/$name" ]
}

@test "cgroup: an unknown controller or key fails the start, naming the job" {
	job badc <<'EOF'
cgroup nosuchcontroller
exec sleep 1000
EOF
	run start badc
	[ "$status" -eq 1 ]
	[ "$output" = "start: Job failed to start" ]
	grep -q 'badc: cgroup nosuchcontroller badc: is not available: no cgroup hierarchy has it' "$T/init.err"
	job badv <<'EOF'
cgroup memory db-$NO_SUCH_VARIABLE
exec sleep 1000
EOF
	run start badv
	[ "$status" -eq 1 ]
	grep -q 'badv: cgroup memory: unknown variable NO_SUCH_VARIABLE in db-$NO_SUCH_VARIABLE' "$T/init.err"
	v1=$(cgroup_v1_dir memory)
	if [ -n "$v1" ]; then
		name=badk$$
		V1_MADE=("$v1" "$name")
		job "$name" <<'EOF'
cgroup memory $UPSTART_CGROUP memory.no_such_key 1
exec sleep 1000
EOF
		run start "$name"
		[ "$status" -eq 1 ]
		grep -q "$name: cgroup memory $name memory.no_such_key: has no such key" "$T/init.err"
	fi
	assert_init_alive
	# Nothing of either is left running.
	[ -z "$(cgroup_pids "$(job_cgroup badc)")" ]
}
