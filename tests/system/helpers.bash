# Helpers of the system tests: upinit as PID 1 of fresh PID, mount, UTS,
# IPC and network namespaces, over the small tree of mkrootfs.sh.
#
# One guest per test:
#
#   guest_write /etc/inittab <<EOF ... EOF   # optional, before boot
#   boot [INIT-ARGS...]        # /sbin/init as PID 1; waits for the marker
#   guest_exec runlevel        # any command inside all the guest's namespaces
#   shutdown_and_wait guest_exec shutdown -r now
#   [ "$ENDED" = reboot ]      # how PID 1 ended: reboot, halt, or exit:N
#   teardown_guest             # always: kills the namespace, unmounts
#
# How the guest is made (after tools/boot-container.sh, in our words).
# script(1) gives the guest a pseudo-terminal for a console and records
# everything written to it in $SYS_T/console.log.  Inside script,
# `unshare --pid --fork --mount --uts --ipc --net --propagation private`
# forks a child that is PID 1 of the new PID namespace; that child (the
# function _guest_inner below, still in the host's root) builds the
# guest's root and then execs /sbin/init, which so becomes PID 1:
#   - "/" is an overlay: the rootfs read-only below, $SYS_T/rw/upper on
#     top.  $SYS_T/rw is a tmpfs mounted on the HOST side, so that what
#     the guest wrote to its disk (wtmp, /var/log/rc-trace) can still be
#     read once the guest is gone; teardown_guest unmounts it.  Every
#     boot starts from the same tree;
#   - /proc is the new PID namespace's own, with /proc/sys read-only,
#     /proc/sysrq-trigger and /proc/swaps (the host's swap, which
#     Debian's umountfs would swapoff) masked and /proc/cmdline replaced by
#     $BOOT_CMDLINE (the host's kernel command line could say "single");
#   - /sys is read-only; /dev is a small tmpfs with the usual nodes, a
#     private devpts instance and script(1)'s pty bound onto /dev/console;
#   - /run is NOT mounted: init must mount it, as without an initramfs;
#   - pivot_root into the overlay and detach the host's tree;
#   - exec env -i TERM=linux PATH=... [container=$BOOT_CONTAINER] /sbin/init.
#
# How it ends.  When a process of a non-initial PID namespace calls
# reboot(2), the kernel does not reboot anything: it kills the
# namespace's init, with SIGHUP as the recorded cause for RESTART and
# SIGINT for HALT and POWER_OFF.  unshare --fork then re-raises that
# signal on itself and script -e reports it as 128+N: 129 means the guest
# rebooted, 130 that it halted or powered off.
#
# teardown_guest's kill -KILL of a guest still running makes unshare say
# "sigprocmask unblock failed" on the console (it cannot re-raise
# SIGKILL on itself): harmless.
#
# Safety: nothing here ever signals a process that is not in a PID
# namespace other than ours (guest_alive checks /proc/PID/ns/pid), and
# the SysV tools only ever run inside the guest, through nsenter.

SYS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SYS_REPO=$(cd "$SYS_DIR/../.." && pwd)
: "${UPINIT_BUILD:=$SYS_REPO/${BUILD:-build}}"
: "${UPINIT_ROOTFS:=$UPINIT_BUILD/system-rootfs}"
GUEST_PATH=/usr/sbin:/usr/bin:/sbin:/bin
# shellcheck source=../assert.bash
. "$SYS_DIR/../assert.bash"

