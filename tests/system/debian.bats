#!/usr/bin/env bats
# A stock Debian 12 under upinit: the tree of mkdebian.sh (sysv-rc,
# initscripts, openssh-server, cron, rsyslog, mariadb, nginx-light, dbus,
# built once and kept in /var/cache/upinit) with the package of `make deb`
# installed over it by dpkg -i (mkdebian-layer.sh), booted with upinit as
# PID 1 of fresh namespaces on a throwaway overlay.  Debian's own init.d
# scripts run untouched.
#
# The read-only checks share one boot (setup_file); every test that
# changes the system boots its own.  Needs root, debootstrap and the
# Debian mirror of this machine's apt configuration (for the first build
# of the tree).  Skipped in the sanitizer pass: the package is built
# without sanitizers, and the plain pass runs these already.

load helpers

DEBIAN_MARKER=/run/upinit-test/booted

# Variables for helpers.bash's boot: the Debian tree and its upinit layer.
debian_env() {
	export UPINIT_ROOTFS=$DEBIAN_ROOTFS UPINIT_LAYERS=$DEBIAN_LAYER
	export UPINIT_RW_SIZE=1g BOOT_MARKER=$DEBIAN_MARKER BOOT_TIMEOUT=90
	export SHUTDOWN_TIMEOUT=60
}

setup_file() {
	[ "${SANITIZE:-}" != 1 ] || return 0
	[ "$(id -u)" = 0 ] || return 0
	command -v debootstrap >/dev/null || return 0
	export DEBIAN_ROOTFS DEBIAN_DEB DEBIAN_LAYER
	DEBIAN_ROOTFS=$("$SYS_DIR/mkdebian.sh") || return 1
	DEBIAN_DEB=$(BUILD=$UPINIT_BUILD "$SYS_REPO/scripts/mkdeb") || return 1
	DEBIAN_LAYER=$("$SYS_DIR/mkdebian-layer.sh" "$DEBIAN_ROOTFS" "$DEBIAN_DEB" \
		"$UPINIT_BUILD/debian-layer") || return 1
	# The shared boot for the read-only tests.
	debian_env
	SYS_T=
	boot || { teardown_guest; return 1; }
	export SHARED_T=$SYS_T SHARED_NSPID=$NSPID SHARED_SCRIPT_PID=$SCRIPT_PID
}

teardown_file() {
	[ -n "${SHARED_T:-}" ] || return 0
	SYS_T=$SHARED_T NSPID=$SHARED_NSPID SCRIPT_PID=$SHARED_SCRIPT_PID
	BATS_TEST_COMPLETED=1 teardown_guest
}

setup() {
	[ "${SANITIZE:-}" != 1 ] || skip "sanitizer pass: the Debian boots run in the plain pass"
	[ "$(id -u)" = 0 ] || skip "needs root"
	command -v debootstrap >/dev/null || skip "no debootstrap"
	[ -n "${DEBIAN_LAYER:-}" ] || skip "no Debian tree"
	debian_env
	SYS_T=
}

teardown() {
	teardown_guest
}

# Use the boot of setup_file (the guest is not torn down by this test).
use_shared_boot() {
	[ -n "${SHARED_T:-}" ] || skip "the shared boot failed"
	SYS_T=$SHARED_T NSPID=$SHARED_NSPID
	guest_alive || { SYS_T=; echo "the shared guest is gone" >&2; return 1; }
	# teardown() must leave it to teardown_file.
	SYS_T=
	SHARED=1
}

# Commands inside the shared guest.
sexec() {
	NSPID=$SHARED_NSPID guest_exec "$@"
}

