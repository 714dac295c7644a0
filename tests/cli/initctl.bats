#!/usr/bin/env bats
# initctl and its start/stop/restart/reload/status links, command by
# command: exact stdout, stderr and exit status, byte for byte as a
# running Upstart 1.13.2 prints them (initctl(8), docs/compatibility.md).

load helpers
load helpers_ctl

setup() {
	start_init
}

teardown() {
	if [ -n "${INIT2_PID:-}" ]; then
		kill -TERM "$INIT2_PID" 2>/dev/null || true
		wait "$INIT2_PID" 2>/dev/null || true
		INIT2_PID=
	fi
	stop_init
}

# A plain service.
svc_job() {
	job svc <<-'EOF'
	exec sleep 1000
	EOF
}

# ---- start / stop / status / restart / reload ----

@test "start prints the new instance's status; a second start is refused" {
	svc_job
	out=$(start svc)
	[[ $out =~ ^svc\ start/running,\ process\ ([0-9]+)$ ]]
	pid=${BASH_REMATCH[1]}
	kill -0 "$pid"
	expect 1 "" "start: Job is already running: svc" start svc
	expect 1 "" "initctl: Job is already running: svc" initctl start svc
	expect 0 "svc start/running, process $pid" "" status svc
	expect 0 "svc start/running, process $pid" "" initctl status svc
}

@test "start of a task waits for it to finish and prints task stop/waiting" {
	job tsk <<-EOF
	task
	exec sh -c 'sleep 0.3; touch $T/out/done'
	EOF
	expect 0 "tsk stop/waiting" "" start tsk
	[ -e "$T/out/done" ]
}

@test "start of an unknown job, bad env and a missing instance variable" {
	job_class inst <<-'EOF'
	instance $N
	usage "start inst N=<n>"
	exec sleep 1000
	EOF
	expect 1 "" "start: Unknown job: nope" start nope
	expect 1 "" "initctl: Unknown job: nope" initctl start nope
	expect 1 "" "start: Env must be KEY=VALUE pairs" start inst N=1 BAD
	expect 1 "" "start: Unknown parameter: N"$'\n'"Usage: start inst N=<n>" start inst
	expect 1 "" "initctl: missing job name"$'\n'"$(hint)" initctl start
	expect 1 "" "start: missing job name"$'\n'"$(hint start)" start
	expect 1 "" "stop: missing job name"$'\n'"$(hint stop)" stop
	expect 0 "inst stop/waiting" "" initctl list
}

@test "stop prints stop/waiting; stopping a stopped job is Unknown instance with nothing after" {
	svc_job
	pid=$(start svc | sed 's/.*process //')
	expect 0 "svc stop/waiting" "" stop svc
	refute kill -0 "$pid" 2>/dev/null
	expect 1 "" "stop: Unknown instance: " stop svc
	expect 1 "" "initctl: Unknown instance: " initctl stop svc
	expect 1 "" "stop: Unknown job: nope" stop nope
	expect 1 "" "stop: Env must be KEY=VALUE pairs" stop svc BAD
	expect 0 "svc stop/waiting" "" status svc
}

@test "stop and restart of a job that is already stopping" {
	job slowstop <<-'EOF'
	exec sleep 1000
	post-stop exec sleep 30
	EOF
	start slowstop >/dev/null
	out=$(timeout 5 stop -n slowstop)
	[[ $out == "slowstop stop/"* ]]
	wait_status slowstop "slowstop stop/post-stop"
	expect 1 "" "stop: Job has already been stopped: slowstop" stop slowstop
	# Upstart names the instance here, empty for a single-instance job.
	expect 1 "" "restart: Job has already been stopped: " restart slowstop
}

@test "restart gives a running job a new main process" {
	svc_job
	old=$(start svc | sed 's/.*process //')
	out=$(restart svc)
	[[ $out =~ ^svc\ start/running,\ process\ ([0-9]+)$ ]]
	[ "${BASH_REMATCH[1]}" != "$old" ]
	expect 0 "$out" "" status svc
	expect 1 "" "restart: Unknown job: nope" restart nope
	stop svc >/dev/null
	expect 1 "" "restart: Unknown instance: " restart svc
	expect 1 "" "initctl: Unknown instance: " initctl restart svc
}