# The inner part: PID 1 of the new namespaces, in the host's root still.
# Arguments: the command to exec (INIT ARGS...).  Environment: SYS_T,
# SYS_ROOTFS, SYS_LAYERS (lower layers above it, colon separated, topmost
# first; may be empty), SYS_CMDLINE, SYS_CONTAINER, SYS_CGROUP_MOUNT (mount cgroup2 when set).
_guest_inner() {
	local root=$SYS_T/root rw=$SYS_T/rw hostpid _rest
	set -e
	# Our host PID, read through the host's /proc before the guest's.
	read -r hostpid _rest </proc/self/stat
	echo "$hostpid" >"$SYS_T/nspid.tmp"
	mv "$SYS_T/nspid.tmp" "$SYS_T/nspid"
	mount -t overlay upinit-system \
		-o "lowerdir=${SYS_LAYERS:+$SYS_LAYERS:}$SYS_ROOTFS,upperdir=$rw/upper,workdir=$rw/work" "$root"
	mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
	printf '%s\n' "$SYS_CMDLINE" >"$rw/cmdline"
	mount --bind "$rw/cmdline" "$root/proc/cmdline"
	mount --bind "$root/proc/sys" "$root/proc/sys"
	mount -o remount,bind,ro "$root/proc/sys"
	[ ! -e "$root/proc/sysrq-trigger" ] ||
		mount --bind /dev/null "$root/proc/sysrq-trigger"
	# /proc/swaps lists the HOST's swap: Debian's umountfs runs
	# `swapoff -a` at shutdown, and the guest is real root.
	printf 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n' >"$rw/swaps"
	mount --bind "$rw/swaps" "$root/proc/swaps"
	mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$root/sys"
	# A container manager mounts the cgroup2 hierarchy for its guest
	# (our cgroup namespace shows its root as the guest's subtree);
	# BOOT_CGROUP_MOUNT= leaves it to the guest's PID 1.
	if [ -n "$SYS_CGROUP_MOUNT" ]; then
		mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 "$root/sys/fs/cgroup"
	fi

	mount -t tmpfs -o mode=755,nosuid,size=4m upinit-dev "$root/dev"
	(
		cd "$root/dev"
		mknod -m 666 null c 1 3; mknod -m 666 zero c 1 5
		mknod -m 666 full c 1 7; mknod -m 666 random c 1 8
		mknod -m 666 urandom c 1 9; mknod -m 666 tty c 5 0
		mkdir -m 755 pts; mkdir -m 1777 shm
		ln -s pts/ptmx ptmx; ln -s /proc/self/fd fd
		ln -s /proc/self/fd/0 stdin; ln -s /proc/self/fd/1 stdout
		ln -s /proc/self/fd/2 stderr
		touch console
	)
	mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts "$root/dev/pts"
	# Our standard input is script(1)'s pty: the guest's console.
	mount --bind "$(readlink /proc/self/fd/0)" "$root/dev/console"

	cd "$root"
	pivot_root . mnt
	cd /
	umount -l /mnt
	set +e
	exec env -i TERM=linux PATH=$GUEST_PATH \
		${SYS_CONTAINER:+container=$SYS_CONTAINER} \
		${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} \
		${UBSAN_OPTIONS:+UBSAN_OPTIONS=$UBSAN_OPTIONS} "$@"
}

if [ "${1:-}" = __guest_inner ]; then
	shift
	_guest_inner "$@"
	exit 1
fi

# ---------------------------------------------------------------------------
# Host side
# ---------------------------------------------------------------------------

# Skip the test unless this machine can run a guest.
sys_require() {
	[ "$(id -u)" = 0 ] || skip "system tests need root"
	local t
	for t in unshare nsenter script mount pivot_root; do
		command -v "$t" >/dev/null || skip "no $t"
	done
	grep -qw overlay /proc/filesystems ||
		modprobe overlay 2>/dev/null ||
		skip "no overlay filesystem"
	grep -qw overlay /proc/filesystems || skip "no overlay filesystem"
	[ -x "$UPINIT_ROOTFS/sbin/init" ] || skip "no rootfs at $UPINIT_ROOTFS"
}

# Build the rootfs once per file (setup_file); skips as sys_require.
sys_setup_file() {
	if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null ||
	   ! command -v script >/dev/null; then
		return 0
	fi
	BUILD=$UPINIT_BUILD "$SYS_DIR/mkrootfs.sh" "$UPINIT_ROOTFS" >&2
}