# Names of the scripts linked as S in /etc/rcN.d of the tree.
s_scripts() {
	local l
	for l in "$DEBIAN_ROOTFS/etc/rc$1.d"/S[0-9][0-9]*; do
		l=${l##*/}
		echo "${l#S[0-9][0-9]}"
	done
}

# pid of the oldest process named NAME in the guest of $NSPID.
gpid() {
	guest_exec pgrep -o -x "$1"
}

# pid_changed NAME OLDPID: a process NAME runs, and it is not OLDPID.
pid_changed() {
	local now
	now=$(gpid "$1") && [ "$now" != "$2" ]
}

# --- the boot --------------------------------------------------------------

@test "debian: every S script of rcS.d and rc2.d ran and exited 0, under upinit as PID 1" {
	use_shared_boot
	local trace=/proc/$SHARED_NSPID/root/run/upinit-test/rc-trace name missing=0
	[ -s "$trace" ]
	sexec cat /proc/1/cmdline | tr '\0' ' ' | grep -qx '/sbin/init '
	sexec initctl version | grep -q upinit
	# Scripts that source neither init-functions nor /lib/init/vars.sh
	# leave no trace line; they are few, and named here.
	for name in $(s_scripts S) $(s_scripts 2); do
		case $name in
		mount-configfs|procps|upinit-marker) continue ;;
		esac
		if ! grep -qx "$name start 0" "$trace"; then
			echo "no '$name start 0' in the trace" >&2
			missing=1
		fi
	done
	if grep -v ' 0$' "$trace"; then
		echo "(scripts above exited non-zero)" >&2
		missing=1
	fi
	[ "$missing" = 0 ] || { cat "$trace" >&2; return 1; }
	# sysv-rc's rc finished runlevel 2 (after the marker it started)
	# without an error, and startpar reported no failure.
	NSPID=$SHARED_NSPID wait_status rc 'rc stop/waiting'
	! console | grep -E 'rc main process|returned failure'
}

@test "debian: sshd, cron, rsyslogd, mariadbd, nginx and dbus are running" {
	use_shared_boot
	local p
	for p in sshd cron rsyslogd mariadbd nginx dbus-daemon; do
		NSPID=$SHARED_NSPID gpid "$p" >/dev/null || { echo "$p is not running" >&2; sexec ps -e >&2; return 1; }
	done
}

@test "debian: runlevel prints N 2; who -r, who -b and last -x show the boot" {
	use_shared_boot
	run sexec runlevel
	[ "$status" -eq 0 ]
	[ "$output" = "N 2" ]
	run sexec /sbin/runlevel
	[ "$output" = "N 2" ]
	run sexec who -r
	[[ $output =~ ^\ +run-level\ 2\ .*last=S$ ]] || { echo "who -r: $output" >&2; return 1; }
	run sexec who -b
	[[ $output =~ ^\ +system\ boot\  ]] || { echo "who -b: $output" >&2; return 1; }
	run sexec last -x
	echo "$output" | grep -qE '^reboot +system boot '
	echo "$output" | grep -qE '^runlevel +\(to lvl 2\) '
}

@test "debian: initctl list shows the jobs, in Upstart's format" {
	use_shared_boot
	run sexec initctl list
	[ "$status" -eq 0 ]
	echo "$output" | grep -qx 'rc-sysinit stop/waiting'
	echo "$output" | grep -qx 'rc stop/waiting'
	echo "$output" | grep -qx 'rcS stop/waiting'
	echo "$output" | grep -qx 'control-alt-delete stop/waiting'
	echo "$output" | grep -qE '^inittab/T0 start/running, process [0-9]+$'
	# In a container only the console getty runs; tty1-6 stand aside.
	echo "$output" | grep -qE '^console start/running, process [0-9]+$'
	echo "$output" | grep -qx 'tty1 stop/waiting'
	# /etc/init.d/sendsigs spares these pids: they must be real.
	local pid
	pid=$(echo "$output" | sed -n 's|^inittab/T0 start/running, process ||p')
	[ "$(sexec cat /proc/"$pid"/comm)" = sleep ]
}

@test "debian: the console shows no error from upinit" {
	use_shared_boot
	! console | grep -E 'init: .*(failed|error|killed by (SEGV|ABRT))' | grep -v 'rc-sysinit main process killed by TERM'
}

# --- services, through Debian's own tools ------------------------------------

@test "debian: service cron restart, invoke-rc.d rsyslog restart and /etc/init.d/ssh restart" {
	boot
	local cron rsys sshd
	cron=$(gpid cron) rsys=$(gpid rsyslogd) sshd=$(gpid sshd)
	run guest_exec service cron restart
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	run guest_exec invoke-rc.d rsyslog restart
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	run guest_exec /etc/init.d/ssh restart
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	wait_for 10 "a new cron" pid_changed cron "$cron"
	wait_for 10 "a new rsyslogd" pid_changed rsyslogd "$rsys"
	wait_for 10 "a new sshd" pid_changed sshd "$sshd"
	run guest_exec service cron status
	[ "$status" -eq 0 ]
}