@test "reload signals the main process; errors for no instance and no main process" {
	job hup <<-EOF
	exec sh -c 'trap "echo hup >>$T/out/hup" HUP; touch $T/out/ready; while :; do sleep 0.05; done'
	EOF
	job usr1 <<-EOF
	reload signal USR1
	exec sh -c 'trap "echo usr1 >>$T/out/usr1" USR1; touch $T/out/ready1; while :; do sleep 0.05; done'
	EOF
	job slowstart <<-'EOF'
	pre-start exec sleep 30
	exec sleep 1000
	EOF
	expect 1 "" "reload: Unknown instance: " reload hup
	expect 1 "" "reload: Unknown job: nope" reload nope
	start hup >/dev/null
	start usr1 >/dev/null
	wait_file "$T/out/ready"
	wait_file "$T/out/ready1"
	expect 0 "" "" reload hup
	wait_grep "$T/out/hup" '^hup$'
	expect 0 "" "" initctl reload usr1
	wait_grep "$T/out/usr1" '^usr1$'
	# Still running: the reload did not stop them.
	wait_status hup "hup start/running"
	wait_status usr1 "usr1 start/running"
	timeout 5 start -n slowstart >/dev/null
	wait_status slowstart "slowstart start/pre-start"
	expect 1 "" "reload: Job is not running: slowstart" reload slowstart
}

@test "status: stopped job, unknown job, instances, missing instance variable" {
	svc_job
	job_class inst <<-'EOF'
	instance $N
	exec sleep 1000
	EOF
	expect 0 "svc stop/waiting" "" status svc
	expect 0 "svc stop/waiting" "" initctl status svc
	expect 1 "" "status: Unknown job: nope" status nope
	expect 1 "" "initctl: Unknown job: nope" initctl status nope
	expect 1 "" "status: Unknown parameter: N" status inst
	expect 1 "" "status: Unknown instance: 2" status inst N=2
	out=$(start inst N=1)
	[[ $out =~ ^inst\ \(1\)\ start/running,\ process\ [0-9]+$ ]]
	expect 0 "$out" "" status inst N=1
	expect 1 "" "stop: Unknown instance: 2" stop inst N=2
	# As a running Upstart: no "(instance)" in the stop line.
	expect 0 "inst stop/waiting" "" stop inst N=1
}

@test "list shows every class, instances and extra arguments are ignored" {
	svc_job
	job idle <<-'EOF'
	exec sleep 1000
	EOF
	job_class inst <<-'EOF'
	instance $N
	exec sleep 1000
	EOF
	s=$(start svc)
	i1=$(start inst N=a)
	i2=$(start inst N=b)
	want=$(printf '%s\n' "idle stop/waiting" "$s" "$i1" "$i2" | sort)
	out=$(initctl list)
	[ "$(sort <<<"$out")" = "$want" ]
	# Extra arguments are ignored, as a running Upstart ignores them.
	expect 0 "$out" "" initctl list foo bar
}

@test "an instance name with a newline or a tab stays on one line in start, status, list and init's log" {
	job_class inst <<-'EOF'
	instance $N
	exec sleep 1000
	EOF
	initctl log-priority info
	out=$(start inst N=$'a\nb\tc\033')
	[[ $out =~ ^inst\ \(a\\nb\\tc\\x1b\)\ start/running,\ process\ [0-9]+$ ]] ||
		{ echo "start: $out" >&2; false; }
	expect 0 "$out" "" status inst N=$'a\nb\tc\033'
	[ "$(initctl list | grep -c '^inst')" = 1 ]
	initctl list | grep -qxF "$out"
	grep -qF 'inst (a\nb\tc\x1b) main process (' "$T/init.err"
	expect 0 "inst stop/waiting" "" stop inst N=$'a\nb\tc\033'
}

# ---- the job links ----

@test "the five links behave as initctl COMMAND with their own name as prefix" {
	svc_job
	for cmd in start stop restart reload status; do
		expect 1 "" "$cmd: Unknown job: nope" "$cmd" nope
		expect 1 "" "$cmd: invalid option: --bogus"$'\n'"$(hint "$cmd")" "$cmd" --bogus svc
	done
	out=$(start svc)
	expect 0 "$out" "" status svc
	expect 0 "$(initctl status svc)" "" status svc
	expect 1 "" "start: Job is already running: svc" start svc
	out=$(initctl restart svc)
	[[ $out == "svc start/running, process "* ]]
	out=$(restart svc)
	[[ $out == "svc start/running, process "* ]]
	expect 0 "svc stop/waiting" "" stop svc
	expect 1 "" "status: Unknown instance: " status svc X=x
}

# ---- start/stop inside a job ----

