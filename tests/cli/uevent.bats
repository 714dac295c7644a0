#!/usr/bin/env bats
# Kernel uevents as Upstart's device events (init/uevent_source.h), end
# to end: a system init, PID 1 of new PID, network and mount namespaces,
# turns the uevents of a veth pair made in its network namespace into
# net-device-added and net-device-removed, before and after a re-exec,
# and loses none of a burst of a thousand; a user init opens no uevent
# socket at all.  The parser itself is tested in
# tests/unit/test_uevent_source.c and fuzzed by fuzz/fuzz_uevent.c.
#
# Safety.  The system init runs only as PID 1 of a PID namespace this
# file made (unshare --pid --fork), with its own /proc and a tmpfs on
# /run in a private mount namespace, and every path it writes (control
# socket, utmp, wtmp, runlevel, /run/initctl, inittab, job logs) given
# on its command line inside $T.  It is signalled only through the host
# pid it wrote itself, and only after checking that this pid is in a PID
# namespace other than ours.  The veth pair lives in the namespace's own
# network namespace and goes with it.

load helpers
load helpers_pid1

setup() {
	NSPID="" UNSHARE_PID=""
}

teardown() {
	if [ -n "${NSPID:-}" ] && [ -n "${T:-}" ] &&
	   [ "${BATS_TEST_COMPLETED:-}" != 1 ]; then
		echo "--- init's messages:" >&2
		cat "$T/init.err" >&2 || true
	fi
	stop_pid1
	stop_init
}

# uevent_sockets PID: the inodes of the NETLINK_KOBJECT_UEVENT (15)
# sockets PID holds, with their multicast groups ("INODE GROUPS").
uevent_sockets() {
	local pid=$1 mine
	mine=$(find "/proc/$pid/fd" -lname 'socket:*' -printf '%l\n' 2>/dev/null |
		sed 's/^socket:\[\(.*\)\]$/\1/')
	[ -n "$mine" ] || return 0
	awk 'NR > 1 && $2 == 15 { print $NF, $4 }' "/proc/$pid/net/netlink" |
		grep -E "^($(echo "$mine" | paste -sd'|' -)) " || true
}

# new_uevent_socket INODE: PID 1 holds one uevent socket, not INODE.
new_uevent_socket() {
	local now
	now=$(uevent_sockets "$NSPID" | awk '{ print $1 }')
	[ -n "$now" ] && [ "$now" != "$1" ]
}

# recorder NAME EVENT-CONDITION: a task, one instance per interface,
# that writes its sorted environment to $T/out/NAME-INTERFACE.
recorder() {
	cat >"$T/conf/$1.conf.tmp" <<EOF
start on $2
instance \$INTERFACE
task
script
	env | sort >$T/out/$1-\$INTERFACE.tmp
	mv $T/out/$1-\$INTERFACE.tmp $T/out/$1-\$INTERFACE
end script
EOF
	mv "$T/conf/$1.conf.tmp" "$T/conf/$1.conf"
	# `status` of an instance job wants its variable: ask `list`.
	# shellcheck disable=SC2016  # the inner shell's $1 and $2
	wait_for "job $1" sh -c '"$1" list | grep -q "^$2 "' sh "$INITCTL" "$1"
}

# assert_has FILE LINE-REGEX...: each regex matches a whole line.
assert_has() {
	local file=$1 re
	shift
	for re in "$@"; do
		grep -qxE "$re" "$file" && continue
		printf 'no line %s in %s:\n' "$re" "$file" >&2
		cat "$file" >&2
		return 1
	done
}

