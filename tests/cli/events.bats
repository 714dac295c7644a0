#!/usr/bin/env bats
# Events (docs/state-machine.md): `start on`/`stop on` matching and
# operators, held events, blocking of `initctl emit`, EVENT/failed, emit
# errors, the startup event, UPSTART_EVENTS / UPSTART_STOP_EVENTS.
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

# recorder NAME CONDITION: a task started on CONDITION that appends
# "$UPSTART_EVENTS|<env of its start events>" to $O/NAME, one line per run.
# Its env is read through `env`, filtered to the upper-case test variables.
recorder() {
	job "$1" <<EOF
start on $2
task
script
	echo "\$UPSTART_EVENTS|\$(env | grep -E '^[A-Z]{1,2}=' | sort | paste -sd' ' -)" >>$O/$1
end script
EOF
}

# ---- matching ----

@test "positional arguments match env values by position" {
	recorder rl 'runlevel [2345]'
	run initctl emit runlevel RUNLEVEL=1 PREVLEVEL=N
	assert_run 0
	[ ! -e "$O/rl" ]
	run initctl emit runlevel RUNLEVEL=3 PREVLEVEL=1
	assert_run 0
	assert_text "$(content "$O/rl")" <<-EOF
		runlevel|
	EOF
	# The name does not matter, the position does.
	run initctl emit runlevel PREVLEVEL=5 RUNLEVEL=S
	assert_run 0
	[ "$(wc -l <"$O/rl")" -eq 2 ]

	recorder two 'foo a b*'
	initctl emit foo X=a Y=c
	initctl emit foo X=b Y=b
	initctl emit foo X=a
	[ ! -e "$O/two" ]
	initctl emit foo X=a Y=bc
	assert_text "$(content "$O/two")" <<-EOF
		foo|X=a Y=bc
	EOF
}

@test "KEY=VALUE matches by name; KEY!=VALUE negates; a missing KEY never matches" {
	recorder eq 'foo B=baz'
	recorder ne 'foo B!=baz'
	initctl emit foo B=qux
	initctl emit foo X=1 B=baz
	initctl emit foo X=2
	assert_text "$(content "$O/eq")" <<-EOF
		foo|B=baz X=1
	EOF
	assert_text "$(content "$O/ne")" <<-EOF
		foo|B=qux
	EOF
}

@test "values are globs" {
	recorder g 'foo B=b?[a-m]*'
	initctl emit foo B=bxz
	initctl emit foo B=bz
	initctl emit foo B=xbam
	[ ! -e "$O/g" ]
	initctl emit foo B=bxmore
	assert_text "$(content "$O/g")" <<-EOF
		foo|B=bxmore
	EOF
}

@test "or starts on either event; UPSTART_EVENTS names it" {
	recorder o 'a or b'
	initctl emit b X=2
	initctl emit a X=1
	assert_text "$(content "$O/o")" <<-EOF
		b|X=2
		a|X=1
	EOF
}

@test "parentheses: (a or b) and c needs c and one of a, b; env of both in tree order" {
	recorder p '(a or b) and c'
	initctl emit --no-wait c Y=3
	initctl emit d
	initctl emit b X=2
	assert_text "$(content "$O/p")" <<-EOF
		b c|X=2 Y=3
	EOF
	# Both halves of the or true: both events count, in tree order.
	initctl emit --no-wait a X=1
	initctl emit --no-wait b X=9
	sync_events
	[ "$(wc -l <"$O/p")" -eq 1 ]
	initctl emit c Y=4
	assert_text "$(content "$O/p")" <<-EOF
		b c|X=2 Y=3
		a b c|X=9 Y=4
	EOF
}

@test "an event satisfying half of an and is held: emit a does not return until b" {
	recorder ab 'a and b'
	"$INITCTL" emit a X=1 >"$O/emit-a.out" 2>&1 3>&- &
	bg=$!
	wait_event "a X=1"
	sync_events
	sleep 0.2
	kill -0 "$bg"
	[ ! -e "$O/ab" ]
	run initctl emit b Y=2
	assert_run 0
	wait "$bg"
	[ -z "$(cat "$O/emit-a.out")" ]
	assert_text "$(content "$O/ab")" <<-EOF
		a b|X=1 Y=2
	EOF
}

