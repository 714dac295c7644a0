# Helpers for the state-machine and event tests (states.bats, events.bats):
# record every event with `initctl monitor` and compare what was seen.
# Load after helpers.bash.

# Start `initctl monitor` in the background, writing one line per event
# ("NAME K=V ...") to $T/events, and wait until it is subscribed: a
# no-wait `monitor-sync` event is emitted until the monitor has printed it.
# Those sync lines are left out by `events`.
start_monitor() {
	"$INITCTL" monitor >"$T/events" 2>"$T/monitor.err" 3>&- &
	MONITOR_PID=$!
	for _ in $(seq 1 250); do
		"$INITCTL" emit --no-wait monitor-sync >/dev/null 2>&1
		grep -qx 'monitor-sync' "$T/events" 2>/dev/null && return 0
		sleep 0.02
	done
	echo "initctl monitor did not come up:" >&2
	cat "$T/monitor.err" >&2
	return 1
}

# SIGTERM, then SIGKILL after 1 s: a monitor that gets SIGTERM while it is
# not blocked in recv(2) (e.g. while printing an event) misses it and keeps
# running (initctl bug), which would hang `wait` forever.
stop_monitor() {
	[ -n "${MONITOR_PID:-}" ] || return 0
	kill -TERM "$MONITOR_PID" 2>/dev/null || true
	for _ in $(seq 1 50); do
		kill -0 "$MONITOR_PID" 2>/dev/null || break
		sleep 0.02
	done
	kill -KILL "$MONITOR_PID" 2>/dev/null || true
	wait "$MONITOR_PID" 2>/dev/null || true
	MONITOR_PID=
}

# Every event recorded so far, in order.
events() {
	grep -vx 'monitor-sync' "$T/events" || true
}

# The starting/started/stopping/stopped events of JOB, in order.
job_events() {
	grep -E "^(starting|started|stopping|stopped) JOB=$1( |\$)" "$T/events" || true
}

# Names only of the job events of JOB ("starting started ...", one line).
job_event_names() {
	job_events "$1" | cut -d' ' -f1 | paste -sd' ' -
}

# wait_event LINE: until the monitor printed exactly LINE.
wait_event() {
	for _ in $(seq 1 250); do
		grep -qxF -- "$1" "$T/events" && return 0
		sleep 0.02
	done
	echo "timed out waiting for event line: $1" >&2
	echo "events seen:" >&2
	events >&2
	return 1
}

# sync_events: emit a marker event (no wait) and wait until the monitor
# printed it; every event emitted before it has been printed too (FIFO).
sync_events() {
	SYNC_N=$(( ${SYNC_N:-0} + 1 ))
	"$INITCTL" emit --no-wait "sync-marker-$SYNC_N" || return 1
	wait_event "sync-marker-$SYNC_N"
}

# assert_text ACTUAL: ACTUAL must equal stdin exactly (shows both if not).
assert_text() {
	local want
	want=$(cat)
	[ "$1" = "$want" ] && return 0
	{
		echo "-- expected:"; printf '%s\n' "$want"
		echo "-- actual:";   printf '%s\n' "$1"
	} >&2
	return 1
}

# assert_job_events JOB: JOB's job events must be exactly stdin's lines.
assert_job_events() {
	assert_text "$(job_events "$1")"
}

# assert_run STATUS LINE...: $status and $output (lines joined by NL).
assert_run() {
	local want_status=$1; shift
	local want
	want=$(printf '%s\n' "$@")
	if [ "$status" -ne "$want_status" ] || [ "$output" != "$want" ]; then
		{
			echo "-- expected status $want_status, output:"; printf '%s\n' "$want"
			echo "-- actual status $status, output:";       printf '%s\n' "$output"
		} >&2
		return 1
	fi
}

# assert_match REGEX STRING: STRING matches the extended REGEX (anchored).
assert_match() {
	[[ $2 =~ ^$1$ ]] && return 0
	echo "'$2' does not match '^$1\$'" >&2
	return 1
}

# pid_of JOB [K=V]: the main pid from `status` (empty when none).
pid_of() {
	"$INITCTL" status "$@" 2>/dev/null | sed -n '1s/.*, process \([0-9]*\)$/\1/p'
}

# content FILE: the file's content, or nothing when it does not exist.
content() {
	cat "$1" 2>/dev/null || true
}

# wait_lines FILE N: until FILE has at least N lines.
wait_lines() {
	for _ in $(seq 1 250); do
		[ "$(content "$1" | wc -l)" -ge "$2" ] && return 0
		sleep 0.02
	done
	echo "timed out waiting for $2 lines in $1 (has: $(content "$1" | wc -l))" >&2
	return 1
}

# instance_job NAME: like `job`, for jobs whose `status NAME` fails without
# the instance variable (Unknown parameter): wait until show-config knows it.
instance_job() {
	local name=$1
	mkdir -p "$(dirname "$T/conf/$name.conf")"
	cat >"$T/conf/$name.conf.tmp"
	mv "$T/conf/$name.conf.tmp" "$T/conf/$name.conf"
	wait_for "initctl show-config $name" "$INITCTL" show-config "$name"
}

# dump_on_failure: from teardown, when the test failed, show what init
# logged, the job logs and the events seen (bats prints it with the failure).
dump_on_failure() {
	[ -n "${BATS_TEST_COMPLETED:-}" ] && return 0
	[ -n "${T:-}" ] && [ -d "$T" ] || return 0
	{
		echo "-- init stderr:"; cat "$T/init.err" 2>/dev/null
		for f in "$T"/log/*.log; do
			[ -e "$f" ] || continue
			echo "-- ${f##*/}:"; cat "$f"
		done
		echo "-- events:"; events 2>/dev/null
	} >&2
	return 0
}
