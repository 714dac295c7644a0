# start_pid1 / stop_pid1: build/init as PID 1 of a system in
# namespaces of its own, for tests of what only a system init does
# (uevent.bats, sources.bats).
#
# Safety.  The system init runs only as PID 1 of a PID namespace made
# here (unshare --pid --fork), with its own /proc and a tmpfs on /run in
# a private mount namespace, and every path it writes (control socket,
# utmp, wtmp, runlevel, /run/initctl, inittab, job logs) given on its
# command line inside $T.  It is signalled only through the host pid it
# wrote itself, and only after checking that this pid is in a PID
# namespace other than ours.  Its network namespace (loopback, veth
# pairs a test makes) goes with it.

# Root, namespaces and veth, or skip.
require_pid1_guest() {
	[ "$(id -u)" = 0 ] || skip "needs root"
	local t
	for t in unshare nsenter ip; do
		command -v "$t" >/dev/null || skip "no $t"
	done
	unshare --pid --fork --net --mount true 2>/dev/null || skip "no PID, network or mount namespaces"
	unshare --net ip link add veth0 type veth peer name veth1 2>/dev/null ||
		skip "no veth devices"
}

# start_pid1: build/init as PID 1 in system mode (no --user), in new
# PID, network and mount namespaces.  Sets T, NSPID (its pid on the
# host) and UNSHARE_PID.
start_pid1() {
	require_pid1_guest
	T=$(mktemp -d "${BATS_TMPDIR:-/tmp}/upinit-pid1.XXXXXX")
	mkdir -p "$T/conf" "$T/log" "$T/out" "$T/etc"
	export UPINIT_SOCKET=$T/control
	# The inner shell is PID 1 of the new namespace: it writes its host
	# pid (read through the host's /proc, before mounting its own),
	# hides the host's /run, and becomes init.
	# shellcheck disable=SC2016  # $1, $hostpid, $@: the inner shell's
	unshare --pid --fork --net --mount --propagation private -- /bin/sh -c '
		T=$1; shift
		read -r hostpid _rest </proc/self/stat
		echo "$hostpid" >"$T/nspid.tmp" && mv "$T/nspid.tmp" "$T/nspid"
		mount -t proc -o nosuid,nodev,noexec proc /proc || exit 1
		mount -t tmpfs -o mode=755,size=4m upinit-run /run || exit 1
		exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"
	' sh "$T" "$INIT" --no-cgroups --confdir "$T/conf" --logdir "$T/log" \
		--socket "$T/control" --utmp "$T/utmp" --wtmp "$T/wtmp" \
		--runlevel-file "$T/runlevel" --initctl-fifo "$T/initctl" \
		--powerstatus "$T/powerstatus" --inittab "$T/inittab" \
		--sysv-etc "$T/etc" \
		</dev/null >"$T/init.out" 2>"$T/init.err" &
	UNSHARE_PID=$!
	wait_file "$T/nspid"
	NSPID=$(cat "$T/nspid")
	wait_for "init as PID 1" "$INITCTL" version
	# It is PID 1 over there, and not in our PID namespace.
	[ "$(awk '/^NSpid:/ { print $NF }' "/proc/$NSPID/status")" = 1 ]
	other_pid_namespace "$NSPID"
}

other_pid_namespace() {
	local theirs
	theirs=$(readlink "/proc/$1/ns/pid") || return 1
	[ -n "$theirs" ] && [ "$theirs" != "$(readlink /proc/self/ns/pid)" ]
}

stop_pid1() {
	[ -n "${NSPID:-}" ] || return 0
	# Killing a namespace's PID 1 kills everything in it.
	if other_pid_namespace "$NSPID"; then
		kill -KILL "$NSPID" 2>/dev/null || true
	fi
	[ -z "${UNSHARE_PID:-}" ] || wait "$UNSHARE_PID" 2>/dev/null || true
	NSPID="" UNSHARE_PID=""
	[ -n "${T:-}" ] && rm -rf "$T"
	T=
}

# in_guest_net COMMAND...: run COMMAND in init's network namespace.
in_guest_net() {
	nsenter --target "$NSPID" --net -- "$@"
}

