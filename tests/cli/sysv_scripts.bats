#!/usr/bin/env bats
# SysV scripts as jobs sysv/NAME (runlevel(7), upinit-rc(8)), under a
# private `init --user` whose SysV plug-in reads a tree of real scripts
# and links in $T/etc (--sysv-etc) and runs them through build/upinit-rc
# (--sysv-helper).  Each script appends "NAME ACTION JOB=… runlevel=…" to
# $T/trace and says "NAME ACTION: hello" on its output.

bats_require_minimum_version 1.5.0

load helpers
load helpers_ctl
load helpers_events

RC=$UPINIT_BUILD/upinit-rc
REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

teardown() {
	stop_monitor
	stop_init
}

# script NAME [REQUIRED-START [EXIT-OF-START [EXIT-OF-STOP]]]
script() {
	local name=$1 req=${2:-} start=${3:-0} stop=${4:-0}
	cat >"$E/init.d/$name" <<-EOF
		#!/bin/sh
		### BEGIN INIT INFO
		# Provides: $name
		# Required-Start: $req
		# Required-Stop:
		# Default-Start: 2
		# Default-Stop: 0
		# Short-Description: the $name service
		### END INIT INFO
		[ -z "\${HOOK:-}" ] || . "\$HOOK"
		echo "$name \$1 JOB=\${UPSTART_JOB:-} runlevel=\${runlevel:-} previous=\${previous:-}" >>"$T/trace"
		echo "$name \$1: hello"
		sleep 0.2
		case \$1 in
		start) exit $start ;;
		stop) exit $stop ;;
		esac
	EOF
	chmod 755 "$E/init.d/$name"
}

# link LEVEL S|K NAME
link() {
	ln -s "../init.d/$3" "$E/rc$1.d/${2}01$3"
}

# A tree, then init on it.
boot_tree() {
	T=$(mktemp -d "${BATS_TMPDIR:-/tmp}/sysvscripts.XXXXXX")
	E=$T/etc
	mkdir -p "$E/init.d" "$E/rc2.d" "$E/rc0.d" "$E/default" "$T/rclog"
	script a
	script b
	script c "a b"
	script bad "" 3
	for s in a b c bad; do
		link 2 S "$s"
		link 0 K "$s"
	done
	INIT_DIR=$T start_init --sysv-etc "$E" --sysv-helper "$RC --etc $E --logdir $T/rclog"
}

runner() {
	env -u UPSTART_JOB PREVLEVEL="$2" RUNLEVEL="$1" "$RC" --etc "$E" --logdir "$T/rclog" "$1"
}

@test "sysv jobs: every script an rc?.d link runs is a job sysv/NAME, at rest, described by its header" {
	boot_tree
	run "$INITCTL" list
	[ "$status" -eq 0 ]
	for s in a b c bad; do
		echo "$output" | grep -qx "sysv/$s stop/waiting"
	done
	run "$INITCTL" show-config -e sysv/c
	[ "$status" -eq 0 ]
	run "$INITCTL" status sysv/c
	[ "$output" = "sysv/c stop/waiting" ]
	# A script without a link is no job.
	script lonely
	"$INITCTL" reload-configuration
	run "$INITCTL" status sysv/lonely
	[ "$status" -ne 0 ]
	# RC=debian: sysv-rc's rc runs the scripts, init does not know them.
	echo 'RC="debian"' >"$E/default/upinit"
	"$INITCTL" reload-configuration
	run "$INITCTL" status sysv/a
	[ "$status" -ne 0 ]
	[[ $output == *"Unknown job: sysv/a"* ]]
}