# debian_tree: the Debian tree of mkdebian.sh (built once, cached) for
# the release UPINIT_DEBIAN_SUITE names (trixie, Debian 13, by default;
# bookworm for Debian 12), and an overlay layer over it holding what
# installing the upinit package changed (mkdebian-layer.sh).  Sets
# DEBIAN_ROOTFS, DEBIAN_DEB, DEBIAN_LAYER, and DEBIAN_SUITE and
# DEBIAN_RELEASE (trixie and 13, say) as the tree's /etc/os-release says.
# Honours UPINIT_DEBIAN_ROOTFS, UPINIT_DEB (a package to use instead of
# making one with scripts/mkdeb from $UPINIT_BUILD) and
# UPINIT_DEBIAN_LAYER (default $UPINIT_BUILD/debian-layer-SUITE).
# Non-zero, with the reason on stderr, when a step failed.
debian_tree() {
	DEBIAN_ROOTFS=$("$SYS_DIR/mkdebian.sh") || return 1
	DEBIAN_SUITE=$(. "$DEBIAN_ROOTFS/etc/os-release" && echo "$VERSION_CODENAME")
	DEBIAN_RELEASE=$(. "$DEBIAN_ROOTFS/etc/os-release" && echo "$VERSION_ID")
	if [ -n "${UPINIT_DEB:-}" ]; then
		DEBIAN_DEB=$UPINIT_DEB
	else
		DEBIAN_DEB=$(BUILD=$UPINIT_BUILD "$SYS_REPO/scripts/mkdeb") || return 1
	fi
	[ -f "$DEBIAN_DEB" ] || { echo "debian_tree: no package $DEBIAN_DEB" >&2; return 1; }
	DEBIAN_LAYER=$("$SYS_DIR/mkdebian-layer.sh" "$DEBIAN_ROOTFS" "$DEBIAN_DEB" \
		"${UPINIT_DEBIAN_LAYER:-$UPINIT_BUILD/debian-layer-$DEBIAN_SUITE}")
}

# The guest's private directory on the host, with the tmpfs that holds
# the overlay's upper layer.
guest_prepare() {
	[ -z "${SYS_T:-}" ] || return 0
	SYS_T=$(mktemp -d "${BATS_TMPDIR:-/tmp}/upinit-guest.XXXXXX")
	mkdir -p "$SYS_T/rw" "$SYS_T/root"
	mount -t tmpfs -o "mode=755,size=${UPINIT_RW_SIZE:-64m}" upinit-guest-rw "$SYS_T/rw"
	mkdir -p "$SYS_T/rw/upper" "$SYS_T/rw/work"
	NSPID='' SCRIPT_PID='' ENDED=''
	guest_cgroup_make
}

# The guest's own cgroup2 subtree, $SYS_CGROUP, which the guest's cgroup
# namespace shows it as the root of the hierarchy: upinit, its PID 1,
# mounts cgroup2 and keeps its jobs below, and nothing of the host's
# hierarchy outside the subtree is touched.  The host's cgroup2 mount
# is used, or one of our own when it has none.
guest_cgroup_make() {
	local root own
	SYS_CGROUP=
	root=$(awk '$0 ~ / - cgroup2 / && $4 == "/" { print $5; exit }' /proc/self/mountinfo)
	if [ -z "$root" ]; then
		mkdir -p "$SYS_T/cgroup2"
		mount -t cgroup2 upinit-cgroup2 "$SYS_T/cgroup2" || return 1
		root=$SYS_T/cgroup2
	fi
	own=$(sed -n 's/^0:://p' /proc/self/cgroup)
	[ "$own" != / ] || own=
	SYS_CGROUP=$root$own/upinit-guest.${SYS_T##*.}
	mkdir "$SYS_CGROUP"
}

# Kill whatever is left in the guest's cgroup subtree and remove it.
guest_cgroup_remove() {
	[ -n "${SYS_CGROUP:-}" ] && [ -d "$SYS_CGROUP" ] || return 0
	case $SYS_CGROUP in */upinit-guest.*) ;; *) return 0 ;; esac
	if [ -e "$SYS_CGROUP/cgroup.kill" ]; then
		echo 1 >"$SYS_CGROUP/cgroup.kill" 2>/dev/null || true
	fi
	for _ in $(seq 1 250); do
		grep -q '^populated 0' "$SYS_CGROUP/cgroup.events" 2>/dev/null && break
		sleep 0.02
	done
	find "$SYS_CGROUP" -depth -type d -exec rmdir {} + 2>/dev/null || true
	if mountpoint -q "$SYS_T/cgroup2" 2>/dev/null; then
		umount "$SYS_T/cgroup2" 2>/dev/null || umount -l "$SYS_T/cgroup2" || true
	fi
	SYS_CGROUP=
}