@test "\$VAR in stop on is expanded from each instance's env" {
	instance_job w <<EOF
instance \$X
stop on foo X=\$X
exec sleep 1000
post-stop exec sh -c 'echo "\$X [\$UPSTART_STOP_EVENTS]" >>$O/post-stop'
EOF
	start w X=1
	start w X=2
	run initctl emit foo X=1
	assert_run 0
	run status w X=1
	assert_run 1 "status: Unknown instance: 1"
	run status w X=2
	assert_match 'w \(2\) start/running, process [0-9]+' "$output"
	assert_text "$(content "$O/post-stop")" <<-EOF
		1 [foo]
	EOF
}

@test "\$VAR in start on is expanded from the job's env defaults" {
	job sv <<EOF
env WANT=yes
start on foo V=\$WANT
task
exec sh -c 'echo "\$V" >>$O/sv'
EOF
	initctl emit foo V=no
	initctl emit foo V='$WANT'
	[ ! -e "$O/sv" ]
	initctl emit foo V=yes
	assert_text "$(content "$O/sv")" <<-EOF
		yes
	EOF
}

@test "stop on is checked before start on for the same event: the job restarts" {
	job ss <<EOF
start on foo
stop on foo
script
	echo \$\$ >>$O/pids
	exec sleep 1000
end script
EOF
	run start ss
	[ "$status" -eq 0 ]
	old=$(pid_of ss)
	run initctl emit foo
	assert_run 0
	wait_lines "$O/pids" 2
	new=$(tail -1 "$O/pids")
	[ "$new" != "$old" ]
	run status ss
	assert_run 0 "ss start/running, process $new"
	sync_events
	[ "$(job_event_names ss)" = "starting started stopping starting started" ]
}

@test "events are not remembered: a job created after an event never sees it" {
	initctl emit late X=1
	recorder late 'late'
	initctl emit other
	sync_events
	[ ! -e "$O/late" ]
	initctl emit late X=2
	assert_text "$(content "$O/late")" <<-EOF
		late|X=2
	EOF
}

# ---- blocking of initctl emit ----

@test "emit waits until the tasks it started have finished" {
	job t <<EOF
start on go
task
script
	sleep 0.3
	touch $O/done
end script
EOF
	run initctl emit go
	assert_run 0
	[ -e "$O/done" ]
	run status t
	assert_run 0 "t stop/waiting"
}

@test "emit waits until the services it started are running, and those it stopped are stopped" {
	job s <<EOF
start on go
stop on halt
exec sleep 1000
post-start script
	sleep 0.3
	touch $O/post-start.done
end script
post-stop script
	sleep 0.3
	touch $O/post-stop.done
end script
EOF
	run initctl emit go
	assert_run 0
	[ -e "$O/post-start.done" ]
	run status s
	assert_match 's start/running, process [0-9]+' "$output"
	run initctl emit halt
	assert_run 0
	[ -e "$O/post-stop.done" ]
	run status s
	assert_run 0 "s stop/waiting"
}

@test "emit --no-wait and -n return at once" {
	job nw <<EOF
start on go
task
script
	while [ ! -e $O/release ]; do sleep 0.01; done
	echo "\$K" >>$O/done
end script
EOF
	run initctl emit --no-wait go K=1
	assert_run 0
	wait_status nw "nw start/running, process"
	[ ! -e "$O/done" ]
	touch "$O/release"
	wait_status nw "nw stop/waiting"
	rm "$O/release"
	run initctl emit -n go K=2
	assert_run 0
	wait_status nw "nw start/running, process"
	touch "$O/release"
	wait_status nw "nw stop/waiting"
	assert_text "$(content "$O/done")" <<-EOF
		1
		2
	EOF
}

@test "emit of an event whose job fails: Event failed, exit 1, and EVENT/failed with a copy of the env" {
	job f <<EOF
start on go
task
exec sh -c 'exit 1'
EOF
	run initctl emit go K=V L=W
	assert_run 1 "initctl: Event failed"
	wait_event "go/failed K=V L=W"
	sync_events
	[ "$(events | grep -c '^go/failed')" -eq 1 ]
	events | grep -B100 -x 'go/failed K=V L=W' | grep -qx 'go K=V L=W'
	assert_job_events f <<-EOF
		starting JOB=f INSTANCE=
		started JOB=f INSTANCE=
		stopping JOB=f INSTANCE= RESULT=failed PROCESS=main EXIT_STATUS=1
		stopped JOB=f INSTANCE= RESULT=failed PROCESS=main EXIT_STATUS=1
	EOF
}