@test "sysv jobs: the runner asks init: each script runs as its job, in order, events and logs; failures reported" {
	boot_tree
	start_monitor
	run runner 2 N
	[ "$status" -eq 0 ]
	[[ $output == *"service(s) returned failure: bad"* ]]
	run "$INITCTL" list
	echo "$output" | grep -qx "sysv/a start/running"
	echo "$output" | grep -qx "sysv/b start/running"
	echo "$output" | grep -qx "sysv/c start/running"
	echo "$output" | grep -qx "sysv/bad stop/waiting"
	# Run by init, as the job, with rc's variables.
	grep -qx "a start JOB=sysv/a runlevel=2 previous=N" "$T/trace"
	# c after a and b.
	[ "$(sed -n '$p' "$T/trace" | cut -d' ' -f1-2)" = "c start" ] ||
		[ "$(grep -n '^c start' "$T/trace" | cut -d: -f1)" -gt 2 ]
	# bad's stop never ran: its start failed.
	refute grep -q '^bad stop' "$T/trace"
	# Events, and each script's words, whole, on init's console.
	wait_event "started JOB=sysv/c INSTANCE="
	wait_event "stopped JOB=sysv/bad INSTANCE= RESULT=failed PROCESS=pre-start EXIT_STATUS=3"
	grep -qx "c start: hello" "$T/init.out"
	grep -qE '^/.*/rc2.d/S01c start: exit status 0 after [0-9.]+ s \(from ' "$T/rclog/sysv-c.log"
	grep -qx "c start: hello" "$T/rclog/sysv-c.log"
	grep -qE 'S01bad start: exit status 3 after ' "$T/rclog/sysv-bad.log"

	# rc0: K links stop what runs and, as rc does, what does not; the
	# step after all others (halt's place) runs in the runner itself,
	# not as a job.
	cat >"$E/init.d/fin" <<-EOF
		#!/bin/sh
		### BEGIN INIT INFO
		# Provides: fin
		# Required-Start:
		# Default-Start:
		# Default-Stop: 0
		# X-Stop-After: a b c bad
		### END INIT INFO
		echo "fin \$1 JOB=\${UPSTART_JOB:-} runlevel=\$runlevel previous=\$previous" >>"$T/trace"
	EOF
	chmod 755 "$E/init.d/fin"
	ln -s ../init.d/fin "$E/rc0.d/K99fin"
	# One with no stop order at all (Debian 13's rc.local): a job.
	script lone
	link 0 K lone
	run runner 0 2
	[ "$status" -eq 0 ]
	grep -qx "fin stop JOB= runlevel=0 previous=2" "$T/trace"
	grep -qx "lone stop JOB=sysv/lone runlevel=0 previous=2" "$T/trace"
	for s in a b c; do
		grep -qx "$s stop JOB=sysv/$s runlevel=0 previous=2" "$T/trace"
		[ "$("$INITCTL" status sysv/$s)" = "sysv/$s stop/waiting" ]
	done
	grep -qx "bad stop JOB=sysv/bad runlevel=0 previous=2" "$T/trace"
	wait_event "stopping JOB=sysv/bad INSTANCE= RESULT=ok"
}

@test "sysv jobs: start, stop and restart by initctl run the script's actions; stop at rest still runs stop; a failing stop does not cancel the restart" {
	boot_tree
	run "$INITCTL" start sysv/a
	[ "$status" -eq 0 ]
	[ "$output" = "sysv/a start/running" ]
	run "$INITCTL" start sysv/a
	[ "$status" -eq 1 ]
	[[ $output == *"Job is already running: sysv/a"* ]]
	run "$INITCTL" stop sysv/a
	[ "$status" -eq 0 ]
	[ "$output" = "sysv/a stop/waiting" ]
	run "$INITCTL" stop sysv/a
	[ "$status" -eq 0 ]
	[ "$(grep -c '^a stop' "$T/trace")" = 2 ]
	# The start that fails: stop/waiting, status 1, the reason.
	run "$INITCTL" start sysv/bad
	[ "$status" -eq 1 ]
	[ "$("$INITCTL" status sysv/bad)" = "sysv/bad stop/waiting" ]
	refute grep -q '^bad stop' "$T/trace"
	# A stop that fails, in a restart: the start still follows.
	script flaky "" 0 1
	link 2 S flaky
	"$INITCTL" reload-configuration
	"$INITCTL" start sysv/flaky
	run "$INITCTL" restart sysv/flaky
	wait_status sysv/flaky "sysv/flaky start/running"
	[ "$(grep -c '^flaky start' "$T/trace")" = 2 ]
	[ "$(grep -c '^flaky stop' "$T/trace")" = 1 ]
	assert_init_alive
}