@test "stop with no job name inside pre-start cancels the start without waiting" {
	job pre <<-EOF
	pre-start script
	  echo \$\$ >$T/out/pre.pid
	  timeout 5 $UPINIT_BUILD/stop >$T/out/stop.out 2>&1; echo "rc=\$?" >>$T/out/stop.out
	end script
	exec touch $T/out/main-ran
	EOF
	rc=0
	out=$(timeout 10 start pre 2>"$T/out/start.err") || rc=$?
	pid=$(cat "$T/out/pre.pid")
	echo "start: exit $rc, output: $out" >&2
	[ "$rc" = 0 ]
	[ "$out" = "pre stop/pre-start, process $pid" ]
	[ ! -s "$T/out/start.err" ]
	wait_grep "$T/out/stop.out" '^rc='
	[ "$(cat "$T/out/stop.out")" = "pre stop/pre-start, process $pid"$'\n'"rc=0" ]
	wait_status pre "pre stop/waiting"
	[ ! -e "$T/out/main-ran" ]
}

@test "start with no job name inside pre-stop cancels the stop without waiting" {
	job cancel <<-EOF
	exec sleep 1000
	pre-stop script
	  echo \$\$ >$T/out/prestop.pid
	  timeout 5 $UPINIT_BUILD/start >$T/out/start.out 2>&1; echo "rc=\$?" >>$T/out/start.out
	end script
	EOF
	main=$(start cancel | sed 's/.*process //')
	rc=0
	out=$(timeout 10 stop cancel) || rc=$?
	pre=$(cat "$T/out/prestop.pid")
	echo "stop: exit $rc, output: $out" >&2
	[ "$rc" = 0 ]
	[ "$out" = "cancel start/pre-stop, process $main"$'\n\t'"pre-stop process $pre" ]
	wait_grep "$T/out/start.out" '^rc='
	[ "$(tail -n 1 "$T/out/start.out")" = "rc=0" ]
	[[ "$(head -n 1 "$T/out/start.out")" == "cancel start/pre-stop, process $main" ]]
	wait_status cancel "cancel start/running, process $main"
}

@test "status and stop with no job name inside a job act on the job's own instance" {
	job selfst <<-EOF
	script
	  timeout 5 $UPINIT_BUILD/status >$T/out/st.tmp 2>&1
	  mv $T/out/st.tmp $T/out/st
	  exec sleep 1000
	end script
	EOF
	job_class inst <<-EOF
	instance \$N
	exec sleep 1000
	post-start script
	  [ "\$N" = 2 ] || exit 0
	  timeout 5 $UPINIT_BUILD/stop >$T/out/inst.tmp 2>&1; echo "rc=\$?" >>$T/out/inst.tmp
	  mv $T/out/inst.tmp $T/out/inst
	end script
	EOF
	out=$(start selfst)
	wait_file "$T/out/st"
	[ "$(cat "$T/out/st")" = "$out" ]

	one=$(start inst N=1)
	timeout 10 start inst N=2 >/dev/null
	wait_file "$T/out/inst"
	# The stop answered at once, while its own post-start was running.
	[[ "$(head -n 1 "$T/out/inst")" =~ ^inst\ \(2\)\ stop/post-start,\ process\ [0-9]+$ ]]
	tabline=$'^\tpost-start process [0-9]+$'
	[[ "$(sed -n 2p "$T/out/inst")" =~ $tabline ]]
	[ "$(tail -n 1 "$T/out/inst")" = "rc=0" ]
	wait_for "inst (2) gone" sh -c "! '$INITCTL' status inst N=2"
	expect 0 "$one" "" status inst N=1
}

# ---- -n, -q ----

@test "-n/--no-wait: start, stop, restart and emit return at once" {
	job slowpre <<-EOF
	pre-start exec sh -c 'test ! -e $T/out/slow-pre || sleep 30'
	exec sleep 1000
	EOF
	job slowpre2 <<-'EOF'
	pre-start exec sleep 30
	exec sleep 1000
	EOF
	job waitpre <<-'EOF'
	pre-start exec sleep 30
	exec sleep 1000
	EOF
	job slowpost <<-'EOF'
	exec sleep 1000
	post-stop exec sleep 30
	EOF
	job slowtask <<-'EOF'
	start on slow-event
	task
	exec sleep 30
	EOF
	job slowtask2 <<-'EOF'
	start on slow-event2
	task
	exec sleep 30
	EOF
	start slowpre >/dev/null
	touch "$T/out/slow-pre"
	out=$(timeout 3 restart -n slowpre)
	[[ $out == "slowpre "* ]]
	wait_status slowpre "slowpre start/pre-start"

	out=$(timeout 3 initctl start --no-wait slowpre2)
	[[ $out == "slowpre2 start/"* ]]
	wait_status slowpre2 "slowpre2 start/pre-start"
	# Without -n the same start waits.
	rc=0
	timeout 0.5 start waitpre >/dev/null || rc=$?
	[ "$rc" = 124 ]
	wait_status waitpre "waitpre start/pre-start"

	start slowpost >/dev/null
	out=$(timeout 3 stop --no-wait slowpost)
	[[ $out == "slowpost stop/"* ]]
	wait_status slowpost "slowpost stop/post-stop"

	expect 0 "" "" timeout 3 initctl emit -n slow-event
	wait_status slowtask "slowtask start/running"
	rc=0
	timeout 0.5 initctl emit slow-event2 >/dev/null || rc=$?
	[ "$rc" = 124 ]
	wait_status slowtask2 "slowtask2 start/running"
}