# guest_write PATH [MODE]: a file of the guest's tree from stdin, before
# boot (it goes into the overlay's upper layer and wins over the rootfs).
guest_write() {
	guest_prepare
	local f=$SYS_T/rw/upper$1
	mkdir -p "$(dirname "$f")"
	cat >"$f"
	chmod "${2:-644}" "$f"
}

# The host's path of a file in the running guest.
guest_path() {
	echo "/proc/$NSPID/root$1"
}

# The host's path of a file the guest wrote to its disk (also after it ended).
guest_disk() {
	echo "$SYS_T/rw/upper$1"
}

# True when NSPID is a live process in a PID namespace other than ours:
# the only process these helpers ever signal.
guest_alive() {
	[ -n "${NSPID:-}" ] || return 1
	case $NSPID in
	*[!0-9]*) return 1 ;;
	esac
	[ "$NSPID" -gt 1 ] || return 1
	local mine theirs state
	mine=$(readlink /proc/self/ns/pid) || return 1
	theirs=$(readlink "/proc/$NSPID/ns/pid" 2>/dev/null) || return 1
	[ -n "$theirs" ] && [ "$theirs" != "$mine" ] || return 1
	state=$(awk '{ print $3 }' "/proc/$NSPID/stat" 2>/dev/null) || return 1
	[ -n "$state" ] && [ "$state" != Z ]
}

# boot [INIT [ARGS...]]: start a guest with INIT (default /sbin/init) as
# PID 1 and wait until $BOOT_MARKER (default /run/marker-rc2; empty: do
# not wait) exists in it.  The guest's tree is $UPINIT_LAYERS (overlay
# lower layers, colon separated, topmost first) over $UPINIT_ROOTFS, with
# a tmpfs of $UPINIT_RW_SIZE (default 64m) on top.  A second boot in the
# same test (no teardown_guest between) keeps what the first wrote, as a
# disk would across a reboot.  Variables: BOOT_CONTAINER (container= for
# init's environment; empty: none), BOOT_CMDLINE (the guest's
# /proc/cmdline), BOOT_TIMEOUT (s, default 15), BOOT_CGROUP_MOUNT (set,
# the default: cgroup2 is mounted for the guest as a container manager
# does; empty: its PID 1 must mount it).  Sets NSPID (host pid of
# the guest's PID 1), SCRIPT_PID, CONSOLE, BOOT_SECONDS.
boot() {
	guest_prepare
	local init=${1:-/sbin/init}
	[ $# -eq 0 ] || shift
	local marker=${BOOT_MARKER-/run/marker-rc2} timeout=${BOOT_TIMEOUT:-15}
	local t0 deadline cmd
	CONSOLE=$SYS_T/console.log
	# A guest booted before in this test left its pid (a reboot).
	rm -f "$SYS_T/nspid"
	[ -n "${SYS_CGROUP:-}" ] || { echo "boot: no cgroup for the guest" >&2; return 1; }
	# Into the guest's cgroup, then a cgroup namespace rooted there.
	cmd="echo \$\$ >$(printf '%q' "$SYS_CGROUP/cgroup.procs") && exec unshare --cgroup --pid --fork --mount --uts --ipc --net --propagation private -- $(printf '%q ' /bin/bash "$SYS_DIR/helpers.bash" __guest_inner "$init" "$@")"
	t0=$EPOCHREALTIME
	SYS_T=$SYS_T SYS_ROOTFS=$UPINIT_ROOTFS SYS_LAYERS=${UPINIT_LAYERS:-} SYS_CMDLINE=${BOOT_CMDLINE:-upinit-system-test} \
	SYS_CONTAINER=${BOOT_CONTAINER:-} SYS_CGROUP_MOUNT=${BOOT_CGROUP_MOUNT-1} SHELL=/bin/sh \
		script -q -f -e -c "$cmd" "$CONSOLE" </dev/null >"$SYS_T/script.out" 2>&1 3>&- &
	SCRIPT_PID=$!
	deadline=$(( ${EPOCHREALTIME%.*} + timeout ))
	while [ ! -s "$SYS_T/nspid" ]; do
		if ! kill -0 "$SCRIPT_PID" 2>/dev/null; then
			echo "guest setup failed:" >&2
			cat "$SYS_T/script.out" "$CONSOLE" >&2 2>/dev/null
			return 1
		fi
		[ "${EPOCHREALTIME%.*}" -lt "$deadline" ] ||
			{ echo "guest setup timed out" >&2; return 1; }
		sleep 0.005
	done
	NSPID=
	read -r NSPID <"$SYS_T/nspid" || [ -n "$NSPID" ] ||
		{ echo "boot: no pid in $SYS_T/nspid" >&2; return 1; }
	if [ -n "$marker" ]; then
		wait_guest_file "$marker" "$timeout" || return 1
	fi
	BOOT_SECONDS=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }') ||
		echo "boot: awk failed ($?) on '$t0'" >&2
	return 0
}

