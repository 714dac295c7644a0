#!/usr/bin/env bats
# scripts/demo (`make demo`, README's first command) over the small busybox
# tree, without a terminal: it boots the container, prints `initctl list`
# and `runlevel`, runs what stdin holds in the guest, halts it cleanly and
# leaves nothing behind.  The Debian demo (ROOTFS=debian) is left to the
# Debian suite, which boots the same tree.
#
# Each test runs the whole demo (well under a second of guest time); the
# demo makes its guest with these same helpers, under $BATS_TEST_TMPDIR.

load helpers

setup_file() {
	sys_setup_file
}

setup() {
	sys_require
	SYS_T=
	DEMO=$SYS_REPO/scripts/demo
	# The demo's guest directory goes here, where the tests can look.
	export BATS_TMPDIR=$BATS_TEST_TMPDIR
	DEMO_PID=
}

# A demo a failed test left running in the background: stop it (it tears
# its guest down on SIGTERM).
teardown() {
	[ -n "$DEMO_PID" ] || return 0
	kill -TERM "$DEMO_PID" 2>/dev/null || true
	wait "$DEMO_PID" 2>/dev/null || true
}

# Runs the demo with BUILD as make would give it.
demo() {
	BUILD=$UPINIT_BUILD "$DEMO" "$@"
}

# Nothing of a demo's guest is left: no directory, no mount.
no_guest_left() {
	refute compgen -G "$BATS_TEST_TMPDIR/upinit-guest.*" >/dev/null &&
		refute grep -q " $BATS_TEST_TMPDIR/" /proc/mounts
}

@test "demo </dev/null: initctl list, runlevel N 2, then a clean halt" {
	run demo </dev/null
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"# initctl list"* ]]
	# The shipped jobs and the sample ones, settled.
	[[ "$output" =~ rc\ stop/waiting ]]
	[[ "$output" =~ rc-sysinit\ stop/waiting ]]
	[[ "$output" =~ ticker\ start/running,\ process\ [0-9]+ ]]
	[[ "$output" =~ web\ start/running,\ process\ [0-9]+ ]]
	[[ "$output" =~ hello\ stop/waiting ]]
	printf '%s\n' "${lines[@]}" | grep -qx 'N 2'
	[[ "$output" == *"stdin is not a terminal"* ]]
	[[ "$output" == *"Shutting the container down"* ]]
	[ "${lines[-1]}" = "container halted cleanly" ]
	no_guest_left
}

@test "demo with commands on stdin runs them in the guest, echoed" {
	run demo <<-'EOF'
	status ticker
	telinit 3
	EOF
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"# status ticker"* ]]
	[[ "$output" =~ ticker\ start/running,\ process\ [0-9]+ ]]
	[[ "$output" == *"# telinit 3"* ]]
	[ "${lines[-1]}" = "container halted cleanly" ]
	no_guest_left
}

@test "demo: a halt at the guest's prompt is the end, not a failure" {
	# `halt' is upinit's, not busybox's applet (which only signals PID 1).
	run demo <<<'halt'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"# /sbin/halt"* ]]
	[ "${lines[-1]}" = "container halted cleanly" ]
	no_guest_left
}

@test "demo: SIGTERM while the guest's shell waits tears the container down" {
	local fifo=$BATS_TEST_TMPDIR/stdin out=$BATS_TEST_TMPDIR/out rc=0 guest
	mkfifo "$fifo"
	# A writer that never writes (ours only: the demo must not hold it,
	# or nothing would ever end its stdin): the guest's shell waits.
	exec 5<>"$fifo"
	BUILD=$UPINIT_BUILD "$DEMO" <"$fifo" >"$out" 2>&1 5>&- &
	DEMO_PID=$!
	wait_for 30 "the demo's shell" grep -q "stdin is not a terminal" "$out"
	read -r guest <"$(compgen -G "$BATS_TEST_TMPDIR/upinit-guest.*")/nspid"
	kill -0 "$guest"
	kill -TERM "$DEMO_PID"
	wait "$DEMO_PID" || rc=$?
	DEMO_PID=
	exec 5>&-
	cat "$out"
	[ "$rc" -eq 143 ]
	grep -q "interrupted; the container is torn down" "$out"
	refute kill -0 "$guest" 2>/dev/null
	no_guest_left
}

@test "demo: an unknown ROOTFS is a usage error" {
	ROOTFS=gentoo run demo </dev/null
	[ "$status" -eq 2 ]
	[[ "$output" == *"no such rootfs: 'gentoo'"* ]]
	[[ "$output" == *"usage:"* ]]
}
