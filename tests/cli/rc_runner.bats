#!/usr/bin/env bats
# upinit-rc, the rc runner: Debian rc's choice of scripts and startpar's
# parallel run, over private trees of real scripts and links.  Each
# script appends "TIME NAME ACTION begin|end" to $T/trace (TIME in ns).

bats_require_minimum_version 1.5.0

load helpers

RC=$UPINIT_BUILD/upinit-rc

setup() {
	T=$(mktemp -d "${BATS_TMPDIR:-/tmp}/upinit-rc.XXXXXX")
	E=$T/etc
	mkdir -p "$E/init.d" "$E/rcS.d" "$E/rc0.d" "$E/rc1.d" "$E/rc2.d" "$E/rc3.d" "$T/log"
	: >"$T/cmdline"
	export UPINIT_CMDLINE=$T/cmdline
	unset PREVLEVEL RUNLEVEL VERBOSE
}

teardown() {
	rm -rf "$T"
}

# script NAME [REQUIRED-START [SECONDS [EXIT [EXTRA-HEADER]]]]
script() {
	local name=$1 req=${2:-} secs=${3:-0} code=${4:-0} extra=${5:-}
	cat >"$E/init.d/$name" <<-EOF
		#!/bin/sh
		### BEGIN INIT INFO
		# Provides: $name
		# Required-Start: $req
		# Required-Stop: $req
		# Default-Start: 2 3
		# Default-Stop: 0
		$extra
		### END INIT INFO
		echo "\$(date +%s%N) $name \$1 begin" >>"$T/trace"
		echo "$name \$1: one"
		sleep $secs
		echo "$name \$1: two"
		echo "\$(date +%s%N) $name \$1 end" >>"$T/trace"
		exit $code
	EOF
	chmod 755 "$E/init.d/$name"
}

# link LEVEL SNN|KNN NAME
link() {
	ln -s "../init.d/$3" "$E/rc$1.d/$2$3"
}

# t NAME ACTION begin|end: the time of that trace line.
t() {
	awk -v n="$1" -v a="$2" -v w="$3" '$2 == n && $3 == a && $4 == w { print $1; exit }' "$T/trace"
}

# after A B: A began after B ended (both started).
after() {
	local a b
	a=$(t "$1" start begin) b=$(t "$2" start end)
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" -ge "$b" ] ||
		{ echo "$1 did not begin after $2 ended" >&2; cat "$T/trace" >&2; return 1; }
}

# overlap A B: A and B ran at the same time.
overlap() {
	local ab ae bb be
	ab=$(t "$1" start begin) ae=$(t "$1" start end)
	bb=$(t "$2" start begin) be=$(t "$2" start end)
	[ "$ab" -lt "$be" ] && [ "$bb" -lt "$ae" ] ||
		{ echo "$1 and $2 did not overlap" >&2; cat "$T/trace" >&2; return 1; }
}

ran() {
	cut -d' ' -f2,3,4 "$T/trace" | grep ' end$' | cut -d' ' -f1,2 | sort | paste -sd,
}

@test "upinit-rc: by the LSB headers, independent scripts run together and each waits for what it requires" {
	script a "" 0.4
	script b "" 0.4
	script c "a b" 0.2
	script d "c" 0.1
	for s in a b c d; do link 2 S01 $s; done
	run "$RC" --etc "$E" 2
	[ "$status" -eq 0 ]
	[ "$(ran)" = "a start,b start,c start,d start" ]
	overlap a b
	after c a
	after c b
	after d c
}

@test "upinit-rc: insserv's .depend files win over the headers, and only what they name runs" {
	script a "" 0.1
	script b "a" 0.1          # the header says after a ...
	script c "" 0.1
	for s in a b c; do link 2 S01 $s; done
	printf 'TARGETS = a b\nINTERACTIVE =\na: b\n' >"$E/init.d/.depend.start"   # ... .depend: a after b
	printf 'TARGETS = a\n' >"$E/init.d/.depend.boot"
	printf 'TARGETS = a\n' >"$E/init.d/.depend.stop"
	run "$RC" --etc "$E" 2
	[ "$status" -eq 0 ]
	[ "$(ran)" = "a start,b start" ]
	after a b
}

@test "upinit-rc: each script's output comes whole, not line by line between others'" {
	script a "" 0.3
	script b "" 0.3
	link 2 S01 a
	link 2 S01 b
	run "$RC" --etc "$E" 2
	[ "$status" -eq 0 ]
	overlap a b
	# Both ran at once, yet each one's two lines are together.
	[[ "$output" == *"a start: one"$'\n'"a start: two"* ]]
	[[ "$output" == *"b start: one"$'\n'"b start: two"* ]]
}

@test "upinit-rc: a script running alone is shown as it speaks (reboot's last words)" {
	script alone "" 3
	link 2 S01 alone
	"$RC" --etc "$E" 2 >"$T/out" 2>&1 &
	local pid=$! i
	for i in $(seq 1 100); do
		grep -q 'alone start: one' "$T/out" && break
		sleep 0.02
	done
	grep -q 'alone start: one' "$T/out"
	# ... while the script still runs.
	[ -z "$(t alone start end)" ]
	wait "$pid"
	grep -q 'alone start: two' "$T/out"
}