@test "-q suppresses standard output but keeps errors and the exit status" {
	svc_job
	expect 0 "" "" initctl -q status svc
	expect 0 "" "" initctl status -q svc
	expect 0 "" "" initctl --quiet list
	expect 0 "" "" start -q svc
	wait_status svc "svc start/running"
	expect 1 "" "start: Job is already running: svc" start -q svc
	expect 1 "" "initctl: Unknown job: nope" initctl -q status nope
	expect 0 "" "" initctl -q version
	expect 0 "" "" stop --quiet svc
	expect 0 "svc stop/waiting" "" status svc
}

# ---- option and command errors ----

@test "option and command errors print the libnih message and hint, exit 1" {
	expect 1 "" "initctl: invalid option: --bogus"$'\n'"$(hint)" initctl --bogus
	expect 1 "" "initctl: invalid option: --bogus"$'\n'"$(hint)" initctl list --bogus
	expect 1 "" "initctl: invalid option: -x"$'\n'"$(hint)" initctl -x list
	expect 1 "" "initctl: missing command"$'\n'"$(hint)" initctl
	expect 1 "" "initctl: invalid command: frob"$'\n'"$(hint)" initctl frob
	expect 1 "" "initctl: missing event name"$'\n'"$(hint)" initctl emit
	expect 1 "" "initctl: --dest given without --system"$'\n'"$(hint)" initctl --dest=foo list
}