# guest_exec CMD...: run CMD inside all of the guest's namespaces, with
# its root and a clean environment, for at most $GUEST_EXEC_TIMEOUT
# seconds (default 120; 0: no limit, for an interactive shell).
#
# The limit is not only for hung commands: nsenter passes a stop of its
# child on to itself, and Debian's killprocs (killall5) stops every
# process of the guest before it kills them.  A command that runs at
# that moment dies, but its nsenter, outside the guest, stays stopped
# for good; only a SIGKILL ends it.
guest_exec() {
	guest_alive || { echo "guest_exec: the guest is not running" >&2; return 125; }
	timeout --foreground -k 2 "${GUEST_EXEC_TIMEOUT:-120}" \
		nsenter -t "$NSPID" -m -u -i -n -p -r -w \
		env -i PATH=$GUEST_PATH TERM=dumb \
		${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} \
		${UBSAN_OPTIONS:+UBSAN_OPTIONS=$UBSAN_OPTIONS} "$@"
}

# guest_sh SCRIPT: run a shell command line inside the guest.
guest_sh() {
	guest_exec /bin/sh -c "$1"
}

# wait_guest_file PATH [TIMEOUT]: until the guest has a non-empty PATH.
wait_guest_file() {
	local f=$1 timeout=${2:-10} deadline
	deadline=$(( ${EPOCHREALTIME%.*} + timeout ))
	while [ "${EPOCHREALTIME%.*}" -lt "$deadline" ]; do
		[ -s "/proc/$NSPID/root$f" ] && return 0
		guest_alive || { echo "the guest ended while waiting for $f" >&2; return 1; }
		sleep 0.01
	done
	echo "timed out waiting for $f in the guest" >&2
	return 1
}

# wait_for TIMEOUT DESCRIPTION COMMAND...: retry COMMAND until it succeeds.
wait_for() {
	local timeout=$1 what=$2 deadline
	shift 2
	deadline=$(( ${EPOCHREALTIME%.*} + timeout ))
	while [ "${EPOCHREALTIME%.*}" -lt "$deadline" ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.02
	done
	echo "timed out waiting for: $what" >&2
	return 1
}

# wait_runlevel N [PREV]: until `runlevel` in the guest prints "PREV N"
# (any PREV when not given).
wait_runlevel() {
	local want=$1 prev=${2:-} out deadline
	deadline=$(( ${EPOCHREALTIME%.*} + 10 ))
	while [ "${EPOCHREALTIME%.*}" -lt "$deadline" ]; do
		out=$(GUEST_EXEC_TIMEOUT=5 guest_exec runlevel 2>&1) || true
		case $out in
		"${prev:-?} $want") return 0 ;;
		esac
		sleep 0.02
	done
	echo "runlevel is '$out', wanted '${prev:-?} $want'" >&2
	return 1
}

# wait_status JOB PREFIX: until `initctl status JOB` in the guest starts so.
wait_status() {
	local job=$1 want=$2 out deadline
	deadline=$(( ${EPOCHREALTIME%.*} + 10 ))
	while [ "${EPOCHREALTIME%.*}" -lt "$deadline" ]; do
		out=$(GUEST_EXEC_TIMEOUT=5 guest_exec initctl status "$job" 2>&1) || true
		case $out in
		"$want"*) return 0 ;;
		esac
		sleep 0.02
	done
	echo "status of $job is '$out', wanted '$want'" >&2
	return 1
}