@test "sysv jobs: the init-functions hook sends /etc/init.d/NAME start|stop|restart through the job, shows the script's words and returns its status" {
	boot_tree
	export HOOK=$REPO/scripts/lsb-upinit UPINIT_INITD=$E/init.d UPINIT_INITCTL=$INITCTL
	export UPINIT_LOGDIR=$T/rclog
	run "$E/init.d/a" start
	[ "$status" -eq 0 ]
	[ "$output" = "a start: hello" ]
	[ "$("$INITCTL" status sysv/a)" = "sysv/a start/running" ]
	grep -qx "a start JOB=sysv/a runlevel= previous=" "$T/trace"
	run "$E/init.d/a" stop
	[ "$status" -eq 0 ]
	[ "$("$INITCTL" status sysv/a)" = "sysv/a stop/waiting" ]
	# restart of a stopped job starts it.
	run "$E/init.d/a" restart
	[ "$status" -eq 0 ]
	[ "$("$INITCTL" status sysv/a)" = "sysv/a start/running" ]
	# The script's own status, not initctl's.
	run "$E/init.d/bad" start
	[ "$status" -eq 3 ]
	[ "$output" = "bad start: hello" ]
	# Other actions, and runs by init or by an rc, are the script's own.
	run "$E/init.d/a" status
	grep -qx "a status JOB= runlevel= previous=" "$T/trace"
	UPINIT_RC_LOCAL=1 run "$E/init.d/b" start
	grep -qx "b start JOB= runlevel= previous=" "$T/trace"
	[ "$("$INITCTL" status sysv/b)" = "sysv/b stop/waiting" ]
}

@test "sysv jobs: in rcS, local-filesystems is emitted once the scripts providing \$local_fs have ended, while later scripts still run" {
	boot_tree
	mkdir -p "$E/rcS.d"
	printf '$local_fs\t+mountall +mountall-bootclean\n$network\t+networking\n' >"$E/insserv.conf"
	# As on Debian: the directory is there (scandir lists . and .. too).
	mkdir -p "$E/insserv.conf.d"
	printf '$syslog\t+rsyslog\n' >"$E/insserv.conf.d/syslog"
	cat >"$E/init.d/mountall.sh" <<-EOF
		#!/bin/sh
		### BEGIN INIT INFO
		# Provides: mountall
		# Required-Start:
		# Default-Start: S
		### END INIT INFO
		echo "mountall \$1" >>"$T/trace"
	EOF
	cat >"$E/init.d/slow" <<-EOF
		#!/bin/sh
		### BEGIN INIT INFO
		# Provides: slow
		# Required-Start: mountall
		# Default-Start: S
		### END INIT INFO
		sleep 1.5
		echo "slow \$1 end" >>"$T/trace"
	EOF
	chmod 755 "$E/init.d/mountall.sh" "$E/init.d/slow"
	ln -s ../init.d/mountall.sh "$E/rcS.d/S01mountall.sh"
	ln -s ../init.d/slow "$E/rcS.d/S02slow"
	cat >"$T/conf/on-local.conf" <<-EOF
		start on local-filesystems
		task
		exec cp "$T/trace" "$T/trace-at-local"
	EOF
	wait_status on-local "on-local stop/waiting"
	start_monitor
	run env -u UPSTART_JOB "$RC" --etc "$E" --logdir "$T/rclog" --emitted "$T/emitted" S
	[ "$status" -eq 0 ]
	grep -qx "slow start end" "$T/trace"
	wait_file "$T/trace-at-local"
	# The native job ran after mountall, before slow had ended.
	grep -qx "mountall start" "$T/trace-at-local"
	refute grep -q "slow" "$T/trace-at-local"
	wait_event "local-filesystems"
	same_lines() { [ "$(cat "$1")" = "$2" ]; }
	same_lines "$T/emitted" "$(printf 'local-filesystems\nall-swaps')"
	# No script provides $network here: left to rc-sysinit.
	refute grep -q static-network-up "$T/emitted"
}

