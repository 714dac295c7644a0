#!/usr/bin/env bats
# The job state machine (docs/state-machine.md): goals and states, hook
# processes, the events emitted for a job and their environment, blocking
# on starting, tasks and services, respawn, normal exit, failures,
# cancelled starts and stops, status lines, restart, reload, instances.
# Events are recorded with `initctl monitor` (helpers_events.bash).

load helpers
load helpers_events

setup() {
	start_init --no-startup-event
	start_monitor
	O=$T/out
}

teardown() {
	dump_on_failure
	stop_monitor
	stop_init
}

# ---- a service's life: states, hooks and events ----

@test "service: hooks run in order and the events carry JOB, INSTANCE, RESULT and exported vars" {
	job svc <<EOF
env FOO=bar
env HIDDEN=no
export FOO
pre-start script
	echo pre-start >>$O/order
end script
script
	echo main >>$O/order
	exec sleep 1000
end script
post-start script
	while ! grep -q main $O/order; do sleep 0.01; done
	echo post-start >>$O/order
end script
pre-stop script
	echo pre-stop >>$O/order
end script
post-stop script
	echo post-stop >>$O/order
end script
EOF
	run start svc
	[ "$status" -eq 0 ]
	assert_match 'svc start/running, process [0-9]+' "$output"
	pid=${output##* }
	kill -0 "$pid"
	[ "$(pid_of svc)" = "$pid" ]
	assert_text "$(content "$O/order")" <<-EOF
		pre-start
		main
		post-start
	EOF

	run stop svc
	assert_run 0 "svc stop/waiting"
	refute kill -0 "$pid" 2>/dev/null
	assert_text "$(content "$O/order")" <<-EOF
		pre-start
		main
		post-start
		pre-stop
		post-stop
	EOF
	sync_events
	assert_job_events svc <<-EOF
		starting JOB=svc INSTANCE= FOO=bar
		started JOB=svc INSTANCE= FOO=bar
		stopping JOB=svc INSTANCE= RESULT=ok FOO=bar
		stopped JOB=svc INSTANCE= RESULT=ok FOO=bar
	EOF
}

@test "status shows pre-start, post-start, running, pre-stop, post-stop with their processes" {
	job st <<EOF
pre-start script
	echo \$\$ >$O/pre-start.pid
	while [ ! -e $O/go1 ]; do sleep 0.01; done
end script
script
	echo \$\$ >$O/main.pid
	exec sleep 1000
end script
post-start script
	echo \$\$ >$O/post-start.pid
	while [ ! -e $O/go2 ]; do sleep 0.01; done
end script
pre-stop script
	echo \$\$ >$O/pre-stop.pid
	while [ ! -e $O/go3 ]; do sleep 0.01; done
end script
post-stop script
	echo \$\$ >$O/post-stop.pid
	while [ ! -e $O/go4 ]; do sleep 0.01; done
end script
EOF
	"$INITCTL" start --no-wait st >/dev/null
	wait_file "$O/pre-start.pid"
	run status st
	assert_run 0 "st start/pre-start, process $(cat "$O/pre-start.pid")"

	touch "$O/go1"
	wait_file "$O/post-start.pid"
	wait_file "$O/main.pid"
	main=$(cat "$O/main.pid")
	run status st
	assert_run 0 "st start/post-start, process $main" \
		"	post-start process $(cat "$O/post-start.pid")"

	touch "$O/go2"
	wait_status st "st start/running"
	run status st
	assert_run 0 "st start/running, process $main"

	"$INITCTL" stop --no-wait st >/dev/null
	wait_file "$O/pre-stop.pid"
	run status st
	assert_run 0 "st stop/pre-stop, process $main" \
		"	pre-stop process $(cat "$O/pre-stop.pid")"

	touch "$O/go3"
	wait_file "$O/post-stop.pid"
	run status st
	assert_run 0 "st stop/post-stop, process $(cat "$O/post-stop.pid")"
	refute kill -0 "$main" 2>/dev/null

	touch "$O/go4"
	wait_status st "st stop/waiting"
	sync_events
	[ "$(job_event_names st)" = "starting started stopping stopped" ]
}

@test "expect stop: the job stays start/spawned until main stops itself" {
	job sp <<EOF
expect stop
script
	echo \$\$ >$O/main.pid
	while [ ! -e $O/go ]; do sleep 0.01; done
	kill -STOP \$\$
	exec sleep 1000
end script
EOF
	"$INITCTL" start --no-wait sp >/dev/null
	wait_file "$O/main.pid"
	main=$(cat "$O/main.pid")
	run status sp
	assert_run 0 "sp start/spawned, process $main"
	sync_events
	[ "$(job_event_names sp)" = "starting" ]
	touch "$O/go"
	wait_status sp "sp start/running"
	run status sp
	assert_run 0 "sp start/running, process $main"
	wait_event "started JOB=sp INSTANCE="
}

@test "post-start without a main process is shown as (post-start)" {
	job ps <<EOF
post-start script
	echo \$\$ >$O/post-start.pid
	while [ ! -e $O/go ]; do sleep 0.01; done
end script
EOF
	"$INITCTL" start --no-wait ps >/dev/null
	wait_file "$O/post-start.pid"
	run status ps
	assert_run 0 "ps start/post-start, (post-start) process $(cat "$O/post-start.pid")"
	touch "$O/go"
	wait_status ps "ps start/running"
	run status ps
	assert_run 0 "ps start/running"
}

@test "a job without main process stays start/running with no pid until stopped; no pre-stop" {
	job state <<EOF
pre-stop exec touch $O/pre-stop.ran
post-stop exec touch $O/post-stop.ran
EOF
	run start state
	assert_run 0 "state start/running"
	sync_events
	run status state
	assert_run 0 "state start/running"
	run stop state
	assert_run 0 "state stop/waiting"
	[ -e "$O/post-stop.ran" ]
	[ ! -e "$O/pre-stop.ran" ]
	sync_events
	assert_job_events state <<-EOF
		starting JOB=state INSTANCE=
		started JOB=state INSTANCE=
		stopping JOB=state INSTANCE= RESULT=ok
		stopped JOB=state INSTANCE= RESULT=ok
	EOF
}

# ---- blocking on the starting event ----

@test "a task started by 'starting A' holds A in start/starting until it finished" {
	job a <<EOF
exec sleep 1000
EOF
	job b <<EOF
start on starting a
task
script
	echo \$\$ >$O/b.pid
	while [ ! -e $O/go ]; do sleep 0.01; done
end script
EOF
	"$INITCTL" start --no-wait a >/dev/null
	wait_file "$O/b.pid"
	run status a
	assert_run 0 "a start/starting"
	run status b
	assert_run 0 "b start/running, process $(cat "$O/b.pid")"
	touch "$O/go"
	wait_status a "a start/running, process"
	wait_event "started JOB=a INSTANCE="
	events | grep -E '^(starting|started|stopping|stopped) ' >"$O/seen"
	assert_text "$(cat "$O/seen")" <<-EOF
		starting JOB=a INSTANCE=
		starting JOB=b INSTANCE=
		started JOB=b INSTANCE=
		stopping JOB=b INSTANCE= RESULT=ok
		stopped JOB=b INSTANCE= RESULT=ok
		started JOB=a INSTANCE=
	EOF
}

@test "a service with a slow pre-start started by 'starting A' holds A until it runs" {
	job a <<EOF
exec sleep 1000
EOF
	job c <<EOF
start on starting a
pre-start script
	echo \$\$ >$O/c.pid
	while [ ! -e $O/go ]; do sleep 0.01; done
end script
exec sleep 1000
EOF
	"$INITCTL" start --no-wait a >/dev/null
	wait_file "$O/c.pid"
	run status a
	assert_run 0 "a start/starting"
	run status c
	assert_run 0 "c start/pre-start, process $(cat "$O/c.pid")"
	touch "$O/go"
	wait_status a "a start/running, process"
	wait_status c "c start/running, process"
	wait_event "started JOB=a INSTANCE="
	events | grep -E '^(starting|started) ' >"$O/seen"
	assert_text "$(cat "$O/seen")" <<-EOF
		starting JOB=a INSTANCE=
		starting JOB=c INSTANCE=
		started JOB=c INSTANCE=
		started JOB=a INSTANCE=
	EOF
}

# ---- tasks and services ----

@test "start of a task waits until it finished and prints TASK stop/waiting" {
	job t <<EOF
task
script
	sleep 0.3
	touch $O/done
end script
EOF
	run start t
	assert_run 0 "t stop/waiting"
	[ -e "$O/done" ]
	sync_events
	assert_job_events t <<-EOF
		starting JOB=t INSTANCE=
		started JOB=t INSTANCE=
		stopping JOB=t INSTANCE= RESULT=ok
		stopped JOB=t INSTANCE= RESULT=ok
	EOF
}

@test "start of a failing task: Job failed to start, events carry PROCESS=main EXIT_STATUS" {
	job tf <<EOF
task
exec sh -c 'exit 3'
EOF
	run start tf
	assert_run 1 "start: Job failed to start"
	sync_events
	assert_job_events tf <<-EOF
		starting JOB=tf INSTANCE=
		started JOB=tf INSTANCE=
		stopping JOB=tf INSTANCE= RESULT=failed PROCESS=main EXIT_STATUS=3
		stopped JOB=tf INSTANCE= RESULT=failed PROCESS=main EXIT_STATUS=3
	EOF
	run status tf
	assert_run 0 "tf stop/waiting"
}

@test "start of a service returns once it is running (after post-start) and prints its pid" {
	job s <<EOF
script
	echo \$\$ >$O/main.pid
	exec sleep 1000
end script
post-start script
	sleep 0.3
	touch $O/post-start.done
end script
EOF
	run start s
	[ "$status" -eq 0 ]
	[ -e "$O/post-start.done" ]
	wait_file "$O/main.pid"
	assert_run 0 "s start/running, process $(cat "$O/main.pid")"
	kill -0 "$(cat "$O/main.pid")"
	run start s
	assert_run 1 "start: Job is already running: s"
}

# ---- respawn ----

@test "respawn: a service exiting 0 is respawned; stopping, starting, started but no stopped; hooks re-run" {
	job r <<EOF
respawn
pre-start exec sh -c 'echo pre-start >>$O/hooks'
post-stop exec sh -c 'echo post-stop >>$O/hooks'
script
	echo run >>$O/runs
	[ \$(wc -l <$O/runs) -ge 3 ] && exec sleep 1000
	exit 0
end script
EOF
	"$INITCTL" start --no-wait r >/dev/null
	wait_lines "$O/runs" 3
	wait_status r "r start/running, process"
	sync_events
	assert_job_events r <<-EOF
		starting JOB=r INSTANCE=
		started JOB=r INSTANCE=
		stopping JOB=r INSTANCE= RESULT=ok
		starting JOB=r INSTANCE=
		started JOB=r INSTANCE=
		stopping JOB=r INSTANCE= RESULT=ok
		starting JOB=r INSTANCE=
		started JOB=r INSTANCE=
	EOF
	assert_text "$(content "$O/hooks")" <<-EOF
		pre-start
		post-stop
		pre-start
		post-stop
		pre-start
	EOF
	[ "$(grep -cx 'init: r main process ended, respawning' "$T/init.err")" -eq 2 ]
	run stop r
	assert_run 0 "r stop/waiting"
	sync_events
	[ "$(job_event_names r)" = "starting started stopping starting started stopping starting started stopping stopped" ]
}

@test "respawn limit 3 5: the fourth quick exit stops the job with RESULT=failed PROCESS=respawn" {
	job rl <<EOF
respawn
respawn limit 3 5
exec sh -c 'echo run >>$O/runs'
EOF
	"$INITCTL" start --no-wait rl >/dev/null
	wait_event "stopped JOB=rl INSTANCE= RESULT=failed PROCESS=respawn"
	assert_job_events rl <<-EOF
		starting JOB=rl INSTANCE=
		started JOB=rl INSTANCE=
		stopping JOB=rl INSTANCE= RESULT=ok
		starting JOB=rl INSTANCE=
		started JOB=rl INSTANCE=
		stopping JOB=rl INSTANCE= RESULT=ok
		starting JOB=rl INSTANCE=
		started JOB=rl INSTANCE=
		stopping JOB=rl INSTANCE= RESULT=ok
		starting JOB=rl INSTANCE=
		started JOB=rl INSTANCE=
		stopping JOB=rl INSTANCE= RESULT=failed PROCESS=respawn
		stopped JOB=rl INSTANCE= RESULT=failed PROCESS=respawn
	EOF
	[ "$(wc -l <"$O/runs")" -eq 4 ]
	run status rl
	assert_run 0 "rl stop/waiting"
	grep -qx 'init: rl respawning too fast, stopped' "$T/init.err"
}

@test "respawn limit alone does not enable respawn" {
	job nl <<EOF
respawn limit 3 5
exec sh -c 'echo run >>$O/runs'
EOF
	"$INITCTL" start --no-wait nl >/dev/null
	wait_event "stopped JOB=nl INSTANCE= RESULT=ok"
	sync_events
	[ "$(job_event_names nl)" = "starting started stopping stopped" ]
	[ "$(wc -l <"$O/runs")" -eq 1 ]
	refute grep -q respawning "$T/init.err"
}

# ---- normal exit ----

# main_ends NAME STANZAS COMMAND: a job NAME with extra STANZAS whose main
# process runs the shell COMMAND; started, and its stopped event awaited.
main_ends() {
	printf '%s\nscript\n\techo run >>%s/%s.runs\n\t%s\nend script\n' \
		"$2" "$O" "$1" "$3" | job "$1"
	"$INITCTL" start --no-wait "$1" >/dev/null
	for _ in $(seq 1 250); do
		job_events "$1" | grep -q '^stopped ' && return 0
		sleep 0.02
	done
	echo "$1 never stopped" >&2
	return 1
}

@test "normal exit 0 stops a respawning service instead of respawning it" {
	main_ends n0 $'respawn\nnormal exit 0' 'exit 0'
	[ "$(job_event_names n0)" = "starting started stopping stopped" ]
	job_events n0 | tail -1 | grep -qx 'stopped JOB=n0 INSTANCE= RESULT=ok'
	[ "$(wc -l <"$O/n0.runs")" -eq 1 ]
}

@test "main exit status: failed with EXIT_STATUS unless listed in normal exit" {
	main_ends e3 '' 'exit 3'
	assert_text "$(job_events e3 | tail -2)" <<-EOF
		stopping JOB=e3 INSTANCE= RESULT=failed PROCESS=main EXIT_STATUS=3
		stopped JOB=e3 INSTANCE= RESULT=failed PROCESS=main EXIT_STATUS=3
	EOF
	main_ends n3 'normal exit 1 3' 'exit 3'
	assert_text "$(job_events n3 | tail -2)" <<-EOF
		stopping JOB=n3 INSTANCE= RESULT=ok
		stopped JOB=n3 INSTANCE= RESULT=ok
	EOF
	main_ends z0 '' 'exit 0'
	job_events z0 | tail -1 | grep -qx 'stopped JOB=z0 INSTANCE= RESULT=ok'
}

@test "main killed by a signal: EXIT_SIGNAL=TERM, normal with 'normal exit TERM' or 'SIGTERM'" {
	main_ends kt '' 'kill -TERM $$'
	assert_text "$(job_events kt | tail -2)" <<-EOF
		stopping JOB=kt INSTANCE= RESULT=failed PROCESS=main EXIT_SIGNAL=TERM
		stopped JOB=kt INSTANCE= RESULT=failed PROCESS=main EXIT_SIGNAL=TERM
	EOF
	main_ends nt 'normal exit TERM' 'kill -TERM $$'
	job_events nt | tail -1 | grep -qx 'stopped JOB=nt INSTANCE= RESULT=ok'
	main_ends ns 'normal exit SIGTERM' 'kill -TERM $$'
	job_events ns | tail -1 | grep -qx 'stopped JOB=ns INSTANCE= RESULT=ok'
}

@test "respawn with normal exit 2 TERM: status 1 respawns, status 2 stops with RESULT=ok" {
	main_ends rn $'respawn\nnormal exit 2 TERM' "[ \$(wc -l <$O/rn.runs) -ge 2 ] && exit 2; exit 1"
	[ "$(job_event_names rn)" = "starting started stopping starting started stopping stopped" ]
	job_events rn | tail -1 | grep -qx 'stopped JOB=rn INSTANCE= RESULT=ok'
	[ "$(wc -l <"$O/rn.runs")" -eq 2 ]
}

# ---- failing hooks ----

@test "pre-start failing fails the start: Job failed to start, PROCESS=pre-start EXIT_STATUS" {
	job pf <<EOF
pre-start script
	exit 7
end script
exec touch $O/main.ran
EOF
	run start pf
	assert_run 1 "start: Job failed to start"
	sync_events
	assert_job_events pf <<-EOF
		starting JOB=pf INSTANCE=
		stopping JOB=pf INSTANCE= RESULT=failed PROCESS=pre-start EXIT_STATUS=7
		stopped JOB=pf INSTANCE= RESULT=failed PROCESS=pre-start EXIT_STATUS=7
	EOF
	[ ! -e "$O/main.ran" ]
	run status pf
	assert_run 0 "pf stop/waiting"
}

@test "post-stop failing: stopping is ok, stopped carries PROCESS=post-stop, stop fails" {
	job pof <<EOF
exec sleep 1000
post-stop script
	exit 4
end script
EOF
	run start pof
	[ "$status" -eq 0 ]
	run stop pof
	assert_run 1 "stop: Job failed while stopping"
	wait_status pof "pof stop/waiting"
	sync_events
	assert_job_events pof <<-EOF
		starting JOB=pof INSTANCE=
		started JOB=pof INSTANCE=
		stopping JOB=pof INSTANCE= RESULT=ok
		stopped JOB=pof INSTANCE= RESULT=failed PROCESS=post-stop EXIT_STATUS=4
	EOF
}

@test "post-start and pre-stop exit statuses are ignored" {
	job ign <<EOF
exec sleep 1000
post-start script
	touch $O/post-start.ran
	exit 5
end script
pre-stop script
	touch $O/pre-stop.ran
	exit 6
end script
EOF
	run start ign
	[ "$status" -eq 0 ]
	assert_match 'ign start/running, process [0-9]+' "$output"
	run stop ign
	assert_run 0 "ign stop/waiting"
	[ -e "$O/post-start.ran" ]
	[ -e "$O/pre-stop.ran" ]
	sync_events
	assert_job_events ign <<-EOF
		starting JOB=ign INSTANCE=
		started JOB=ign INSTANCE=
		stopping JOB=ign INSTANCE= RESULT=ok
		stopped JOB=ign INSTANCE= RESULT=ok
	EOF
}

# ---- pre-stop ----

@test "pre-stop runs on stop while main is alive and never when main exits by itself" {
	job pst <<EOF
script
	while [ ! -e $O/quit ]; do sleep 0.01; done
end script
pre-stop exec sh -c 'echo pre-stop >>$O/hooks'
post-stop exec sh -c 'echo post-stop >>$O/hooks'
EOF
	run start pst
	[ "$status" -eq 0 ]
	run stop pst
	assert_run 0 "pst stop/waiting"
	assert_text "$(content "$O/hooks")" <<-EOF
		pre-stop
		post-stop
	EOF

	rm -f "$O/hooks"
	run start pst
	[ "$status" -eq 0 ]
	touch "$O/quit"
	wait_status pst "pst stop/waiting"
	assert_text "$(content "$O/hooks")" <<-EOF
		post-stop
	EOF
	sync_events
	assert_text "$(job_events pst | tail -2)" <<-EOF
		stopping JOB=pst INSTANCE= RESULT=ok
		stopped JOB=pst INSTANCE= RESULT=ok
	EOF
}

# ---- cancelling from inside the job ----

@test "stop inside pre-start cancels the start: start exits 0 with JOB stop/pre-start, process N" {
	job cs <<EOF
pre-start script
	echo \$\$ >$O/pre-start.pid
	stop
	sleep 0.5
end script
exec touch $O/main.ran
EOF
	run start cs
	assert_run 0 "cs stop/pre-start, process $(cat "$O/pre-start.pid")"
	wait_event "stopped JOB=cs INSTANCE= RESULT=ok"
	assert_job_events cs <<-EOF
		starting JOB=cs INSTANCE=
		stopping JOB=cs INSTANCE= RESULT=ok
		stopped JOB=cs INSTANCE= RESULT=ok
	EOF
	[ ! -e "$O/main.ran" ]
	run status cs
	assert_run 0 "cs stop/waiting"
}

@test "start inside pre-stop cancels the stop: stop exits 0 with JOB start/pre-stop and the pre-stop line" {
	job cp <<EOF
script
	echo \$\$ >$O/main.pid
	exec sleep 1000
end script
pre-stop script
	echo \$\$ >$O/pre-stop.pid
	start
	sleep 0.5
end script
EOF
	run start cp
	[ "$status" -eq 0 ]
	wait_file "$O/main.pid"
	main=$(cat "$O/main.pid")
	run stop cp
	assert_run 0 "cp start/pre-stop, process $main" \
		"	pre-stop process $(cat "$O/pre-stop.pid")"
	wait_for "pre-stop ended" bash -c "! kill -0 $(cat "$O/pre-stop.pid")"
	wait_status cp "cp start/running"
	run status cp
	assert_run 0 "cp start/running, process $main"
	sync_events
	[ "$(job_event_names cp)" = "starting started" ]
}

# ---- restart and reload ----

@test "restart: stopping then starting, no stopped, new status printed, old definition kept" {
	job rs <<EOF
env VAL=old
pre-start exec sh -c 'echo pre-start >>$O/hooks'
post-stop exec sh -c 'echo post-stop >>$O/hooks'
script
	echo \$VAL >>$O/vals
	exec sleep 1000
end script
EOF
	run start rs
	[ "$status" -eq 0 ]
	old=${output##* }
	sed -i 's/VAL=old/VAL=new/' "$T/conf/rs.conf"
	"$INITCTL" reload-configuration

	run restart rs
	[ "$status" -eq 0 ]
	assert_match 'rs start/running, process [0-9]+' "$output"
	new=${output##* }
	[ "$new" != "$old" ]
	kill -0 "$new"
	refute kill -0 "$old" 2>/dev/null
	[ "$(pid_of rs)" = "$new" ]
	wait_lines "$O/vals" 2
	assert_text "$(content "$O/vals")" <<-EOF
		old
		old
	EOF
	assert_text "$(content "$O/hooks")" <<-EOF
		pre-start
		post-stop
		pre-start
	EOF
	sync_events
	assert_job_events rs <<-EOF
		starting JOB=rs INSTANCE=
		started JOB=rs INSTANCE=
		stopping JOB=rs INSTANCE= RESULT=ok
		starting JOB=rs INSTANCE=
		started JOB=rs INSTANCE=
	EOF

	# Once the instance is gone, the edited file is used.
	run stop rs
	assert_run 0 "rs stop/waiting"
	run start rs
	[ "$status" -eq 0 ]
	wait_lines "$O/vals" 3
	[ "$(tail -1 "$O/vals")" = new ]
}

@test "restart of a job that is not running fails with Unknown instance" {
	job rn <<EOF
exec sleep 1000
EOF
	run restart rn
	assert_run 1 "restart: Unknown instance: "
}

@test "reload sends SIGHUP to the main process only; not running fails" {
	job rl <<EOF
script
	trap 'echo hup >>$O/hup' HUP
	echo \$\$ >$O/main.pid
	while :; do sleep 0.02; done
end script
EOF
	run reload rl
	assert_run 1 "reload: Unknown instance: "
	run start rl
	[ "$status" -eq 0 ]
	wait_file "$O/main.pid"
	main=$(cat "$O/main.pid")
	run reload rl
	assert_run 0
	wait_file "$O/hup"
	run status rl
	assert_run 0 "rl start/running, process $main"
	sync_events
	[ "$(job_event_names rl)" = "starting started" ]
}

# ---- instances ----

@test "instances: one per N, status/stop with N, errors without it" {
	instance_job w <<EOF
instance \$N
usage "start w N=<number>"
exec sleep 1000
EOF
	run start w N=1
	[ "$status" -eq 0 ]
	assert_match 'w \(1\) start/running, process [0-9]+' "$output"
	p1=${output##* }
	run start w N=2
	[ "$status" -eq 0 ]
	assert_match 'w \(2\) start/running, process [0-9]+' "$output"
	p2=${output##* }
	[ "$p1" != "$p2" ]

	run status w N=1
	assert_run 0 "w (1) start/running, process $p1"
	run start w N=1
	assert_run 1 "start: Job is already running: w (1)"
	run status w
	assert_run 1 "status: Unknown parameter: N"
	run stop w
	assert_run 1 "stop: Unknown parameter: N" "Usage: start w N=<number>"
	run start w
	assert_run 1 "start: Unknown parameter: N" "Usage: start w N=<number>"
	run stop w N=9
	assert_run 1 "stop: Unknown instance: 9"
	run initctl list
	[ "$status" -eq 0 ]
	[ "$(grep -c '^w ' <<<"$output")" -eq 2 ]
	grep -qxF "w (1) start/running, process $p1" <<<"$output"
	grep -qxF "w (2) start/running, process $p2" <<<"$output"

	run stop w N=1
	assert_run 0 "w stop/waiting"
	refute kill -0 "$p1" 2>/dev/null
	run status w N=1
	assert_run 1 "status: Unknown instance: 1"
	run status w N=2
	assert_run 0 "w (2) start/running, process $p2"
	sync_events
	events | grep -E '^(starting|started|stopping|stopped) JOB=w ' >"$O/seen"
	assert_text "$(cat "$O/seen")" <<-EOF
		starting JOB=w INSTANCE=1
		started JOB=w INSTANCE=1
		starting JOB=w INSTANCE=2
		started JOB=w INSTANCE=2
		stopping JOB=w INSTANCE=1 RESULT=ok
		stopped JOB=w INSTANCE=1 RESULT=ok
	EOF
}