@test "PID 1 turns a veth's uevents into net-device-added and net-device-removed" {
	start_pid1
	# One uevent socket, on the kernel's group.
	[ "$(uevent_sockets "$NSPID" | awk '{ print $2 }')" = 00000001 ]
	recorder added 'net-device-added INTERFACE=veth*'
	recorder removed 'net-device-removed INTERFACE=veth0'

	in_guest_net ip link add veth0 type veth peer name veth1
	wait_file "$T/out/added-veth0"
	wait_file "$T/out/added-veth1"
	assert_has "$T/out/added-veth0" \
		KERNEL=veth0 DEVPATH=/devices/virtual/net/veth0 SUBSYSTEM=net \
		ACTION=add INTERFACE=veth0 'IFINDEX=[0-9]+' 'SEQNUM=[0-9]+' \
		UPSTART_EVENTS=net-device-added UPSTART_INSTANCE=veth0
	assert_has "$T/out/added-veth1" KERNEL=veth1 INTERFACE=veth1 ACTION=add
	# The kernel's index is the one ip shows.
	assert_has "$T/out/added-veth0" \
		"IFINDEX=$(in_guest_net ip -o link show veth0 | cut -d: -f1)"
	# A net device has no node: no DEVNAME.
	refute grep -q '^DEVNAME=' "$T/out/added-veth0"

	in_guest_net ip link del veth0
	wait_file "$T/out/removed-veth0"
	assert_has "$T/out/removed-veth0" \
		KERNEL=veth0 DEVPATH=/devices/virtual/net/veth0 SUBSYSTEM=net \
		ACTION=remove INTERFACE=veth0 UPSTART_EVENTS=net-device-removed
	# veth1 went with its peer, but only veth0 was asked for.
	refute test -e "$T/out/removed-veth1"

	# The variables in Upstart's order, and the kernel as the cause.
	run "$INITCTL" history
	[ "$status" = 0 ]
	[[ "$output" =~ "event net-device-added KERNEL=veth0 DEVPATH=/devices/virtual/net/veth0 SUBSYSTEM=net ACTION=add INTERFACE=veth0 IFINDEX="[0-9]+" SEQNUM="[0-9]+" -- kernel uevent" ]] || {
		echo "$output" >&2; false; }
	run "$INITCTL" why added veth0
	assert_output_contains "event net-device-added KERNEL=veth0 "
	assert_output_contains " -- kernel uevent"
	kill -0 "$NSPID"
}

@test "PID 1 opens a new uevent socket after a re-exec and goes on" {
	start_pid1
	recorder added 'net-device-added INTERFACE=veth*'
	before=$(uevent_sockets "$NSPID" | awk '{ print $1 }')
	[ -n "$before" ]
	# SIGTERM makes PID 1 re-execute itself (init(8)); only ever sent to
	# the PID 1 of the namespace made above.
	other_pid_namespace "$NSPID"
	kill -TERM "$NSPID"
	wait_for "a new uevent socket" new_uevent_socket "$before"
	wait_for "init after the re-exec" "$INITCTL" version
	[ "$(uevent_sockets "$NSPID" | wc -l)" = 1 ]

	in_guest_net ip link add veth2 type veth peer name veth3
	wait_file "$T/out/added-veth2"
	assert_has "$T/out/added-veth2" KERNEL=veth2 SUBSYSTEM=net ACTION=add \
		INTERFACE=veth2 UPSTART_EVENTS=net-device-added
}

@test "a burst of uevents: every one becomes an event, init answers meanwhile" {
	start_pid1
	cat >"$T/conf/burst.conf" <<EOF
start on net-device-added INTERFACE=b*
instance \$INTERFACE
task
exec touch $T/out/burst-\$INTERFACE
EOF
	# shellcheck disable=SC2016  # the inner shell's $1
	wait_for "job burst" sh -c '"$1" list | grep -q "^burst "' sh "$INITCTL"
	# 100 pairs: 200 interfaces and 1000 uevents (each has 4 queues) in
	# one go, more than one wakeup's worth (UEVENT_BATCH).
	for i in $(seq 1 100); do
		echo "link add ba$i type veth peer name bb$i"
	done >"$T/batch"
	in_guest_net ip -batch "$T/batch"
	"$INITCTL" version >/dev/null
	for _ in $(seq 1 500); do
		[ "$(find "$T/out" -name 'burst-*' | wc -l)" -ge 200 ] && break
		sleep 0.02
	done
	[ "$(find "$T/out" -name 'burst-*' | wc -l)" = 200 ]
	refute grep -q "uevents were lost" "$T/init.err"
	kill -0 "$NSPID"
}

@test "a user init opens no uevent socket" {
	start_init
	[ -d "/proc/$INIT_PID/fd" ]
	# The check sees sockets at all: the control socket is one.
	[ -n "$(find "/proc/$INIT_PID/fd" -lname 'socket:*')" ]
	[ -z "$(uevent_sockets "$INIT_PID")" ]
	assert_init_alive
}