@test "sysv jobs: a re-exec keeps them, their state and what makes them scripts (a stop at rest still runs the script)" {
	boot_tree
	"$INITCTL" start sysv/a
	run raw_send 'b"{\"v\":1,\"cmd\":\"reexec\"}"'
	[[ "$output" == *'"status":0'* ]]
	wait_for "init answers after re-exec" "$INITCTL" version
	[ "$("$INITCTL" status sysv/a)" = "sysv/a start/running" ]
	run "$INITCTL" stop sysv/b
	[ "$status" -eq 0 ]
	grep -qx "b stop JOB=sysv/b runlevel= previous=" "$T/trace"
	run "$INITCTL" stop sysv/a
	[ "$status" -eq 0 ]
	grep -qx "a stop JOB=sysv/a runlevel= previous=" "$T/trace"
	assert_init_alive
}

# A script that notes which program runs it: its parent's exe, comm and
# command line.
parent_script() {
	cat >"$E/init.d/$1" <<-EOF
		#!/bin/sh
		### BEGIN INIT INFO
		# Provides: $1
		# Default-Start: 2
		# Default-Stop: 0
		### END INIT INFO
		{ readlink /proc/\$PPID/exe; cat /proc/\$PPID/comm
		  tr '\0' ' ' </proc/\$PPID/cmdline | sed 's/ *\$//'; echo; } >"$T/parent-\$1"
		echo "$1 \$1: hello"
	EOF
	chmod 755 "$E/init.d/$1"
}

# parent_tree: a tree with the script p linked for 2, and a second name
# for upinit-rc, $T/bin/rc-other.
parent_tree() {
	T=$(mktemp -d "${BATS_TMPDIR:-/tmp}/sysvscripts.XXXXXX")
	E=$T/etc
	mkdir -p "$E/init.d" "$E/rc2.d" "$E/rc0.d" "$T/rclog" "$T/bin"
	parent_script p
	link 2 S p
	ln -s "$RC" "$T/bin/rc-other"
}

@test "sysv jobs: init runs upinit-rc --job itself, without exec, as the program would; a helper by another name is exec'd, to the same effect" {
	parent_tree
	INIT_DIR=$T start_init --sysv-etc "$E" --sysv-helper "$RC --etc $E --logdir $T/rclog"
	run "$INITCTL" start sysv/p
	[ "$status" -eq 0 ]
	[ "$output" = "sysv/p start/running" ]
	# Its parent is init's own child: init's binary, named and shown as
	# the runner.
	[ "$(sed -n 1p "$T/parent-start")" = "$(readlink -f "$UPINIT_BUILD/init")" ]
	[ "$(sed -n 2p "$T/parent-start")" = "upinit-rc" ]
	[ "$(sed -n 3p "$T/parent-start")" = "$RC --etc $E --logdir $T/rclog --job start p" ]
	grep -qx "p start: hello" "$T/init.out"
	grep -qE 'p start: exit status 0 after [0-9.]+ s \(from ' "$T/rclog/sysv-p.log"
	stop_init

	# Another name: the program itself, exec'd; the job cannot tell.
	parent_tree
	INIT_DIR=$T start_init --sysv-etc "$E" --sysv-helper "$T/bin/rc-other --etc $E --logdir $T/rclog"
	run "$INITCTL" start sysv/p
	[ "$status" -eq 0 ]
	[ "$output" = "sysv/p start/running" ]
	[ "$(sed -n 1p "$T/parent-start")" = "$(readlink -f "$RC")" ]
	grep -qx "p start: hello" "$T/init.out"
	grep -qE 'p start: exit status 0 after [0-9.]+ s \(from ' "$T/rclog/sysv-p.log"
}