@test "help, --help and --version need no init" {
	stop_init
	T=$(mktemp -d)
	export UPINIT_SOCKET=$T/nowhere
	rc=0
	out=$(initctl help) || rc=$?
	[ "$rc" = 0 ]
	# The groups, in Upstart's order.
	[ "$(grep -E '^[A-Z].* commands:$' <<<"$out")" = "Job commands:
Event commands:
Environment commands:
Other commands:" ]
	for cmd in start stop restart reload status list emit reload-configuration \
		version log-priority show-config check-config usage get-env list-env \
		set-env unset-env reset-env notify-disk-writeable help monitor why history timeline; do
		grep -qE "^  $cmd( |$)" <<<"$out" || { echo "help lacks $cmd" >&2; false; }
	done
	[ "$(tail -n 1 <<<"$out")" = "For more information on a command, try \`initctl COMMAND --help'." ]

	out=$(initctl --help)
	[ "$(head -n 1 <<<"$out")" = "Usage: initctl [OPTION]... COMMAND [OPTION]... [ARG]..." ]
	out=$(initctl start --help)
	[ "$(head -n 1 <<<"$out")" = "Usage: initctl start [OPTION]... JOB [KEY=VALUE]..." ]
	grep -q -- "--no-wait" <<<"$out"
	out=$(start --help)
	[ "$(head -n 1 <<<"$out")" = "Usage: start [OPTION]... JOB [KEY=VALUE]..." ]

	out=$(initctl --version)
	[[ "$(head -n 1 <<<"$out")" =~ ^initctl\ \(upstart\ [0-9][^\ ]*\)$ ]]
	out=$(status --version)
	[[ "$(head -n 1 <<<"$out")" =~ ^status\ \(upstart\ [0-9][^\ ]*\)$ ]]
	rm -rf "$T"
}

# ---- events ----

@test "emit: waits for the jobs it starts, Event failed, env errors" {
	job greet <<-EOF
	start on go
	task
	exec sh -c 'sleep 0.3; echo "\$X" >$T/out/greet'
	EOF
	job bad <<-'EOF'
	start on fail-now
	task
	exec false
	EOF
	expect 0 "" "" initctl emit go X=hello
	# The task had finished when emit returned.
	[ "$(cat "$T/out/greet")" = hello ]
	expect 0 "" "" initctl emit nobody-listens
	expect 1 "" "initctl: Event failed" initctl emit fail-now
	expect 1 "" "initctl: Env must be KEY=VALUE pairs" initctl emit go BAD
	expect 1 "" "initctl: missing event name"$'\n'"$(hint)" initctl emit
}

@test "emit -e KEY=VALUE is the 0.6 form of a trailing KEY=VALUE" {
	job dvb <<-EOF
	start on dvb-device-add
	task
	exec sh -c 'echo "\$UDEV_KERNEL \$UDEV_DEVPATH" >$T/out/dvb'
	EOF
	expect 0 "" "" initctl --quiet emit --no-wait -e UDEV_KERNEL=dvb0 -e UDEV_DEVPATH=/devices/x dvb-device-add
	wait_grep "$T/out/dvb" '^dvb0 /devices/x$'
}

@test "monitor prints every event with its environment until interrupted" {
	svc_job
	initctl monitor >"$T/out/monitor" 2>"$T/out/monitor.err" &
	mon=$!
	# Connected once a ping shows up.
	for _ in $(seq 1 100); do
		initctl emit ping
		grep -qx ping "$T/out/monitor" && break
		sleep 0.05
	done
	grep -qx ping "$T/out/monitor"
	initctl emit hello A=1 'B=two words'
	start svc >/dev/null
	wait_grep "$T/out/monitor" '^started JOB=svc INSTANCE=$'
	grep -qx 'hello A=1 B=two words' "$T/out/monitor"
	grep -qx 'starting JOB=svc INSTANCE=' "$T/out/monitor"
	kill -TERM "$mon"
	rc=0
	wait "$mon" || rc=$?
	[ "$rc" = 143 ]
	# A monitor does not outlive init either.
	initctl monitor >"$T/out/monitor2" 2>"$T/out/monitor.err" &
	mon=$!
	for _ in $(seq 1 100); do
		initctl emit ping2
		grep -qx ping2 "$T/out/monitor2" && break
		sleep 0.05
	done
	grep -qx ping2 "$T/out/monitor2"
	kill -TERM "$INIT_PID"
	for _ in $(seq 1 100); do kill -0 "$mon" 2>/dev/null || break; sleep 0.05; done
	refute kill -0 "$mon" 2>/dev/null
	rc=0
	wait "$mon" || rc=$?
	[ "$rc" = 1 ]
	grep -q '^initctl: ' "$T/out/monitor.err"
}

# ---- configuration commands ----

@test "reload-configuration and notify-disk-writeable succeed quietly and start nothing" {
	job boot <<-'EOF'
	start on startup
	exec sleep 1000
	EOF
	svc_job
	out=$(start svc)
	expect 0 "" "" initctl reload-configuration
	expect 0 "" "" initctl notify-disk-writeable
	expect 0 "boot stop/waiting" "" status boot
	expect 0 "$out" "" status svc
}

@test "version is what Debian's tools expect: upstart, third field >= 1.9 for dpkg" {
	rc=0
	out=$(initctl version) || rc=$?
	[ "$rc" = 0 ]
	[ "$(wc -l <<<"$out")" = 1 ]
	[[ $out =~ ^init\ \(upstart\ [^\ ]+\)$ ]]
	grep -q upstart <<<"$out"
	ver=$(awk '{ print $3 }' <<<"$out" | tr -d ')')
	dpkg --compare-versions "$ver" ge 1.9
	expect 0 "$out" "" initctl version extra words
}

@test "log-priority queries and sets the daemon's priority" {
	expect 0 "message" "" initctl log-priority
	for p in debug info warn error fatal message; do
		expect 0 "" "" initctl log-priority "$p"
		expect 0 "$p" "" initctl log-priority
	done
	expect 1 "" "initctl: The log priority given was not recognised" initctl log-priority bogus
	expect 0 "message" "" initctl log-priority
}

# Jobs for show-config and check-config.
config_jobs() {
	job alpha <<-'EOF'
	emits alpha-ready net-*
	start on started beta and (ev1 FOO=BAR or starting gamma x=y)
	stop on runlevel [016]
	exec sleep 1000
	EOF
	job beta <<-'EOF'
	emits runlevel
	start on net-up
	exec sleep 1000
	EOF
	job gamma <<-'EOF'
	exec sleep 1000
	EOF
}

@test "show-config for one job and all, with and without -e" {
	config_jobs
	a="alpha
  emits alpha-ready
  emits net-*
  start on (started beta and (ev1 FOO=BAR or starting gamma x=y))
  stop on runlevel [016]"
	ae="alpha
  emits alpha-ready
  emits net-*
  start on started (job: beta, env:)
  start on ev1 (job:, env: FOO=BAR)
  start on starting (job: gamma, env: x=y)
  stop on runlevel (job:, env: [016])"
	b="beta
  emits runlevel
  start on net-up"
	be="beta
  emits runlevel
  start on net-up (job:, env:)"
	expect 0 "$a" "" initctl show-config alpha
	expect 0 "$ae" "" initctl show-config -e alpha
	expect 0 "$ae" "" initctl show-config alpha --enumerate
	expect 0 "$b" "" initctl show-config beta
	expect 0 "$be" "" initctl show-config -e beta
	# A manual job prints its name only.
	expect 0 "gamma" "" initctl show-config gamma
	expect 0 "gamma" "" initctl show-config -e gamma
	expect 1 "" "initctl: Unknown job: nope" initctl show-config nope
	# All jobs: the same blocks, in some order.
	for e in "" -e; do
		out=$(initctl show-config $e)
		blocks=$(for j in alpha beta gamma; do initctl show-config $e $j; done)
		[ "$(sort <<<"$out")" = "$(sort <<<"$blocks")" ]
		for j in alpha beta gamma; do
			grep -qx "$j" <<<"$out"
		done
	done
}

@test "check-config reports unknown events and jobs, exit 1" {
	config_jobs
	expect 0 "" "" initctl check-config
	expect 0 "" "" initctl check-config alpha
	job delta <<-'EOF'
	start on started nojob and mystery-event
	stop on stopping gamma or net-down
	exec sleep 1000
	EOF
	job eps <<-'EOF'
	start on other-mystery
	stop on stopped JOB=ghost
	exec sleep 1000
	EOF
	d="delta
  start on: unknown job nojob
  start on: unknown event mystery-event"
	e="eps
  start on: unknown event other-mystery
  stop on: unknown job ghost"
	expect 1 "$d" "" initctl check-config delta
	expect 1 "$e" "" initctl check-config eps
	rc=0
	out=$(initctl check-config) || rc=$?
	[ "$rc" = 1 ]
	[ "$(sort <<<"$out")" = "$(printf '%s\n' "$d" "$e" | sort)" ]
	expect 1 "" "initctl: Invalid job class: nope" initctl check-config nope
}

@test "check-config -i/--ignore-events skips the listed events" {
	job delta <<-'EOF'
	start on mystery-event and other-mystery and startup
	exec sleep 1000
	EOF
	expect 1 "delta
  start on: unknown event other-mystery" "" initctl check-config -i mystery-event delta
	expect 0 "" "" initctl check-config -i mystery-event,other-mystery delta
	expect 0 "" "" initctl check-config --ignore-events=other-mystery,mystery-event
	expect 0 "" "" initctl check-config -i mystery-event -i other-mystery
}

@test "check-config: an unknown event inside or is fine, inside and it is not" {
	job orjob <<-'EOF'
	start on startup or mystery-or
	exec sleep 1000
	EOF
	job andjob <<-'EOF'
	start on startup and mystery-and
	exec sleep 1000
	EOF
	job globjob <<-'EOF'
	emits dev-*
	start on dev-sda and control-alt-delete
	exec sleep 1000
	EOF
	expect 0 "" "" initctl check-config orjob
	expect 0 "" "" initctl check-config globjob
	expect 1 "andjob
  start on: unknown event mystery-and" "" initctl check-config andjob
	expect 1 "andjob
  start on: unknown event mystery-and" "" initctl check-config
}

@test "usage prints the usage stanza" {
	job_class inst <<-'EOF'
	instance $N
	usage "start inst N=<n>"
	exec sleep 1000
	EOF
	svc_job
	expect 0 "Usage: start inst N=<n>" "" initctl usage inst
	expect 0 "Usage: " "" initctl usage svc
	expect 1 "" "initctl: Unknown job: nope" initctl usage nope
	expect 1 "" "initctl: missing job name"$'\n'"$(hint)" initctl usage
}

# ---- the job environment table ----

@test "set-env, get-env, list-env (sorted) and -r/--retain" {
	expect 0 "" "" initctl set-env ZZ_LAST=z AA_FIRST=a MM_MID=m
	expect 0 "a" "" initctl get-env AA_FIRST
	expect 0 "z" "" initctl get-env ZZ_LAST
	# Entries in strcoll order (the first line of each: values from
	# bats's environment may span lines).
	out=$(LC_ALL=C initctl list-env | grep -E '^[A-Za-z_][A-Za-z0-9_]*=')
	[ "$out" = "$(LC_ALL=C sort <<<"$out")" ]
	[ "$(grep -E '^(AA_FIRST|MM_MID|ZZ_LAST)=' <<<"$out")" = "AA_FIRST=a
MM_MID=m
ZZ_LAST=z" ]
	grep -qx AA_FIRST=a <<<"$out"
	grep -qx MM_MID=m <<<"$out"
	grep -qx ZZ_LAST=z <<<"$out"
	expect 0 "" "" initctl set-env -r AA_FIRST=changed
	expect 0 "a" "" initctl get-env AA_FIRST
	expect 0 "" "" initctl set-env --retain AA_FIRST=changed NEW_ONE=n
	expect 0 "a" "" initctl get-env AA_FIRST
	expect 0 "n" "" initctl get-env NEW_ONE
	expect 0 "" "" initctl set-env AA_FIRST=changed
	expect 0 "changed" "" initctl get-env AA_FIRST
	# VAR without = becomes VAR=.
	expect 0 "" "" initctl set-env BARE
	expect 0 "" "" initctl get-env BARE
	LC_ALL=C initctl list-env | grep -qx 'BARE='
	expect 0 "" "" initctl set-env 'SPACED=a b  c'
	expect 0 "a b  c" "" initctl get-env SPACED
	expect 1 "" "initctl: No such variable: NOT_THERE" initctl get-env NOT_THERE
	expect 1 "" "initctl: missing variable name"$'\n'"$(hint)" initctl get-env
	expect 1 "" "initctl: missing variable value"$'\n'"$(hint)" initctl set-env
}

@test "unset-env, unset of an unset variable and reset-env" {
	expect 0 "" "" initctl set-env GONE=1 KEPT=2
	expect 0 "" "" initctl unset-env GONE
	expect 1 "" "initctl: No such variable: GONE" initctl get-env GONE
	expect 0 "2" "" initctl get-env KEPT
	expect 0 "" "" initctl unset-env NEVER_SET
	expect 1 "" "initctl: missing variable name"$'\n'"$(hint)" initctl unset-env
	# init's own environment is the default table.
	expect 0 "$PATH" "" initctl get-env PATH
	expect 0 "" "" initctl unset-env PATH
	expect 1 "" "initctl: No such variable: PATH" initctl get-env PATH
	expect 0 "" "" initctl reset-env
	expect 0 "$PATH" "" initctl get-env PATH
	expect 1 "" "initctl: No such variable: KEPT" initctl get-env KEPT
}

@test "jobs get the global table; inside a job the env commands use the job's table" {
	expect 0 "" "" initctl set-env GREETING=hello
	job show <<-EOF
	task
	exec sh -c 'echo "\$GREETING" >$T/out/greeting'
	EOF
	start show >/dev/null
	[ "$(cat "$T/out/greeting")" = hello ]
	job genv <<-EOF
	env JOBVAR=fromjob
	script
	  initctl get-env JOBVAR >$T/out/genv.tmp 2>&1 || true
	  initctl get-env -g JOBVAR >>$T/out/genv.tmp 2>&1 || true
	  initctl list-env | grep '^JOBVAR=' >>$T/out/genv.tmp 2>&1 || true
	  mv $T/out/genv.tmp $T/out/genv
	  exec sleep 1000
	end script
	EOF
	start genv >/dev/null
	wait_file "$T/out/genv"
	[ "$(cat "$T/out/genv")" = "fromjob
initctl: No such variable: JOBVAR
JOBVAR=fromjob" ]
	expect 1 "" "initctl: No such variable: JOBVAR" initctl get-env JOBVAR
}

# ---- which init ----

@test "UPINIT_SOCKET and --socket choose the init" {
	job one <<-'EOF'
	exec sleep 1000
	EOF
	mkdir -p "$T/conf2" "$T/log2"
	echo 'exec sleep 1000' >"$T/conf2/two.conf"
	"$INIT" --user --confdir "$T/conf2" --logdir "$T/log2" --socket "$T/control2" \
		>/dev/null 2>"$T/init2.err" &
	INIT2_PID=$!
	wait_for "second init" "$INITCTL" --socket "$T/control2" status two
	expect 0 "one stop/waiting" "" initctl list
	expect 0 "two stop/waiting" "" initctl --socket "$T/control2" list
	expect 0 "two stop/waiting" "" initctl --socket="$T/control2" list
	expect 0 "two stop/waiting" "" initctl list --socket "$T/control2"
	expect 0 "two stop/waiting" "" env UPINIT_SOCKET="$T/control2" initctl list
	expect 0 "two stop/waiting" "" env UPINIT_SOCKET="$T/control2" status two
	# --socket wins over the environment.
	expect 0 "one stop/waiting" "" env UPINIT_SOCKET="$T/control2" initctl --socket "$T/control" list
	expect 1 "" "status: Unknown job: one" env UPINIT_SOCKET="$T/control2" status one
}

@test "initctl --user finds a user init at \$XDG_RUNTIME_DIR/upinit/control" {
	mkdir -p "$T/xdg" "$T/conf2" "$T/log2"
	echo 'exec sleep 1000' >"$T/conf2/two.conf"
	env -u UPINIT_SOCKET XDG_RUNTIME_DIR="$T/xdg" \
		"$INIT" --user --confdir "$T/conf2" --logdir "$T/log2" >/dev/null 2>"$T/init2.err" &
	INIT2_PID=$!
	wait_for "second init" env -u UPINIT_SOCKET XDG_RUNTIME_DIR="$T/xdg" "$INITCTL" --user status two
	expect 0 "two stop/waiting" "" env -u UPINIT_SOCKET XDG_RUNTIME_DIR="$T/xdg" initctl --user list
}

@test "no init reachable: one line naming the socket, exit 1, no hang" {
	svc_job
	expect 1 "" "initctl: Unable to connect to Upstart: Failed to connect to socket $T/none: No such file or directory" \
		initctl --socket "$T/none" list
	expect 1 "" "status: Unable to connect to Upstart: Failed to connect to socket $T/none: No such file or directory" \
		env UPINIT_SOCKET="$T/none" status svc
	expect 1 "" "start: Unable to connect to Upstart: Failed to connect to socket $T/none: No such file or directory" \
		env UPINIT_SOCKET="$T/none" start svc
	touch "$T/plain"
	expect 1 "" "initctl: Unable to connect to Upstart: Failed to connect to socket $T/plain: Connection refused" \
		initctl --socket "$T/plain" emit foo
	# A dead init leaves its socket behind: refused, at once.
	kill -KILL "$INIT_PID"
	wait "$INIT_PID" 2>/dev/null || true
	INIT_PID=
	[ -S "$T/control" ]
	expect 1 "" "initctl: Unable to connect to Upstart: Failed to connect to socket $T/control: Connection refused" \
		initctl version
	expect 1 "" "stop: Unable to connect to Upstart: Failed to connect to socket $T/control: Connection refused" \
		stop svc
	expect 1 "" "initctl: Unable to connect to Upstart: Failed to connect to socket $T/control: Connection refused" \
		initctl -q list
}

# ---- permissions ----

@test "another user may read the jobs' state but not their environment, and change nothing" {
	require_root
	# A user init answers only its owner and root unless told otherwise
	# (access.bats); told so, it answers others as the system init does.
	stop_init
	start_init --open-socket
	svc_job
	chmod 755 "$T"
	running=$(start svc)
	for cmd in "status svc" "list" "version" "show-config" "show-config -e svc" \
		"check-config" "usage svc" "log-priority"; do
		# shellcheck disable=SC2086
		expect 0 "$(initctl $cmd)" "" "${AS_NOBODY[@]}" "$INITCTL" $cmd
	done
	expect 0 "$running" "" "${AS_NOBODY[@]}" "$UPINIT_BUILD/status" svc
	expect 0 "svc" "" "${AS_NOBODY[@]}" "$INITCTL" show-config svc
	for cmd in "start svc" "stop svc" "restart svc" "reload svc" "emit foo" \
		"reload-configuration" "log-priority debug" "set-env A=1" \
		"unset-env PATH" "reset-env" "notify-disk-writeable" \
		"list-env" "get-env PATH"; do
		rc=0
		# shellcheck disable=SC2086
		out=$(timeout 10 "${AS_NOBODY[@]}" "$INITCTL" $cmd 2>"$T/err") || rc=$?
		[ "$rc" = 1 ] || { echo "$cmd: exit $rc" >&2; false; }
		[ -z "$out" ]
		[[ "$(cat "$T/err")" =~ ^initctl:\ You\ do\ not\ have\ permission\ to\ [^$'\n']+$ ]] ||
			{ echo "$cmd: $(cat "$T/err")" >&2; false; }
	done
	rc=0
	"${AS_NOBODY[@]}" "$UPINIT_BUILD/stop" svc 2>"$T/err" || rc=$?
	[ "$rc" = 1 ]
	grep -q '^stop: You do not have permission to ' "$T/err"
	# Nothing changed.
	expect 0 "$running" "" status svc
	expect 0 "message" "" initctl log-priority
	expect 0 "$PATH" "" initctl get-env PATH
	expect 1 "" "initctl: No such variable: A" initctl get-env A
}
