#!/usr/bin/env bats
# The SysV emulation jobs of jobs/ (jobs/README.md) and the
# /lib/init/upstart-job wrapper (upstart-job(8)), driven under a private
# `init --user`.  Every path the jobs touch is pointed through the
# UPINIT_* variables at fixtures in $F: a fake /etc/init.d/rcS and
# /etc/init.d/rc that record what they were asked, a fake telinit that
# emits the runlevel event as PID 1 would, a fake inittab and kernel
# command line, fake getty, sulogin and shutdown.

bats_require_minimum_version 1.5.0

load helpers

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
JOBS=$REPO/jobs
WRAPPER=$REPO/scripts/upstart-job

# ------------------------------------------------------------- fixtures

# fake NAME: an executable $F/bin/NAME (or the path given) from stdin.
fake() {
	local path=$1
	case $path in /*) ;; *) path=$F/bin/$path ;; esac
	{ echo '#!/bin/sh'; cat; } >"$path"
	chmod 755 "$path"
}

setup() {
	F=$(mktemp -d "${BATS_TMPDIR:-/tmp}/sysvjobs.XXXXXX")
	mkdir -p "$F/bin" "$F/out" "$F/init.d" "$F/etc" \
		"$F/root/proc/2" "$F/root/proc/1" "$F/root/run"
	# Detection root of a machine that is not a container: kthreadd is
	# PID 2 and PID 1's sched shows PID 1.
	printf 'Name:\tkthreadd\nState:\tS (sleeping)\n' >"$F/root/proc/2/status"
	printf 'init (1, #threads: 1)\n----------\n' >"$F/root/proc/1/sched"
	mkdir -p "$F/root/proc/self"
	printf 'Name:\tsh\nPid:\t42\n' >"$F/root/proc/self/status"

	fake "$F/init.d/rcS" <<EOF
echo "rcS \$*" >>"$F/out/rcS"
initctl emit --no-wait rcS-ran
EOF
	fake "$F/init.d/rc" <<EOF
echo "\$1 RUNLEVEL=\$RUNLEVEL PREVLEVEL=\$PREVLEVEL" >>"$F/out/rc"
if [ -e "$F/hold-rc-\$1" ]; then exec sleep 300; fi
echo "done \$1" >>"$F/out/rc"
EOF
	# telinit as PID 1 would answer it: record, then the runlevel event.
	fake telinit <<EOF
echo "\$*" >>"$F/out/telinit"
prev=\$(cat "$F/level" 2>/dev/null || echo N)
echo "\$1" >"$F/level"
exec initctl emit --no-wait runlevel "RUNLEVEL=\$1" "PREVLEVEL=\$prev"
EOF
	fake getty <<EOF
echo "\$*" >>"$F/out/getty"
exec sleep 300
EOF
	fake sulogin <<EOF
echo "sulogin \$*" >>"$F/out/sulogin"
if [ -e "$F/hold-sulogin" ]; then exec sleep 300; fi
exit 0
EOF
	fake shutdown <<EOF
for a; do printf '<%s>' "\$a"; done >>"$F/out/shutdown"
echo >>"$F/out/shutdown"
EOF
	: >"$F/cmdline"

	unset container LIBVIRT_LXC_UUID RUNLEVEL PREVLEVEL INIT_VERBOSE \
		FROM_SINGLE_USER_MODE UPSTART_EVENTS UPSTART_STOP_EVENTS \
		DPKG_MAINTSCRIPT_PACKAGE PWRSTAT
	export UPINIT_INITTAB=$F/inittab UPINIT_CMDLINE=$F/cmdline \
		UPINIT_RCS=$F/init.d/rcS UPINIT_RC=$F/init.d/rc \
		UPINIT_SYSCONFDIR=$F/etc UPINIT_ROOT=$F/root \
		UPINIT_TTY_FREE=$JOBS/tty/tty-free UPINIT_GETTY=$F/bin/getty \
		UPINIT_SULOGIN=$F/bin/sulogin TELINIT=$F/bin/telinit \
		UPINIT_RC_RUNNER=$F/no-such-runner UPINIT_DEFAULTS=$F/etc/default-upinit
	export PATH=$F/bin:$PATH
}

teardown() {
	stop_monitor
	stop_init
	rm -rf "$F"
}

# boot_init: a private init that emits no startup event by itself.
boot_init() { start_init --no-startup-event "$@"; }

# install JOB...: copy the shipped job files into the confdir.
install() {
	local name src
	for name in "$@"; do
		src=$(find "$JOBS" -name "$name.conf" | head -n 1)
		[ -n "$src" ] || { echo "no job $name in $JOBS" >&2; return 1; }
		cp "$src" "$T/conf/$name.conf.tmp"
		mv "$T/conf/$name.conf.tmp" "$T/conf/$name.conf"
		wait_for "job $name" "$INITCTL" status "$name"
	done
}

# recorded NAME: what the fake NAME wrote.
recorded() { cat "$F/out/$1" 2>/dev/null || true; }

# last_level: the runlevel telinit was last asked for.
last_level() { tail -n 1 "$F/out/telinit" 2>/dev/null || true; }

# ---------------------------------------------------------- the monitor

start_monitor() {
	"$INITCTL" monitor >"$T/events" 2>"$T/monitor.err" 3>&- &
	MONITOR_PID=$!
	for _ in $(seq 1 250); do
		"$INITCTL" emit --no-wait monitor-sync >/dev/null 2>&1
		grep -qx monitor-sync "$T/events" 2>/dev/null && return 0
		sleep 0.02
	done
	echo "initctl monitor did not come up" >&2
	return 1
}

stop_monitor() {
	[ -n "${MONITOR_PID:-}" ] || return 0
	kill "$MONITOR_PID" 2>/dev/null || true
	wait "$MONITOR_PID" 2>/dev/null || true
	MONITOR_PID=
}

wait_event() {
	for _ in $(seq 1 250); do
		grep -qxF -- "$1" "$T/events" && return 0
		sleep 0.02
	done
	echo "timed out waiting for event: $1; seen:" >&2
	cat "$T/events" >&2
	return 1
}

# events PATTERN: event lines matching the extended regexp, in order.
events() { grep -E -- "$1" "$T/events" || true; }

# same ACTUAL: ACTUAL must equal stdin.
same() {
	local want
	want=$(cat)
	[ "$1" = "$want" ] && return 0
	printf -- '-- expected:\n%s\n-- actual:\n%s\n' "$want" "$1" >&2
	return 1
}

# run_sysinit [K=V...]: run rc-sysinit to its end.
run_sysinit() {
	"$INITCTL" start rc-sysinit "$@" >/dev/null
	wait_status rc-sysinit "rc-sysinit stop/waiting"
}

BOOT_EVENTS='^(startup|virtual-filesystems|rcS-ran|local-filesystems|remote-filesystems|all-swaps|filesystem|net-device-up|static-network-up|container|not-container|runlevel)( |$)'

# ------------------------------------------------------------ rc-sysinit

@test "rc-sysinit: startup runs rcS and emits the boot events in order, then telinit 2" {
	boot_init
	install rc-sysinit
	start_monitor
	"$INITCTL" emit --no-wait startup
	wait_event "runlevel RUNLEVEL=2 PREVLEVEL=N"
	wait_status rc-sysinit "rc-sysinit stop/waiting"
	same "$(events "$BOOT_EVENTS")" <<'EOF'
startup
virtual-filesystems
rcS-ran
local-filesystems
remote-filesystems
all-swaps
filesystem
net-device-up IFACE=lo
static-network-up
not-container
runlevel RUNLEVEL=2 PREVLEVEL=N
EOF
	same "$(recorded rcS)" <<<"rcS "
	same "$(recorded telinit)" <<<"2"
	# No container: a stale /run/container_type is not left behind.
	[ ! -e "$F/root/run/container_type" ]
	# It is a task started by startup, with its stop on runlevel.
	run "$INITCTL" show-config -e rc-sysinit
	[[ "$output" == *"  start on startup"* ]]
	[[ "$output" == *"  stop on runlevel"* ]]
	[[ "$output" == *"  emits runlevel"* ]]
}

@test "rc-sysinit: default runlevel precedence (env < inittab initdefault < kernel command line)" {
	boot_init
	install rc-sysinit
	local cases=(
		# inittab (\n-separated, - for none) | cmdline | expected
		"-|                                               |2"
		"id:3:initdefault:|                               |3"
		"id:3:initdefault:|BOOT_IMAGE=/vmlinuz ro quiet   |3"
		"id:3:initdefault:\nid:4:initdefault:|            |4"
		"id:4:initdefault:\n#id:5:initdefault:|           |4"
		"#id:3:initdefault:|                              |2"
		"id:x:initdefault:\nid:35:initdefault:|           |2"
		"si::sysinit:/etc/init.d/rcS\nid:5:initdefault:\nl5:5:wait:/etc/init.d/rc 5||5"
		"id:3:initdefault:|root=/dev/sda1 single          |S"
		"id:3:initdefault:|-s                             |S"
		"id:3:initdefault:|S                              |S"
		"id:3:initdefault:|s                              |S"
		"id:3:initdefault:|5                              |5"
		"id:s:initdefault:|                               |S"
		"-|single 3                                       |3"
		"-|3 single                                       |S"
		"-|2 5 1                                          |1"
		"-|-s 4                                           |4"
		"-|single10 S5 12 init=/sbin/init 3x              |2"
		"-|*                                              |2"
	)
	local c tab line want got
	for c in "${cases[@]}"; do
		tab=${c%%|*}; line=${c#*|}; want=${line##*|}; line=${line%|*}
		line=$(printf '%s' "$line" | sed 's/ *$//')
		if [ "$tab" = - ]; then rm -f "$F/inittab"; else printf "$tab\n" >"$F/inittab"; fi
		printf '%s\n' "$line" >"$F/cmdline"
		run_sysinit
		got=$(last_level)
		[ "$got" = "$want" ] || {
			echo "inittab '$tab', cmdline '$line': telinit $got, wanted $want" >&2
			return 1
		}
	done
	# Nothing asked for an emergency shell.
	[ ! -e "$F/out/sulogin" ]
}

@test "rc-sysinit: an override's env DEFAULT_RUNLEVEL is the lowest precedence" {
	boot_init
	echo 'env DEFAULT_RUNLEVEL=4' >"$T/conf/rc-sysinit.override"
	install rc-sysinit
	run_sysinit
	[ "$(last_level)" = 4 ]
	printf 'id:3:initdefault:\n' >"$F/inittab"
	run_sysinit
	[ "$(last_level)" = 3 ]
	echo 5 >"$F/cmdline"
	run_sysinit
	[ "$(last_level)" = 5 ]
}

@test "rc-sysinit: emergency or -b on the command line runs sulogin first, then boots on" {
	boot_init
	install rc-sysinit
	printf 'id:3:initdefault:\n' >"$F/inittab"
	echo "quiet emergency" >"$F/cmdline"
	run_sysinit
	same "$(recorded sulogin)" <<<"sulogin "
	same "$(recorded rcS)" <<<"rcS "
	[ "$(last_level)" = 3 ]
	echo "-b 5" >"$F/cmdline"
	run_sysinit
	[ "$(recorded sulogin | wc -l)" = 2 ]
	[ "$(last_level)" = 5 ]
}

@test "rc-sysinit: FROM_SINGLE_USER_MODE skips rcS, the boot events and the single-user words" {
	boot_init
	install rc-sysinit
	start_monitor
	printf 'id:3:initdefault:\n' >"$F/inittab"
	echo "single emergency -s S s 1 -b" >"$F/cmdline"
	run_sysinit FROM_SINGLE_USER_MODE=y
	[ "$(last_level)" = 3 ]
	[ ! -e "$F/out/rcS" ]
	[ ! -e "$F/out/sulogin" ]
	wait_event "runlevel RUNLEVEL=3 PREVLEVEL=N"
	same "$(events "$BOOT_EVENTS")" <<<"runlevel RUNLEVEL=3 PREVLEVEL=N"
	# A numbered level other than single-user still counts.
	echo "single 5" >"$F/cmdline"
	run_sysinit FROM_SINGLE_USER_MODE=y
	[ "$(last_level)" = 5 ]
}

@test "rc-sysinit: a missing or failing rcS does not stop the boot" {
	boot_init
	install rc-sysinit
	fake "$F/init.d/rcS" <<EOF
echo failed >>"$F/out/rcS"
exit 3
EOF
	run_sysinit
	same "$(recorded rcS)" <<<"failed"
	[ "$(last_level)" = 2 ]
	rm "$F/init.d/rcS"
	run_sysinit
	[ "$(recorded telinit | wc -l)" = 2 ]
}

@test "rc-sysinit: telinit runs from post-stop: the job ends ok, nothing is killed, no level file is left" {
	boot_init
	install rc-sysinit
	start_monitor
	"$INITCTL" emit --no-wait startup
	wait_event "runlevel RUNLEVEL=2 PREVLEVEL=N"
	wait_event "stopped JOB=rc-sysinit INSTANCE= RESULT=ok"
	[ "$(last_level)" = 2 ]
	refute grep -q 'killed by' "$T/init.err"
	[ ! -e "$F/root/run/upinit/rc-sysinit.runlevel" ]
	# The runlevel comes while rc-sysinit is stopping, before it stopped.
	same "$(events '^(stopping JOB=rc-sysinit|runlevel|stopped JOB=rc-sysinit)( |$)')" <<'EOF'
stopping JOB=rc-sysinit INSTANCE= RESULT=ok
runlevel RUNLEVEL=2 PREVLEVEL=N
stopped JOB=rc-sysinit INSTANCE= RESULT=ok
EOF
}

@test "rc-sysinit: a runlevel asked for while rcS runs wins; the default level is not asked for afterwards" {
	boot_init
	install rc-sysinit
	fake "$F/init.d/rcS" <<EOF
echo rcS >>"$F/out/rcS"
while [ ! -e "$F/go" ]; do sleep 0.05; done
EOF
	start_monitor
	"$INITCTL" emit --no-wait startup
	wait_for "rcS running" test -s "$F/out/rcS"
	# Someone (a shutdown during boot) asks for runlevel 0.
	"$INITCTL" emit --no-wait runlevel RUNLEVEL=0 PREVLEVEL=N
	wait_status rc-sysinit "rc-sysinit stop/waiting"
	touch "$F/go"
	sleep 0.3
	# rc-sysinit was stopped by that event and switched nothing itself.
	[ -z "$(recorded telinit)" ]
	[ ! -e "$F/root/run/upinit/rc-sysinit.runlevel" ]
}

@test "rc-sysinit: container=lxc in init's environment gives container CONTAINER=lxc" {
	export container=lxc
	boot_init
	install rc-sysinit
	start_monitor
	"$INITCTL" emit --no-wait startup
	wait_event "runlevel RUNLEVEL=2 PREVLEVEL=N"
	same "$(events '^(container|not-container)( |$)')" <<<"container CONTAINER=lxc"
	same "$(cat "$F/root/run/container_type")" <<<"lxc"
}

@test "rc-sysinit: container detection without the variable (libvirt, openvz, PID namespace)" {
	boot_init
	install rc-sysinit
	start_monitor
	local n=0
	check() {
		n=$((n + 1))
		run_sysinit
		# Every event rc-sysinit emitted is queued; the marker comes after.
		"$INITCTL" emit --no-wait sync-$n
		wait_event "sync-$n"
		local got
		got=$(events '^(container|not-container)( |$)' | tail -n 1)
		[ "$got" = "$1" ] || { echo "case $n: got '$got', wanted '$1'" >&2; return 1; }
	}
	echo stale >"$F/root/run/container_type"
	check not-container
	[ ! -e "$F/root/run/container_type" ]
	# OpenVZ: /proc/vz without /proc/bc.
	mkdir "$F/root/proc/vz"
	check "container CONTAINER=openvz"
	[ "$(cat "$F/root/run/container_type")" = openvz ]
	mkdir "$F/root/proc/bc"
	check not-container
	# Linux-VServer.
	printf 'Name:\tsh\nVxID:\t42\n' >"$F/root/proc/self/status"
	check "container CONTAINER=vserver"
	printf 'Name:\tsh\nVxID:\t0\n' >"$F/root/proc/self/status"
	check not-container
	# Not the first PID namespace: PID 2 is not kthreadd.
	printf 'Name:\tsleep\n' >"$F/root/proc/2/status"
	check "container CONTAINER=container-other"
	touch "$F/root/.dockerenv"
	check "container CONTAINER=docker"
	rm "$F/root/.dockerenv"
	touch "$F/root/run/.containerenv"
	check "container CONTAINER=podman"
	# A leftover /.dockerenv in the first PID namespace means nothing.
	printf 'Name:\tkthreadd\n' >"$F/root/proc/2/status"
	rm "$F/root/run/.containerenv"
	touch "$F/root/.dockerenv"
	check not-container
	# Old kernels: PID 1's sched shows its PID outside the namespace.
	printf 'init (4242, #threads: 1)\n' >"$F/root/proc/1/sched"
	check "container CONTAINER=docker"
}

@test "rc-sysinit: LIBVIRT_LXC_UUID gives container CONTAINER=lxc-libvirt" {
	export LIBVIRT_LXC_UUID=0d6ac3b6-7f3c-4a39-b3ac-1b0e3a4c5d6e
	boot_init
	install rc-sysinit
	start_monitor
	run_sysinit
	wait_event "container CONTAINER=lxc-libvirt"
}

# -------------------------------------------------------------------- rc

@test "rc: runlevel RUNLEVEL=N runs /etc/init.d/rc N with RUNLEVEL and PREVLEVEL exported" {
	boot_init
	install rc
	start_monitor
	run "$INITCTL" emit runlevel RUNLEVEL=3 PREVLEVEL=2
	[ "$status" -eq 0 ]
	same "$(recorded rc)" <<'EOF'
3 RUNLEVEL=3 PREVLEVEL=2
done 3
EOF
	wait_event "stopped JOB=rc INSTANCE= RESULT=ok RUNLEVEL=3 PREVLEVEL=2"
	# S is rcS's, not rc's.
	"$INITCTL" emit runlevel RUNLEVEL=S PREVLEVEL=3
	[ "$(recorded rc | wc -l)" = 2 ]
	"$INITCTL" status rc | grep -qx 'rc stop/waiting'
}

@test "rc and rc-sysinit: upinit's runner runs the scripts; RC=debian in /etc/default/upinit gives them to sysv-rc's rc" {
	export UPINIT_RC_RUNNER=$F/bin/upinit-rc
	# The runner of rcS says it emitted local-filesystems (and emits it,
	# as the real one does when mountall has ended): rc-sysinit does not
	# emit it again.
	fake upinit-rc <<EOF
for a; do level=\$a; done
[ "\$1" != --emitted ] || { echo local-filesystems >>"\$2"; initctl emit --no-wait local-filesystems; }
echo "\$level RUNLEVEL=\$RUNLEVEL PREVLEVEL=\$PREVLEVEL" >>"$F/out/runner"
EOF
	# The default: no setting, or a comment.
	echo "#RC=debian" >"$F/etc/default-upinit"
	boot_init
	install rc rc-sysinit
	start_monitor
	"$INITCTL" emit --no-wait startup
	wait_event "runlevel RUNLEVEL=2 PREVLEVEL=N"
	wait_event "stopped JOB=rc INSTANCE= RESULT=ok RUNLEVEL=2 PREVLEVEL=N"
	same "$(recorded runner)" <<'EOF'
S RUNLEVEL= PREVLEVEL=
2 RUNLEVEL=2 PREVLEVEL=N
EOF
	[ "$(grep -c '^local-filesystems$' "$T/events")" = 1 ]
	grep -qx 'remote-filesystems' "$T/events"
	[ -z "$(recorded rcS)" ]
	[ -z "$(recorded rc)" ]
	# RC=debian: sysv-rc's rc again.
	echo "RC=debian" >"$F/etc/default-upinit"
	run "$INITCTL" emit runlevel RUNLEVEL=3 PREVLEVEL=2
	[ "$status" -eq 0 ]
	same "$(recorded rc)" <<'EOF'
3 RUNLEVEL=3 PREVLEVEL=2
done 3
EOF
	[ "$(recorded runner | wc -l)" = 2 ]
}

@test "rc: stop on runlevel [!\$RUNLEVEL] stops a running rc and the new level's rc runs" {
	boot_init
	install rc
	start_monitor
	touch "$F/hold-rc-2"
	"$INITCTL" emit --no-wait runlevel RUNLEVEL=2 PREVLEVEL=N
	wait_status rc "rc start/running"
	# The same level again changes nothing.
	"$INITCTL" emit --no-wait runlevel RUNLEVEL=2 PREVLEVEL=2
	"$INITCTL" emit --no-wait sync-1
	wait_event sync-1
	"$INITCTL" status rc | grep -q '^rc start/running'
	[ "$(recorded rc)" = "2 RUNLEVEL=2 PREVLEVEL=N" ]
	# Another level stops it and runs rc for that level.
	"$INITCTL" emit runlevel RUNLEVEL=5 PREVLEVEL=2
	same "$(recorded rc)" <<'EOF'
2 RUNLEVEL=2 PREVLEVEL=N
5 RUNLEVEL=5 PREVLEVEL=2
done 5
EOF
	wait_event "stopping JOB=rc INSTANCE= RESULT=ok RUNLEVEL=2 PREVLEVEL=N"
	wait_event "stopped JOB=rc INSTANCE= RESULT=ok RUNLEVEL=5 PREVLEVEL=2"
}

@test "rc: without /etc/init.d/rc it runs the K then the S scripts of /etc/rcN.d itself" {
	export UPINIT_RC=$F/no-such-rc
	boot_init
	install rc
	mkdir -p "$F/etc/init.d" "$F/etc/rc0.d" "$F/etc/rc2.d" "$F/etc/rc3.d"
	local s
	for s in a b c z old halt noexec; do
		fake "$F/etc/init.d/$s" <<EOF
echo "$s \$1 \$RUNLEVEL \$PREVLEVEL" >>"$F/out/scripts"
EOF
	done
	chmod 644 "$F/etc/init.d/noexec"
	ln -s ../init.d/old "$F/etc/rc2.d/K01old"
	ln -s ../init.d/a "$F/etc/rc2.d/S01a"
	ln -s ../init.d/b "$F/etc/rc2.d/S02b"
	ln -s ../init.d/z "$F/etc/rc2.d/K02z"
	ln -s ../init.d/noexec "$F/etc/rc2.d/S03noexec"
	ln -s ../init.d/a "$F/etc/rc3.d/K01a"
	ln -s ../init.d/z "$F/etc/rc3.d/K02z"
	ln -s ../init.d/b "$F/etc/rc3.d/S02b"
	ln -s ../init.d/c "$F/etc/rc3.d/S03c"
	ln -s ../init.d/c "$F/etc/rc0.d/K01c"
	ln -s ../init.d/b "$F/etc/rc0.d/K02b"
	ln -s ../init.d/halt "$F/etc/rc0.d/S90halt"

	# Boot: no K scripts, every S script (executable ones).
	"$INITCTL" emit runlevel RUNLEVEL=2 PREVLEVEL=N
	same "$(recorded scripts)" <<'EOF'
a start 2 N
b start 2 N
EOF
	# 2 -> 3: a stops, z was not running, b keeps running, c starts.
	: >"$F/out/scripts"
	"$INITCTL" emit runlevel RUNLEVEL=3 PREVLEVEL=2
	same "$(recorded scripts)" <<'EOF'
a stop 3 2
c start 3 2
EOF
	# 3 -> 0: K scripts stop, S scripts run with stop.
	: >"$F/out/scripts"
	"$INITCTL" emit runlevel RUNLEVEL=0 PREVLEVEL=3
	same "$(recorded scripts)" <<'EOF'
c stop 0 3
b stop 0 3
halt stop 0 3
EOF
}

# ------------------------------------------------------------------ rcS

@test "rcS: runlevel S runs sulogin; leaving the shell boots into the default runlevel" {
	boot_init
	install rcS rc-sysinit
	start_monitor
	printf 'id:3:initdefault:\n' >"$F/inittab"
	echo single >"$F/cmdline"
	"$INITCTL" emit --no-wait runlevel RUNLEVEL=S PREVLEVEL=N
	wait_event "stopped JOB=rcS INSTANCE= RESULT=ok"
	same "$(recorded sulogin)" <<<"sulogin --force"
	# post-stop started rc-sysinit FROM_SINGLE_USER_MODE=y: no rcS, level 3.
	wait_event "runlevel RUNLEVEL=3 PREVLEVEL=N"
	[ ! -e "$F/out/rcS" ]
	[ "$(recorded telinit)" = 3 ]
}

@test "rcS: stopped by a runlevel change, it does not switch runlevels itself" {
	boot_init
	install rcS rc-sysinit
	start_monitor
	touch "$F/hold-sulogin"
	"$INITCTL" emit --no-wait runlevel RUNLEVEL=S PREVLEVEL=2
	wait_status rcS "rcS start/running"
	"$INITCTL" emit runlevel RUNLEVEL=2 PREVLEVEL=S
	wait_status rcS "rcS stop/waiting"
	"$INITCTL" emit --no-wait sync-1
	wait_event sync-1
	[ ! -e "$F/out/telinit" ]
	[ -z "$(events '^starting JOB=rc-sysinit')" ]
}

# ------------------------------------------------------------------ ttys

@test "tty1 starts after stopped rc RUNLEVEL=2 and not-container, and stops outside 2345" {
	boot_init
	install rc tty1
	start_monitor
	"$INITCTL" emit --no-wait not-container
	"$INITCTL" emit runlevel RUNLEVEL=2 PREVLEVEL=N
	wait_status tty1 "tty1 start/running, process"
	wait_for "getty" test -s "$F/out/getty"
	same "$(recorded getty)" <<<"-8 38400 tty1"
	"$INITCTL" emit runlevel RUNLEVEL=1 PREVLEVEL=2
	wait_status tty1 "tty1 stop/waiting"
}

@test "tty1 stands aside in a container other than lxc, from /run/container_type" {
	boot_init
	install rc tty1
	mkdir -p "$F/root/run"
	echo docker >"$F/root/run/container_type"
	"$INITCTL" emit runlevel RUNLEVEL=2 PREVLEVEL=N
	wait_for "tty1 stood aside" sh -c "\"$INITCTL\" status tty1 | grep -qx 'tty1 stop/waiting'"
	[ ! -s "$F/out/getty" ]
	echo lxc >"$F/root/run/container_type"
	"$INITCTL" emit runlevel RUNLEVEL=3 PREVLEVEL=2
	wait_status tty1 "tty1 start/running, process"
}

@test "tty1 comes back after single-user mode (no one-shot event needed)" {
	boot_init
	install rc tty1
	"$INITCTL" emit runlevel RUNLEVEL=2 PREVLEVEL=N
	wait_status tty1 "tty1 start/running, process"
	"$INITCTL" emit runlevel RUNLEVEL=1 PREVLEVEL=2
	wait_for "tty1 stopped" sh -c "\"$INITCTL\" status tty1 | grep -qx 'tty1 stop/waiting'"
	"$INITCTL" emit runlevel RUNLEVEL=2 PREVLEVEL=1
	wait_status tty1 "tty1 start/running, process"
}

@test "tty1 stands aside, without failing, when inittab runs a getty on tty1" {
	printf '%s\n' 'id:2:initdefault:' \
		'1:2345:respawn:/sbin/getty --noclear 38400 tty1' >"$F/inittab"
	boot_init
	install rc tty1 tty2
	start_monitor
	"$INITCTL" emit --no-wait not-container
	"$INITCTL" emit runlevel RUNLEVEL=2 PREVLEVEL=N
	wait_event "stopped JOB=tty1 INSTANCE= RESULT=ok"
	"$INITCTL" status tty1 | grep -qx 'tty1 stop/waiting'
	# tty2 is not served by inittab: it runs.
	wait_status tty2 "tty2 start/running, process"
	wait_for "getty" test -s "$F/out/getty"
	same "$(recorded getty)" <<<"-8 38400 tty2"
	[ -z "$(events '^stopped JOB=tty1 .*RESULT=failed')" ]
}

@test "tty2-tty6 start on runlevel [2345] and not-container; console only in a container" {
	boot_init
	install tty2 tty3 tty4 tty5 tty6 console rc
	"$INITCTL" emit --no-wait not-container
	"$INITCTL" emit runlevel RUNLEVEL=3 PREVLEVEL=N
	local n
	for n in 2 3 4 5 6; do wait_status tty$n "tty$n start/running, process"; done
	wait_for "5 gettys" sh -c "[ \$(wc -l <'$F/out/getty') -eq 5 ]"
	same "$(sort "$F/out/getty")" <<'EOF'
-8 38400 tty2
-8 38400 tty3
-8 38400 tty4
-8 38400 tty5
-8 38400 tty6
EOF
	wait_status console 'console stop/waiting'
	"$INITCTL" emit runlevel RUNLEVEL=6 PREVLEVEL=3
	for n in 2 3 4 5 6; do wait_status tty$n "tty$n stop/waiting"; done
}

@test "console starts after stopped rc RUNLEVEL=[2345] in a container" {
	boot_init
	install console rc
	mkdir -p "$F/root/run"
	echo docker >"$F/root/run/container_type"
	"$INITCTL" emit runlevel RUNLEVEL=2 PREVLEVEL=N
	wait_status console "console start/running, process"
	wait_for "getty" test -s "$F/out/getty"
	same "$(recorded getty)" <<<"-8 38400 console"
}

@test "tty-free: which inittab lines serve a tty" {
	local free=$JOBS/tty/tty-free
	served() { printf '%s\n' "$2" >"$F/inittab"; run "$free" "$1"; [ "$status" -eq 1 ] || { echo "'$2' should serve $1" >&2; return 1; }; }
	freed() { printf '%s\n' "$2" >"$F/inittab"; run "$free" "$1"; [ "$status" -eq 0 ] || { echo "'$2' should leave $1 free" >&2; return 1; }; }
	served tty1 '1:2345:respawn:/sbin/getty --noclear 38400 tty1'
	served tty1 '1:23:respawn:/sbin/getty 38400 /dev/tty1'
	served tty2 '  2:2345:respawn:/sbin/agetty -8 tty2 linux'
	served tty3 '3:2345:RESPAWN:mingetty tty3'
	served tty4 '4:2345:once:+/sbin/fgetty tty4'
	served ttyS0 'T0:23:respawn:/sbin/getty -L ttyS0 9600 vt100'
	served console 'co:2345:respawn:/sbin/agetty -L console 115200 vt102'
	served /dev/tty1 '1:2345:respawn:/sbin/getty 38400 tty1'
	freed tty1 '#1:2345:respawn:/sbin/getty 38400 tty1'
	freed tty1 '  # 1:2345:respawn:/sbin/getty 38400 tty1'
	freed tty1 '1:2345:off:/sbin/getty 38400 tty1'
	freed tty1 '1:2345:respawn:/sbin/getty 38400 tty10'
	freed tty1 '2:2345:respawn:/sbin/getty 38400 tty2'
	freed tty1 'x1:2345:respawn:/bin/echo tty1'
	freed tty1 'id:2:initdefault:'
	freed tty1 ''
	rm -f "$F/inittab"
	run "$free" tty1
	[ "$status" -eq 0 ]
	run "$free"
	[ "$status" -eq 2 ]
	[ "$output" = "Usage: tty-free TTY" ]
}

# --------------------------------------------------------- key and power

@test "control-alt-delete runs shutdown -r now, unless inittab has a ctrlaltdel entry" {
	boot_init
	install control-alt-delete
	"$INITCTL" emit control-alt-delete
	same "$(recorded shutdown)" <<<"<-r><now><Control-Alt-Delete pressed>"
	printf '%s\n' 'ca:12345:ctrlaltdel:/sbin/shutdown -t1 -a -r now' >"$F/inittab"
	run "$INITCTL" emit control-alt-delete
	[ "$status" -eq 0 ]
	[ "$(recorded shutdown | wc -l)" = 1 ]
	# The stop inside pre-start releases the event at once (as Upstart's
	# stop does); the job itself ends a moment later.
	wait_for "job at rest" sh -c "\"$INITCTL\" status control-alt-delete | grep -qx 'control-alt-delete stop/waiting'"
	printf '%s\n' '#ca:12345:ctrlaltdel:/sbin/shutdown -t1 -a -r now' >"$F/inittab"
	"$INITCTL" emit control-alt-delete
	[ "$(recorded shutdown | wc -l)" = 2 ]
}

@test "power-status maps PWRSTAT to shutdown as sysvinit's powerfail script did" {
	boot_init
	install power-status
	"$INITCTL" emit power-status-changed PWRSTAT=F
	"$INITCTL" emit power-status-changed PWRSTAT=L
	"$INITCTL" emit power-status-changed PWRSTAT=O
	"$INITCTL" emit power-status-changed PWRSTAT=X
	"$INITCTL" emit power-status-changed
	same "$(recorded shutdown)" <<'EOF'
<-h><+2><Power failure; system will shut down>
<-h><now><Power failure, battery low>
<-c><Power restored>
<-h><now><SIGPWR received>
EOF
	cat "$T/init.out" "$T/init.err" | grep -q "unknown power status 'X', nothing done"
	# inittab power entries take over.
	printf '%s\n' 'pf::powerwait:/etc/init.d/powerfail start' >"$F/inittab"
	"$INITCTL" emit power-status-changed PWRSTAT=F
	[ "$(recorded shutdown | wc -l)" = 4 ]
}

@test "keyboard-request says what to edit, unless inittab has a kbrequest entry" {
	boot_init
	install keyboard-request
	"$INITCTL" emit keyboard-request
	wait_for "message" grep -q 'Keyboard Request--edit /etc/init/keyboard-request.conf' "$T/init.out"
	printf '%s\n' 'kb::kbrequest:/bin/echo "Keyboard Request--edit /etc/inittab"' >"$F/inittab"
	"$INITCTL" emit keyboard-request
	[ "$(grep -c 'Keyboard Request' "$T/init.out")" = 1 ]
}

# ------------------------------------------------------- a whole boot

@test "a whole boot: startup -> rcS -> runlevel 2 -> rc 2 -> gettys on tty1-tty6" {
	boot_init
	install rc-sysinit rc rcS tty1 tty2 tty3 tty4 tty5 tty6 console \
		control-alt-delete power-status keyboard-request
	start_monitor
	"$INITCTL" emit --no-wait startup
	local n
	for n in 1 2 3 4 5 6; do wait_status tty$n "tty$n start/running, process"; done
	same "$(recorded rc)" <<'EOF'
2 RUNLEVEL=2 PREVLEVEL=N
done 2
EOF
	wait_status console 'console stop/waiting'
	"$INITCTL" status rcS | grep -qx 'rcS stop/waiting'
	# rc ran after rc-sysinit's runlevel event; tty1 after rc stopped.
	local order
	order=$(events '^(runlevel|starting JOB=rc |stopped JOB=rc |starting JOB=tty1 )' | cut -d' ' -f1-2)
	same "$order" <<'EOF'
runlevel RUNLEVEL=2
starting JOB=rc
stopped JOB=rc
starting JOB=tty1
EOF
}

# ---------------------------------------------------------- upstart-job

# mysql: a service job, and /etc/init.d/mysql -> upstart-job.
mysql_job() {
	cat >"$T/conf/mysql.conf" <<EOF
start on runlevel [2345]
stop on runlevel [!2345]
script
	trap 'echo reloaded >>"$F/out/reload"' HUP
	while :; do sleep 0.1; done
end script
EOF
	wait_for "job mysql" "$INITCTL" status mysql
	ln -s "$WRAPPER" "$F/init.d/mysql"
}

# line N: line N of $output, blank lines counted (bats' $lines skips them).
line() { printf '%s\n' "$output" | sed -n "$1p"; }
nlines() { printf '%s\n' "$output" | wc -l; }

NOTE1="Rather than invoking init scripts through /etc/init.d, use the service(8)"
NOTE3="Since the script you are attempting to invoke has been converted to an"

@test "upstart-job: start, status, stop through /etc/init.d/mysql" {
	boot_init
	mysql_job
	run --separate-stderr "$F/init.d/mysql" start
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	local pid
	pid=$("$INITCTL" status mysql | sed -n 's/.*process \([0-9]*\)$/\1/p')
	[ -n "$pid" ]
	same "$output" <<EOF
$NOTE1
utility, e.g. service mysql start

$NOTE3
Upstart job, you may also use the start(8) utility, e.g. start mysql
mysql start/running, process $pid
EOF
	# Already running: the note only, exit 0.
	run --separate-stderr "$F/init.d/mysql" start
	[ "$status" -eq 0 ]
	same "$output" <<EOF
$NOTE1
utility, e.g. service mysql start

$NOTE3
Upstart job, you may also use the start(8) utility, e.g. start mysql
EOF
	run --separate-stderr "$F/init.d/mysql" status
	[ "$status" -eq 0 ]
	same "$output" <<EOF
$NOTE1
utility, e.g. service mysql status

$NOTE3
Upstart job, you may also use the status(8) utility, e.g. status mysql
mysql start/running, process $pid
EOF
	run --separate-stderr "$F/init.d/mysql" stop
	[ "$status" -eq 0 ]
	same "$output" <<EOF
$NOTE1
utility, e.g. service mysql stop

$NOTE3
Upstart job, you may also use the stop(8) utility, e.g. stop mysql
mysql stop/waiting
EOF
	"$INITCTL" status mysql | grep -qx 'mysql stop/waiting'
	# Not running: stop says the note and succeeds.
	run --separate-stderr "$F/init.d/mysql" stop
	[ "$status" -eq 0 ]
	[ "$(nlines)" -eq 5 ]
	[ "$(line 5)" = "Upstart job, you may also use the stop(8) utility, e.g. stop mysql" ]
	run --separate-stderr "$F/init.d/mysql" status
	[ "$status" -eq 0 ]
	[ "$(line 6)" = "mysql stop/waiting" ]
}

@test "upstart-job: restart stops and starts, or only starts a stopped job" {
	boot_init
	mysql_job
	local expect_head
	expect_head="$NOTE1
utility, e.g. service mysql restart

$NOTE3
Upstart job, you may also use the stop(8) and then start(8) utilities,
e.g. stop mysql ; start mysql. The restart(8) utility is also available."
	run --separate-stderr "$F/init.d/mysql" restart
	[ "$status" -eq 0 ]
	local pid1 pid2
	pid1=$("$INITCTL" status mysql | sed -n 's/.*process \([0-9]*\)$/\1/p')
	same "$output" <<EOF
$expect_head
mysql start/running, process $pid1
EOF
	run --separate-stderr "$F/init.d/mysql" restart
	[ "$status" -eq 0 ]
	pid2=$("$INITCTL" status mysql | sed -n 's/.*process \([0-9]*\)$/\1/p')
	[ "$pid1" != "$pid2" ]
	same "$output" <<EOF
$expect_head
mysql stop/waiting
mysql start/running, process $pid2
EOF
}

@test "upstart-job: reload and force-reload send the reload signal" {
	boot_init
	mysql_job
	"$INITCTL" start mysql >/dev/null
	run --separate-stderr "$F/init.d/mysql" reload
	[ "$status" -eq 0 ]
	same "$output" <<EOF
$NOTE1
utility, e.g. service mysql reload

$NOTE3
Upstart job, you may also use the reload(8) utility, e.g. reload mysql
EOF
	wait_for "reload" grep -q reloaded "$F/out/reload"
	run --separate-stderr "$F/init.d/mysql" force-reload
	[ "$status" -eq 0 ]
	[ "$(line 2)" = "utility, e.g. service mysql force-reload" ]
	[ "$(line 5)" = "Upstart job, you may also use the reload(8) utility, e.g. reload mysql" ]
	wait_for "second reload" sh -c "[ \$(grep -c reloaded '$F/out/reload') -eq 2 ]"
	# Not running: reload's failure is the wrapper's.
	"$INITCTL" stop mysql >/dev/null
	run --separate-stderr "$F/init.d/mysql" reload
	[ "$status" -eq 1 ]
	[[ "$stderr" == reload:* ]]
}

@test "upstart-job: a job disabled with manual is not started by start or restart" {
	boot_init
	mysql_job
	echo manual >"$T/conf/mysql.override"
	wait_for "override" sh -c "! '$INITCTL' show-config -e mysql | grep -q '^  start on'"
	run --separate-stderr "$F/init.d/mysql" start
	[ "$status" -eq 0 ]
	[ "$(nlines)" -eq 5 ]
	"$INITCTL" status mysql | grep -qx 'mysql stop/waiting'
	run --separate-stderr "$F/init.d/mysql" restart
	[ "$status" -eq 0 ]
	[ "$(nlines)" -eq 6 ]
	"$INITCTL" status mysql | grep -qx 'mysql stop/waiting'
	# Forced into running by hand: restart does stop and start it.
	"$INITCTL" start mysql >/dev/null
	run --separate-stderr "$F/init.d/mysql" restart
	[ "$status" -eq 0 ]
	[ "$(line 7)" = "mysql stop/waiting" ]
	[[ "$(line 8)" == "mysql start/running, process "* ]]
	# And stop still stops it.
	run --separate-stderr "$F/init.d/mysql" stop
	[ "$status" -eq 0 ]
	[ "$(line 6)" = "mysql stop/waiting" ]
}

@test "upstart-job: an unsupported command says so on stderr and exits 1" {
	boot_init
	mysql_job
	run --separate-stderr "$F/init.d/mysql" frobnicate
	[ "$status" -eq 1 ]
	same "$output" <<EOF
$NOTE1
utility, e.g. service mysql frobnicate

EOF
	same "$stderr" <<'EOF'
The script you are attempting to invoke has been converted to an Upstart
job, but frobnicate is not supported for Upstart jobs.
EOF
}

@test "upstart-job: the upstart-job JOB COMMAND form and a NAME.sh link" {
	boot_init
	mysql_job
	run --separate-stderr "$WRAPPER" mysql status
	[ "$status" -eq 0 ]
	same "$output" <<EOF
$NOTE1
utility, e.g. service mysql status

$NOTE3
Upstart job, you may also use the status(8) utility, e.g. status mysql
mysql stop/waiting
EOF
	ln -s "$WRAPPER" "$F/init.d/mysql.sh"
	run --separate-stderr "$F/init.d/mysql.sh" start
	[ "$status" -eq 0 ]
	[ "$(line 2)" = "utility, e.g. service mysql.sh start" ]
	[ "$(line 5)" = "Upstart job, you may also use the start(8) utility, e.g. start mysql" ]
	[[ "$(line 6)" == "mysql start/running, process "* ]]
}

@test "upstart-job: usage errors, unknown jobs, and quiet maintainer scripts" {
	boot_init
	mysql_job
	run --separate-stderr "$F/init.d/mysql"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "Usage: $F/init.d/mysql COMMAND" ]
	run --separate-stderr "$WRAPPER"
	[ "$status" -eq 1 ]
	[ "$stderr" = "Usage: upstart-job JOB COMMAND" ]
	run --separate-stderr "$WRAPPER" mysql
	[ "$status" -eq 1 ]
	[ "$stderr" = "Usage: upstart-job JOB COMMAND" ]
	run --separate-stderr "$F/init.d/mysql" ""
	[ "$status" -eq 1 ]
	[ "$stderr" = "Usage: $F/init.d/mysql COMMAND" ]
	# Unknown job: status's own error and exit status.
	ln -s "$WRAPPER" "$F/init.d/nosuch"
	run --separate-stderr "$F/init.d/nosuch" status
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"status: Unknown job: nosuch"* ]]
	# As Upstart's wrapper: an unknown job counts as disabled for start.
	run --separate-stderr "$F/init.d/nosuch" start
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"Unknown job: nosuch"* ]]
	# Called from a maintainer script: only the tools' own output.
	DPKG_MAINTSCRIPT_PACKAGE=mysql-server run --separate-stderr "$F/init.d/mysql" start
	[ "$status" -eq 0 ]
	[[ "$output" == "mysql start/running, process "* ]]
	[ "$(nlines)" -eq 1 ]
	DPKG_MAINTSCRIPT_PACKAGE=mysql-server run --separate-stderr "$F/init.d/mysql" bogus
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ -z "$stderr" ]
}