@test "a failing job on EVENT/failed never produces EVENT/failed/failed" {
	job f <<EOF
start on go
task
exec sh -c 'exit 1'
EOF
	job g <<EOF
start on go/failed
task
exec sh -c 'exit 2'
EOF
	run initctl emit go
	assert_run 1 "initctl: Event failed"
	wait_event "stopped JOB=g INSTANCE= RESULT=failed PROCESS=main EXIT_STATUS=2"
	run initctl emit go/failed
	assert_run 1 "initctl: Event failed"
	wait_event "go/failed"
	sync_events
	[ "$(job_events g | grep -c '^stopped JOB=g INSTANCE= RESULT=failed PROCESS=main EXIT_STATUS=2$')" -eq 2 ]
	[ "$(events | grep -cx 'go/failed')" -eq 2 ]
	[ -z "$(events | grep '^go/failed/failed')" ]
}

@test "emit errors: missing name, empty name, env without =" {
	run initctl emit
	assert_run 1 "initctl: missing event name" "Try \`initctl --help' for more information."
	run initctl emit ''
	assert_run 1 "initctl: Name may not be empty string"
	run initctl emit foo BAR
	assert_run 1 "initctl: Env must be KEY=VALUE pairs"
	run initctl emit foo A=1 BAR
	assert_run 1 "initctl: Env must be KEY=VALUE pairs"
	sync_events
	[ -z "$(events | grep '^foo')" ]
}

@test "emit -e KEY=VALUE is the 0.6 form of KEY=VALUE" {
	recorder e 'ev'
	run initctl emit --no-wait -e K=1 -e L=2 ev
	assert_run 0
	wait_file "$O/e"
	run initctl emit -e K=3 ev
	assert_run 0
	wait_lines "$O/e" 2
	assert_text "$(content "$O/e")" <<-EOF
		ev|K=1 L=2
		ev|K=3
	EOF
	sync_events
	events | grep -qx 'ev K=1 L=2'
	events | grep -qx 'ev K=3'
}

# ---- the environment that events give a job ----

@test "UPSTART_EVENTS lists the start events; absent on a manual start; UPSTART_EVENT names the event" {
	job ue <<EOF
start on a and b
task
exec sh -c 'echo "\${UPSTART_EVENTS-unset}" >>$O/ue'
EOF
	job one <<EOF
start on c
task
exec sh -c 'echo "\${UPSTART_EVENTS-unset} \${UPSTART_EVENT-unset}" >>$O/one'
EOF
	initctl emit --no-wait a
	initctl emit b
	start ue
	assert_text "$(content "$O/ue")" <<-EOF
		a b
		unset
	EOF
	initctl emit c
	assert_text "$(content "$O/one")" <<-EOF
		c c
	EOF
}

@test "UPSTART_STOP_EVENTS and the stop event env reach pre-stop and post-stop" {
	job se <<EOF
stop on bar
script
	while [ ! -e $O/quit ]; do sleep 0.01; done
end script
pre-stop exec sh -c 'echo "pre-stop [\${UPSTART_STOP_EVENTS-}] [\${K-}]" >>$O/se'
post-stop exec sh -c 'echo "post-stop [\${UPSTART_STOP_EVENTS-}] [\${K-}]" >>$O/se'
EOF
	start se
	initctl emit bar K=v
	start se
	stop se K=w
	start se
	touch "$O/quit"
	wait_status se "se stop/waiting"
	wait_lines "$O/se" 5
	assert_text "$(content "$O/se")" <<-EOF
		pre-stop [bar] [v]
		post-stop [bar] [v]
		pre-stop [] [w]
		post-stop [] [w]
		post-stop [] []
	EOF
}

# ---- the startup event ----

# startup_jobs: a private confdir with a job on `startup` and one on `boot`.
startup_jobs() {
	D=$BATS_TEST_TMPDIR/startup-conf
	mkdir -p "$D"
	printf 'start on startup\nexec sleep 1000\n' >"$D/up.conf"
	printf 'start on boot\nexec sleep 1000\n' >"$D/boot.conf"
	stop_monitor
	stop_init
}

@test "startup is emitted once the configuration is loaded" {
	startup_jobs
	start_init --confdir "$D"
	wait_status up "up start/running, process"
	initctl emit marker
	run status boot
	assert_run 0 "boot stop/waiting"
}

@test "--no-startup-event suppresses startup" {
	startup_jobs
	start_init --no-startup-event --confdir "$D"
	initctl emit marker
	run status up
	assert_run 0 "up stop/waiting"
	run status boot
	assert_run 0 "boot stop/waiting"
}

@test "--startup-event NAME emits NAME instead of startup" {
	startup_jobs
	start_init --startup-event boot --confdir "$D"
	wait_status boot "boot start/running, process"
	initctl emit marker
	run status up
	assert_run 0 "up stop/waiting"
}