@test "upinit-rc: a failing script is reported, the rest runs; 5 and 6 are skipped services; exit 0" {
	script bad "" 0 1
	script later "bad" 0
	script gone "" 0 5
	script unset "" 0 6
	for s in bad later gone unset; do link 2 S01 $s; done
	run "$RC" --etc "$E" 2
	[ "$status" -eq 0 ]
	[[ "$(ran)" == *"later start"* ]]
	[[ "$output" == *"upinit-rc: service(s) returned failure: bad"* ]]
	[[ "$output" == *"upinit-rc: service(s) skipped, program is not installed: gone"* ]]
	[[ "$output" == *"upinit-rc: service(s) skipped, program is not configured: unset"* ]]
}

@test "upinit-rc: 3 -> 2 stops what 2 stops and 3 did not, starts what 3 had not started" {
	for s in shared only2 only3 never; do script $s; done
	link 2 S01 shared
	link 2 S02 only2
	link 2 K01 only3
	link 3 S01 shared
	link 3 S02 only3
	link 3 K01 only2
	link 3 K02 never
	link 2 K02 never          # stopped in 3 already: not again
	PREVLEVEL=3 run "$RC" --etc "$E" 2
	[ "$status" -eq 0 ]
	[ "$(cut -d' ' -f2,3,4 "$T/trace" | grep ' end$' | cut -d' ' -f1,2 | paste -sd,)" = "only3 stop,only2 start" ]
}

@test "upinit-rc: 0 runs its K scripts with stop; the boot runs rcS.d" {
	script a
	script b "a"
	link 0 K01 a
	link 0 K02 b
	link S S01 a
	PREVLEVEL=2 run "$RC" --etc "$E" 0
	[ "$status" -eq 0 ]
	# Stop order: b needs a, so b stops first.
	[ "$(cut -d' ' -f2,3,4 "$T/trace" | grep ' end$' | cut -d' ' -f1,2 | paste -sd,)" = "b stop,a stop" ]
	: >"$T/trace"
	run "$RC" --etc "$E" S
	[ "$(ran)" = "a start" ]
}

@test "upinit-rc: .legacy-bootordering and concurrency=none run one script at a time, in name order" {
	script b "" 0.2
	script a "" 0.2
	link 2 S02 a
	link 2 S01 b
	touch "$E/init.d/.legacy-bootordering"
	run "$RC" --etc "$E" 2
	[ "$(cut -d' ' -f2,3,4 "$T/trace" | grep ' end$' | cut -d' ' -f1 | paste -sd,)" = "b,a" ]
	after a b
	rm "$E/init.d/.legacy-bootordering" "$T/trace"
	echo "quiet concurrency=none" >"$T/cmdline"
	run "$RC" --etc "$E" 2
	after a b
}

@test "upinit-rc: an X-Interactive script runs alone, with our own output" {
	script a "" 0.3
	script i "" 0.1 0 "# X-Interactive: true"
	script b "" 0.3
	for s in a i b; do link 2 S01 $s; done
	run "$RC" --etc "$E" 2
	[ "$status" -eq 0 ]
	overlap a b
	local ib ie
	ib=$(t i start begin) ie=$(t i start end)
	for s in a b; do
		[ "$(t $s start end)" -le "$ib" ] || [ "$(t $s start begin)" -ge "$ie" ]
	done
}

@test "upinit-rc: --limit 1 runs one at a time; a script's log holds its output and status" {
	script a "" 0.2
	script b "" 0.2
	link 2 S01 a
	link 2 S01 b
	run "$RC" --etc "$E" --limit 1 --logdir "$T/log" 2
	[ "$status" -eq 0 ]
	run ! overlap a b
	grep -qx 'a start: one' "$T/log/sysv-a.log"
	grep -qx 'a start: two' "$T/log/sysv-a.log"
	grep -qE "^$E/rc2.d/S01a start: exit status 0 after [0-9]+\.[0-9]{3} s \(from [0-9]+\.[0-9]{3} to [0-9]+\.[0-9]{3} s since boot\)$" "$T/log/sysv-a.log"
}

@test "upinit-rc: the scripts' environment is rc's: PATH, runlevel, previous, VERBOSE from /etc/default/rcS" {
	mkdir -p "$E/default"
	echo 'VERBOSE=no' >"$E/default/rcS"
	cat >"$E/init.d/env" <<-EOF
		#!/bin/sh
		echo "PATH=\$PATH runlevel=\$runlevel previous=\$previous VERBOSE=\$VERBOSE mask=\$(umask) arg=\$1" >"$T/env"
	EOF
	chmod 755 "$E/init.d/env"
	link 2 S01 env
	PREVLEVEL=1 run "$RC" --etc "$E" 2
	[ "$(cat "$T/env")" = "PATH=/sbin:/usr/sbin:/bin:/usr/bin runlevel=2 previous=1 VERBOSE=no mask=0022 arg=start" ]
}

@test "upinit-rc: command line mistakes are reported as libnih does" {
	run "$RC"
	[ "$status" -eq 1 ]
	[[ "$output" == *"upinit-rc: missing runlevel"* ]]
	run "$RC" 7
	[ "$status" -eq 1 ]
	[[ "$output" == *"upinit-rc: illegal runlevel: 7"* ]]
	run "$RC" --limit x 2
	[ "$status" -eq 1 ]
	run "$RC" --help
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Usage: upinit-rc [OPTION]... RUNLEVEL" ]
}