# shutdown_and_wait CMD...: run CMD on the host (e.g. `guest_exec
# shutdown -r now`, or `guest_kill INT`), then wait until the guest's
# PID 1 is gone.  Sets SHUTDOWN_STATUS (script's exit status) and ENDED:
# "reboot" (PID 1 killed by SIGHUP), "halt" (SIGINT), else "exit:N".
shutdown_and_wait() {
	local timeout=${SHUTDOWN_TIMEOUT:-20} deadline rc=0 state
	"$@" >"$SYS_T/shutdown-cmd.out" 2>&1 || true
	deadline=$(( ${EPOCHREALTIME%.*} + timeout ))
	while guest_alive; do
		if [ "${EPOCHREALTIME%.*}" -ge "$deadline" ]; then
			echo "the guest did not end within ${timeout}s" >&2
			cat "$SYS_T/shutdown-cmd.out" >&2
			return 1
		fi
		sleep 0.01
	done
	# script(1) follows its child within moments.
	while :; do
		state=$(awk '{ print $3 }' "/proc/$SCRIPT_PID/stat" 2>/dev/null) || break
		[ "$state" != Z ] || break
		if [ "${EPOCHREALTIME%.*}" -ge "$deadline" ]; then
			echo "script(1) did not end" >&2
			return 1
		fi
		sleep 0.01
	done
	wait "$SCRIPT_PID" || rc=$?
	SCRIPT_PID=
	SHUTDOWN_STATUS=$rc
	case $rc in
	129) ENDED=reboot ;;
	130) ENDED=halt ;;
	*)   ENDED=exit:$rc ;;
	esac
	NSPID=
}

# guest_kill SIGNAL: send SIGNAL to the guest's PID 1 from the host.
guest_kill() {
	guest_alive || { echo "guest_kill: no guest" >&2; return 1; }
	kill -s "$1" "$NSPID"
}

# The guest's console so far.
console() {
	tr -d '\r' <"$SYS_T/console.log" 2>/dev/null
}

# Always: end the guest, unmount, remove.  On a failed test, show the
# console and keep a copy under $UPINIT_BUILD/system-logs.  A sanitizer
# report on the console (a build with SANITIZE=1: PID 1, the tools, the
# jobs' initctl) fails the test here, even when everything else passed.
teardown_guest() {
	[ -n "${SYS_T:-}" ] || return 0
	local sanitizer=0
	if guest_alive; then
		kill -KILL "$NSPID" 2>/dev/null || true
	fi
	if [ -n "${SCRIPT_PID:-}" ]; then
		for _ in $(seq 1 200); do
			kill -0 "$SCRIPT_PID" 2>/dev/null || break
			[ "$(awk '{ print $3 }' "/proc/$SCRIPT_PID/stat" 2>/dev/null)" != Z ] || break
			sleep 0.01
		done
		wait "$SCRIPT_PID" 2>/dev/null || true
	fi
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$SYS_T/console.log" 2>/dev/null; then
		sanitizer=1
		BATS_TEST_COMPLETED=
	fi
	if [ -z "${BATS_TEST_COMPLETED:-}" ] && [ -e "$SYS_T/console.log" ]; then
		local keep=$UPINIT_BUILD/system-logs
		mkdir -p "$keep"
		cp "$SYS_T/console.log" "$keep/${BATS_TEST_NAME:-guest}.console" 2>/dev/null || true
		echo "--- guest console (last 60 lines) ---"
		tr -d '\r' <"$SYS_T/console.log" | tail -n 60
		if [ -s "$SYS_T/rw/upper/var/log/rc-trace" ]; then
			echo "--- /var/log/rc-trace ---"
			cat "$SYS_T/rw/upper/var/log/rc-trace"
		fi
	fi
	guest_cgroup_remove
	if mountpoint -q "$SYS_T/rw"; then
		umount "$SYS_T/rw" 2>/dev/null || umount -l "$SYS_T/rw" || true
	fi
	if ! mountpoint -q "$SYS_T/rw" && ! mountpoint -q "$SYS_T/root"; then
		rm -rf "$SYS_T"
	fi
	SYS_T='' NSPID='' SCRIPT_PID=''
	if [ "$sanitizer" = 1 ]; then
		echo "a sanitizer reported an error on the guest's console (above)"
		return 1
	fi
}
