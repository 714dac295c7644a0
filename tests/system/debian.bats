#!/usr/bin/env bats
# A stock Debian under upinit: the tree of mkdebian.sh (sysv-rc,
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
#
# One release per run: UPINIT_DEBIAN_SUITE=trixie (Debian 13, the
# default) or bookworm (Debian 12); tests/run runs the file for both.
# Test names carry the release.

load helpers

case ${UPINIT_DEBIAN_SUITE:-trixie} in
bookworm|12) DEBIAN_NAME="debian 12" ;;
*) DEBIAN_NAME="debian 13" ;;
esac

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
	debian_tree || return 1
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

# The shared guest's console (use_shared_boot leaves SYS_T empty, and
# console() reads $SYS_T/console.log).
shared_console() {
	SYS_T=$SHARED_T console
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

# pid of the oldest process named NAME in the guest of $NSPID (a short
# time limit: polls may meet killall5's stop of every process).
gpid() {
	GUEST_EXEC_TIMEOUT=10 guest_exec pgrep -o -x "$1"
}

# No process NAME: pgrep said so (status 1), not a time-out.
no_gpid() {
	local rc=0 out
	out=$(gpid "$1") || rc=$?
	[ "$rc" = 1 ] || { echo "pgrep -x $1: status $rc, '$out'" >&2; return 1; }
}

# pid_changed NAME OLDPID: a process NAME runs, and it is not OLDPID.
pid_changed() {
	local now
	now=$(gpid "$1") && [ "$now" != "$2" ]
}

# --- the scripts' order ----------------------------------------------------

@test "$DEBIAN_NAME: the order upinit makes from the LSB headers is insserv's (.depend.boot, .start, .stop)" {
	# No boot needed: the base tree's scripts, insserv.conf and the
	# .depend files insserv wrote when the packages were installed.
	run "$UPINIT_BUILD/tests/rc-compare" "$DEBIAN_ROOTFS/etc"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	for mode in boot start stop; do
		[[ "$output" == *"$mode: "*" scripts in .depend.$mode, 0 differences"* ]]
	done
}

# --- the boot --------------------------------------------------------------

@test "$DEBIAN_NAME: every S script of rcS.d and rc2.d ran and exited 0, under upinit as PID 1" {
	use_shared_boot
	local trace=/proc/$SHARED_NSPID/root/run/upinit-test/rc-trace name missing=0
	[ -s "$trace" ]
	sexec cat /proc/1/cmdline | tr '\0' ' ' | grep -qx '/sbin/init '
	sexec initctl version | grep -q upinit
	# Scripts that source neither init-functions nor /lib/init/vars.sh
	# leave no trace line; they are few, and named here.  Debian 13's
	# initscripts adds hwclock.sh, udev and kmod, which exit 0 before
	# sourcing anything when their program (hwclock, udevd, modprobe) is
	# not installed, as in this tree.
	for name in $(s_scripts S) $(s_scripts 2); do
		case $name in
		mount-configfs|procps|upinit-marker) continue ;;
		hwclock.sh|udev|kmod) continue ;;
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
	# The rc job finished runlevel 2 (after the marker it started)
	# without an error, and the runner reported no failure.
	NSPID=$SHARED_NSPID wait_status rc 'rc stop/waiting'
	refute grep -E 'rc main process|returned failure' <(shared_console)
	# By default upinit's runner runs the scripts, as jobs: sysv-rc's rc
	# would have said this.
	refute grep -q 'makefile-style concurrent boot' <(shared_console)
	grep -qx 'Using upinit-rc concurrent boot in runlevel S.' <(shared_console | tr -d '\r')
	grep -qx 'Using upinit-rc concurrent boot in runlevel 2.' <(shared_console | tr -d '\r')
	sexec initctl status sysv/ssh | grep -qx 'sysv/ssh start/running'
}

@test "$DEBIAN_NAME: every script of the boot is a job sysv/NAME, start/running once its start exited 0, with its log" {
	use_shared_boot
	local name list
	list=$(sexec initctl list)
	for name in $(s_scripts S) $(s_scripts 2); do
		echo "$list" | grep -qx "sysv/$name start/running" ||
			{ echo "sysv/$name is not start/running:" >&2; echo "$list" | grep "^sysv/$name " >&2; return 1; }
		grep -qE "^/etc/rc[S2].d/S[0-9]{2}$name start: exit status 0 after " \
			"/proc/$SHARED_NSPID/root/var/log/upstart/sysv-$name.log" ||
			{ echo "no log of $name's start" >&2; return 1; }
	done
	# Scripts of other levels only are jobs too, at rest.
	echo "$list" | grep -qx 'sysv/halt stop/waiting'
	echo "$list" | grep -qx 'sysv/sendsigs stop/waiting'
	run sexec initctl status sysv/ssh
	[ "$output" = "sysv/ssh start/running" ]
	sexec initctl show-config sysv/ssh | grep -q 'sysv/ssh'
}

@test "$DEBIAN_NAME: stop and start sysv/ssh run the script; service, invoke-rc.d and /etc/init.d keep the job true; started sysv/ssh starts a native job" {
	boot
	local sshd
	sshd=$(gpid sshd)
	cat >"$(guest_path /etc/init/after-ssh.conf)" <<-'EOF'
		start on started sysv/ssh
		task
		exec sh -c 'echo "$JOB" >>/run/after-ssh'
	EOF
	wait_status after-ssh 'after-ssh stop/waiting'

	run guest_exec initctl stop sysv/ssh
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	[ "$output" = "sysv/ssh stop/waiting" ]
	wait_for 10 "sshd gone" no_gpid sshd
	grep -q '^/etc/init.d/ssh stop: exit status 0 after ' "$(guest_path /var/log/upstart/sysv-ssh.log)"

	run guest_exec initctl start sysv/ssh
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	[ "$output" = "sysv/ssh start/running" ]
	wait_for 10 "sshd back" gpid sshd
	wait_guest_file /run/after-ssh
	# The job got the event's variables.
	[ "$(guest_exec cat /run/after-ssh)" = sysv/ssh ]

	# By hand, the Debian ways: the job follows, the script's words show.
	run guest_exec service ssh stop
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	[[ $output == *"Stopping OpenBSD Secure Shell server: sshd"* ]]
	[ "$(guest_exec initctl status sysv/ssh)" = "sysv/ssh stop/waiting" ]
	no_gpid sshd
	run guest_exec /etc/init.d/ssh start
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	[[ $output == *"Starting OpenBSD Secure Shell server: sshd"* ]]
	[ "$(guest_exec initctl status sysv/ssh)" = "sysv/ssh start/running" ]
	gpid sshd
	run guest_exec invoke-rc.d ssh restart
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	[ "$(guest_exec initctl status sysv/ssh)" = "sysv/ssh start/running" ]
	# Started by initctl, by the script by hand and by the restart.
	[ "$(wc -l <"$(guest_path /run/after-ssh)")" -ge 3 ]
	# A script's failure is the job's: its status, and stop/waiting
	# (ssh's own script exits 0 even when sshd fails: a script of ours).
	cat >"$(guest_path /etc/init.d/broken)" <<-'EOF'
		#!/bin/sh
		### BEGIN INIT INFO
		# Provides: broken
		# Default-Start: 2
		# Default-Stop:
		### END INIT INFO
		. /lib/lsb/init-functions
		echo "broken $1"
		[ "$1" = stop ] || exit 3
	EOF
	chmod 755 "$(guest_path /etc/init.d/broken)"
	guest_exec ln -s ../init.d/broken /etc/rc2.d/S01broken
	guest_exec initctl reload-configuration
	[ "$(guest_exec initctl status sysv/broken)" = "sysv/broken stop/waiting" ]
	run guest_exec service broken start
	[ "$status" -eq 3 ] || { echo "status $status: $output" >&2; return 1; }
	[ "$output" = "broken start" ]
	[ "$(guest_exec initctl status sysv/broken)" = "sysv/broken stop/waiting" ]
}

# check_order ROOT DEPEND: every script with a log under ROOT's
# /var/log/upstart started after every script DEPEND (a .depend file)
# says it comes after had ended, by the times upinit-rc logged.
check_order() {
	local root=$1 depend=$2
	awk -v logs="$root/var/log/upstart" '
	function times(name,   f, line, t) {
		f = logs "/sysv-" name ".log"
		t = ""
		while ((getline line < f) > 0)
			if (match(line, /\(from [0-9.]+ to [0-9.]+ s since boot\)$/))
				t = substr(line, RSTART + 6, RLENGTH - 20)
		close(f)
		return t
	}
	/^[^ ]+:/ && $1 != "TARGETS" && $1 != "INTERACTIVE" {
		x = substr($1, 1, length($1) - 1)
		tx = times(x)
		if (tx == "") next
		split(tx, a, " to ")
		for (i = 2; i <= NF; i++) {
			ty = times($i)
			if (ty == "") continue
			split(ty, b, " to ")
			checked++
			if (a[1] + 0 < b[2] + 0) {
				printf "%s started at %s, before %s ended at %s\n", x, a[1], $i, b[2]
				bad++
			}
		}
	}
	END { printf "%d orderings checked\n", checked; exit bad ? 1 : (checked ? 0 : 2) }
	' "$depend"
}

@test "$DEBIAN_NAME: RC=native: upinit's runner runs the boot, each script logged, none before what .depend puts first had ended; local-filesystems comes during rcS" {
	guest_write /etc/default/upinit <<<"RC=native"
	guest_write /etc/init/during-rcs.conf <<-'EOF'
		start on local-filesystems
		task
		exec sh -c 'cut -d" " -f1 /proc/uptime >/run/local-fs-at'
	EOF
	boot
	local root=/proc/$NSPID/root name
	# sysv-rc's rc would have said so; upinit-rc ran instead.
	refute grep -q 'makefile-style concurrent boot' <(console)
	for name in $(s_scripts S) $(s_scripts 2); do
		case $name in mount-configfs|procps|upinit-marker|hwclock.sh|udev|kmod) continue ;; esac
		disk_trace | grep -qx "$name start 0" || { echo "no '$name start 0'" >&2; return 1; }
	done
	for name in $(s_scripts S) $(s_scripts 2); do
		grep -q "^TARGETS = .*\b$name\b" "$DEBIAN_ROOTFS/etc/init.d/.depend.boot" \
			"$DEBIAN_ROOTFS/etc/init.d/.depend.start" || continue
		grep -qE "/etc/rc[S2].d/S[0-9]{2}$name start: exit status 0 after " \
			"$root/var/log/upstart/sysv-$name.log" ||
			{ echo "no log of $name's start" >&2; return 1; }
	done
	run check_order "$root" "$DEBIAN_ROOTFS/etc/init.d/.depend.boot"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	run check_order "$root" "$DEBIAN_ROOTFS/etc/init.d/.depend.start"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	# A native job on local-filesystems ran before the last rcS script
	# had ended (the runner emitted it once $local_fs's scripts had).
	local at last=0 end
	at=$(cat "$root/run/local-fs-at")
	for name in $(s_scripts S); do
		end=$(sed -n 's/.* to \([0-9.]*\) s since boot)$/\1/p' \
			"$root/var/log/upstart/sysv-$name.log" 2>/dev/null | tail -n 1)
		[ -z "$end" ] || last=$(awk -v a="$last" -v b="$end" 'BEGIN { print (b > a) ? b : a }')
	done
	echo "local-filesystems job at $at s, last rcS script ended at $last s" >&2
	awk -v a="$at" -v b="$last" 'BEGIN { exit !(a + 0 < b + 0) }'
	grep -qx local-filesystems "$root/run/upinit/rcS.emitted"
}

@test "$DEBIAN_NAME: RC=debian: sysv-rc's rc and startpar run the scripts as before, and there are no sysv/NAME jobs" {
	guest_write /etc/default/upinit <<<"RC=debian"
	boot
	local p
	grep -q 'Using makefile-style concurrent boot in runlevel 2' <(console)
	wait_status rc 'rc stop/waiting'
	for p in sshd cron nginx mariadbd; do
		wait_for 20 "$p" gpid "$p" >/dev/null
	done
	run guest_exec initctl list
	[ "$status" -eq 0 ]
	refute grep -q '^sysv/' <<<"$output"
	grep -qx 'ssh start 0' "$(guest_path /run/upinit-test/rc-trace)"
	# The runner did not run: rc-sysinit emitted the boot events after
	# rcS, but for those ifupdown's hook had sent during rcS (from the
	# networking script); each came once.
	local emitted
	emitted=$(guest_path /run/upinit/rcS.emitted)
	[ "$(grep -cx 'local-filesystems' "$emitted")" = 1 ]
	[ "$(grep -cx 'static-network-up' "$emitted")" = 1 ]
	[ "$(count_events 'local-filesystems')" = 1 ]
	[ "$(count_events 'static-network-up')" = 1 ]
	[ "$(count_events 'net-device-up IFACE=lo LOGICAL=lo ADDRFAM=inet METHOD=loopback')" = 1 ]
	[ "$(count_events 'net-device-up IFACE=lo( .*)?')" = 1 ]
}

@test "$DEBIAN_NAME: sshd, cron, rsyslogd, mariadbd, nginx and dbus are running" {
	use_shared_boot
	local p
	for p in sshd cron rsyslogd mariadbd nginx dbus-daemon; do
		NSPID=$SHARED_NSPID gpid "$p" >/dev/null || { echo "$p is not running" >&2; sexec ps -e >&2; return 1; }
	done
}

@test "$DEBIAN_NAME: every SysV daemon lives in its script's cgroup, listed by initctl status -v" {
	use_shared_boot
	local name pid p
	for name in cron:cron ssh:sshd nginx:nginx rsyslog:rsyslogd; do
		p=${name#*:} name=${name%%:*}
		pid=$(NSPID=$SHARED_NSPID gpid "$p")
		run sexec initctl status -v "sysv/$name"
		[ "$status" -eq 0 ]
		[ "${lines[0]}" = "sysv/$name start/running" ]
		[ "${lines[1]}" = "	cgroup /upinit/sysv\\x2f$name" ] ||
			{ echo "$output" >&2; return 1; }
		[[ "$output" == *"	process $pid "* ]] ||
			{ echo "$p ($pid) not listed: $output" >&2; return 1; }
		# As the kernel has it (read from outside the guest's cgroup
		# namespace: the path of its subtree comes first).
		sexec cat "/proc/$pid/cgroup" | grep -q "^0::/.*/upinit/sysv\\\\x2f$name\$" ||
			{ sexec cat "/proc/$pid/cgroup" >&2; return 1; }
	done
	# nginx's workers too: every process of the daemon, not only the
	# one its pidfile names.
	[ "$(sexec initctl status -v sysv/nginx | grep -c 'process .*nginx: worker')" -ge 1 ]
}

@test "$DEBIAN_NAME: stop sysv/NAME kills the child a script's stop missed" {
	boot
	cat >"$(guest_path /etc/init.d/leaky)" <<'EOF'
#!/bin/sh
### BEGIN INIT INFO
# Provides:          leaky
# Required-Start:    $remote_fs
# Required-Stop:     $remote_fs
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
# Short-Description: a daemon whose stop misses its child
### END INIT INFO
case "$1" in
start)
	setsid sh -c 'sleep 1001 & echo $! >/run/leaky.child; exec sleep 1000' </dev/null >/dev/null 2>&1 &
	echo $! >/run/leaky.pid
	;;
stop)
	kill "$(cat /run/leaky.pid)"
	;;
esac
exit 0
EOF
	chmod 755 "$(guest_path /etc/init.d/leaky)"
	guest_exec ln -s ../init.d/leaky /etc/rc2.d/S02leaky
	guest_exec initctl reload-configuration
	run guest_exec initctl start sysv/leaky
	[ "$output" = "sysv/leaky start/running" ] || { echo "$output" >&2; return 1; }
	wait_guest_file /run/leaky.child
	child=$(guest_exec cat /run/leaky.child)
	daemon=$(guest_exec cat /run/leaky.pid)
	run guest_exec initctl status -v sysv/leaky
	[[ "$output" == *"	process $daemon sleep 1000"* ]]
	[[ "$output" == *"	process $child sleep 1001"* ]]
	run guest_exec initctl stop sysv/leaky
	[ "$output" = "sysv/leaky stop/waiting" ]
	run guest_exec kill -0 "$child"
	[ "$status" -ne 0 ]
	run guest_exec pgrep -x -f "sleep 1001"
	[ "$status" -eq 1 ]
}

@test "$DEBIAN_NAME: runlevel prints N 2; who -r, who -b and last -x show the boot" {
	use_shared_boot
	run sexec runlevel
	[ "$status" -eq 0 ]
	[ "$output" = "N 2" ]
	run sexec /sbin/runlevel
	[ "$output" = "N 2" ]
	# Debian 13's who reads logind's sessions, not utmp, unless it is
	# given the file (under sysvinit too: plain `who -r` prints nothing
	# there); Debian 12's reads utmp either way.
	run sexec who -r /run/utmp
	[[ $output =~ ^\ +run-level\ 2\ .*last=S$ ]] || { echo "who -r: $output" >&2; return 1; }
	if [ "$DEBIAN_NAME" = "debian 12" ]; then
		run sexec who -r
		[[ $output =~ ^\ +run-level\ 2\ .*last=S$ ]] || { echo "who -r: $output" >&2; return 1; }
	fi
	run sexec who -b
	[[ $output =~ ^\ +system\ boot\  ]] || { echo "who -b: $output" >&2; return 1; }
	# Debian 13 has no `last` (it moved to wtmpdb): read its wtmp with ours.
	if sexec sh -c 'command -v last' >/dev/null; then
		run sexec last -x
	else
		run last -x -f "/proc/$SHARED_NSPID/root/var/log/wtmp"
	fi
	echo "$output" | grep -qE '^reboot +system boot '
	echo "$output" | grep -qE '^runlevel +\(to lvl 2\) '
}

@test "$DEBIAN_NAME: initctl list shows the jobs, in Upstart's format" {
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

@test "$DEBIAN_NAME: initctl why sysv/cron goes back through the rc runner and runlevel 2 to startup" {
	use_shared_boot
	run sexec initctl why sysv/cron
	[ "$status" -eq 0 ]
	echo "$output"
	[ "${lines[0]}" = "sysv/cron start/running" ]
	# Started by the rc runner, a process of the rc job...
	[[ "${lines[1]}" == *"] sysv/cron: goal start -- by command \""*"(of job rc)\" (pid "*", uid 0)" ]]
	[[ "${lines[2]}" == *"]   rc: goal start" ]]
	# ... which runlevel 2 started, which telinit asked for from rc-sysinit ...
	[[ "$output" == *"event runlevel RUNLEVEL=2 PREVLEVEL=N"* ]]
	[[ "$output" == *"rc-sysinit: goal start"* ]]
	# ... and the chain ends where the boot began.
	[[ "${lines[-1]}" == *"event startup -- by init" ]]
	run sexec initctl history sysv/cron
	[[ "$output" == *" sysv/cron: running"* ]]
}

@test "$DEBIAN_NAME: initctl timeline: the boot's jobs and SysV scripts, runlevel 2 reached, a critical chain; its SVG in Chromium" {
	use_shared_boot
	local doc=$BATS_TEST_TMPDIR/timeline.json
	sexec initctl timeline --json >"$doc"
	python3 - "$doc" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
b, jobs = d["boot"], {j["job"]: j for j in d["jobs"]}
assert b["runlevel"] == "2" and b["reached"] > 0, b
# Every job and script of the boot, with its times in order.
for name in ("rc-sysinit", "rc", "sysv/cron", "sysv/ssh", "sysv/rsyslog"):
    j = jobs[name]
    assert j["goal"] <= j["starting"] <= (j["running"] or 1e9), j
assert sum(1 for j in d["jobs"] if j["sysv"]) >= 10, len(d["jobs"])
assert jobs["sysv/cron"]["running"] is not None and jobs["sysv/cron"]["sysv"]
assert jobs["rc"]["task"] and jobs["rc"]["result"] == "ok"
# The critical chain runs forward in time from rc-sysinit through the
# scripts of rcS and rc 2 and ends by the time the runlevel was reached.
chain = [next(j for j in d["jobs"] if j["id"] == i) for i in d["critical_chain"]]
names = [j["job"] for j in chain]
assert len(chain) >= 5 and names[0] == "rc-sysinit" and "rc" in names, names
assert sum(1 for j in chain if j["sysv"]) >= 3, names
at = [j["critical_at"] for j in chain]
assert all(a <= b + 0.001 for a, b in zip(at, at[1:])), list(zip(names, at))
assert at[-1] <= b["reached"] + 0.001, (at, b)
assert all(j["critical"] for j in chain)
assert any(e["name"] == "runlevel" for e in d["events"])
PY
	run sexec initctl timeline
	[[ "${lines[0]}" == "init started "*"; runlevel 2 reached "*" s later" ]]
	[[ "$output" == *"critical chain:"* ]]
	echo "$output" >"$BATS_TEST_TMPDIR/timeline.txt"
	# The picture, in a real browser.
	. "$BATS_TEST_DIRNAME/../cli/helpers_svg.bash"
	find_chromium
	"$UPINIT_BUILD/initctl" timeline --svg --input "$doc" >"$BATS_TEST_TMPDIR/boot.svg"
	shoot "$BATS_TEST_TMPDIR/boot.svg" "$BATS_TEST_TMPDIR/boot.png"
	run check_picture "$BATS_TEST_TMPDIR/boot.png" "$doc" real
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "$DEBIAN_NAME: the console shows no error from upinit" {
	use_shared_boot
	[ -s "$SHARED_T/console.log" ]
	refute grep -E 'init: .*(failed|error|killed by (SEGV|ABRT))' <(shared_console)
}

# --- ifupdown's hooks: interfaces as Upstart's network events -----------------

# The events of the guest's history (its last 1024 records), one a line:
# "NAME VAR=VALUE... -- by CAUSE".
guest_events() {
	guest_exec initctl history | sed -n 's/^\[[^]]*\] [^#]*#[0-9]* *event //p'
}

# count_events ERE: how many events of the history match ERE (the name and
# variables, without the cause) as a whole.
count_events() {
	guest_events | sed 's/ -- by .*//' | grep -cxE "$1" || true
}

# wait_events N ERE: until exactly N events of the history match ERE
# (emitted with --no-wait, they may come a moment after the command).
wait_events() {
	local n
	for _ in $(seq 1 250); do
		n=$(count_events "$2")
		[ "$n" != "$1" ] || return 0
		sleep 0.02
	done
	echo "$n events match '$2', wanted $1:" >&2
	guest_events | grep -E 'net-device|static-network' >&2
	return 1
}

# The guest's /etc/network/interfaces: lo, then stdin.
guest_interfaces() {
	guest_write /etc/network/interfaces < <(printf 'auto lo\niface lo inet loopback\n\n'; cat)
}

@test "$DEBIAN_NAME: ifupdown hooks: the boot's ifup -a sends net-device-up for lo and each auto interface, then static-network-up; once each a boot, not again from the runner or rc-sysinit" {
	# An auto interface that exists once its pre-up has made it: the
	# hook must wait for it before static-network-up.
	guest_interfaces <<-'EOF'
		auto veth0
		iface veth0 inet static
		    address 10.77.0.1/24
		    pre-up ip link add veth0 type veth peer name veth1
		    post-down ip link del veth0 || true
	EOF
	guest_write /etc/init/lo-up.conf <<-'EOF'
		start on net-device-up IFACE=lo
		task
		exec sh -c 'echo "$IFACE $LOGICAL $ADDRFAM $METHOD" >>/run/lo-up'
	EOF
	guest_write /etc/init/static-up.conf <<-'EOF'
		start on static-network-up
		task
		exec sh -c 'echo static >>/run/static-up'
	EOF
	local n ev veth_at static_at
	for n in 1 2; do
		if [ "$n" = 2 ]; then
			shutdown_and_wait guest_exec shutdown -r now
			[ "$ENDED" = reboot ]
		fi
		boot
		wait_events 1 'net-device-up IFACE=lo LOGICAL=lo ADDRFAM=inet METHOD=loopback'
		# The runner's and rc-sysinit's bare net-device-up IFACE=lo: none.
		wait_events 1 'net-device-up IFACE=lo( .*)?'
		wait_events 1 'net-device-up IFACE=veth0 LOGICAL=veth0 ADDRFAM=inet METHOD=static'
		wait_events 1 'static-network-up'
		# Sent by the hook, in the networking script's ifup -a, once
		# veth0 was up too.
		ev=$(guest_events)
		grep -qE '^static-network-up -- by command "/sbin/initctl emit --no-wait static-network-up \(of job sysv/networking\)"' <<<"$ev"
		grep -qE '^net-device-up IFACE=lo LOGICAL=lo ADDRFAM=inet METHOD=loopback -- by command "/sbin/initctl emit --no-wait .*\(of job sysv/networking\)"' <<<"$ev"
		veth_at=$(grep -n '^net-device-up IFACE=veth0 ' <<<"$ev" | cut -d: -f1)
		static_at=$(grep -n '^static-network-up ' <<<"$ev" | cut -d: -f1)
		[ "$veth_at" -lt "$static_at" ]
		# Each listed once where the runner and rc-sysinit look.
		[ "$(grep -cx 'net-device-up IFACE=lo' "$(guest_path /run/upinit/rcS.emitted)")" = 1 ]
		[ "$(grep -cx 'static-network-up' "$(guest_path /run/upinit/rcS.emitted)")" = 1 ]
		# The jobs ran once, with ifupdown's variables.
		[ "$(cat "$(guest_path /run/lo-up)")" = "lo lo inet loopback" ]
		[ "$(cat "$(guest_path /run/static-up)")" = static ]
		guest_exec ip -4 addr show dev veth0 | grep -q 'inet 10.77.0.1/24'
	done
}

@test "$DEBIAN_NAME: ifupdown hooks: ifup veth0 sends net-device-up IFACE=veth0 ..., ifdown net-device-down; a static-network-up the runner or rc-sysinit sent first is not sent again" {
	# veth0 is auto but missing at boot: ifup -a fails for it, the hook
	# does not send static-network-up, the rc runner does once the
	# networking script has ended ($network), or rc-sysinit after rcS.
	guest_interfaces <<-'EOF'
		auto veth0
		iface veth0 inet static
		    address 10.78.0.1/24
	EOF
	local rc ev
	for rc in native debian; do
		if [ "$rc" = debian ]; then
			# On the disk while the guest is down (switching RC= under a
			# running system makes the reboot's rc 6 sysv-rc's, which
			# hangs it).
			shutdown_and_wait guest_exec shutdown -r now
			[ "$ENDED" = reboot ]
			guest_write /etc/default/upinit <<<"RC=debian"
		fi
		boot
		wait_events 1 'static-network-up'
		ev=$(guest_events)
		if [ "$rc" = native ]; then
			grep -qE '^static-network-up -- by command "/lib/init/upinit-rc --emitted /run/upinit/rcS.emitted S \(of job rc-sysinit\)"' <<<"$ev"
		else
			grep -qE '^static-network-up -- by command "initctl emit --no-wait static-network-up \(of job rc-sysinit\)"' <<<"$ev"
		fi
		guest_exec ip link add veth0 type veth peer name veth1
		run guest_exec ifup veth0
		[ "$status" -eq 0 ] && [ -z "$output" ] || { echo "ifup: $status, '$output'" >&2; return 1; }
		guest_exec ip -4 addr show dev veth0 | grep -q 'inet 10.78.0.1/24'
		[ "$(count_events 'net-device-up IFACE=veth0 LOGICAL=veth0 ADDRFAM=inet METHOD=static')" = 1 ]
		run guest_exec ifdown veth0
		[ "$status" -eq 0 ] && [ -z "$output" ] || { echo "ifdown: $status, '$output'" >&2; return 1; }
		[ "$(count_events 'net-device-down IFACE=veth0 LOGICAL=veth0 ADDRFAM=inet METHOD=static')" = 1 ]
		# Up again: its event again.  Every auto interface is up now,
		# but static-network-up was sent for this boot already.
		guest_exec ifup veth0
		[ "$(count_events 'net-device-up IFACE=veth0 LOGICAL=veth0 ADDRFAM=inet METHOD=static')" = 2 ]
		[ "$(count_events 'static-network-up')" = 1 ]
		[ "$(grep -cx 'static-network-up' "$(guest_path /run/upinit/rcS.emitted)")" = 1 ]
	done
	# lo: its down is sent; its up counts once a boot, as on Ubuntu.
	guest_exec ifdown lo
	[ "$(count_events 'net-device-down IFACE=lo LOGICAL=lo ADDRFAM=inet METHOD=loopback')" = 1 ]
	guest_exec ifup lo
	[ "$(count_events 'net-device-up IFACE=lo( .*)?')" = 1 ]
}

# wait_interface_job IFACE STATUS: until `initctl status network-interface
# INTERFACE=IFACE` says STATUS (stdout and stderr).
wait_interface_job() {
	local out
	for _ in $(seq 1 250); do
		out=$(GUEST_EXEC_TIMEOUT=5 guest_exec initctl status network-interface "INTERFACE=$1" 2>&1) || true
		[ "$out" != "$2" ] || return 0
		sleep 0.02
	done
	echo "network-interface ($1): '$out', wanted '$2'" >&2
	guest_events | grep -E 'net-device|network-interface' >&2
	return 1
}

@test "$DEBIAN_NAME: ifupdown hooks: a new veth0 -> net-device-added (kernel) -> Ubuntu's network-interface job -> ifup -> net-device-up IFACE=veth0; deleted, down" {
	guest_interfaces <<-'EOF'
		allow-hotplug veth0
		iface veth0 inet static
		    address 10.79.0.1/24
	EOF
	guest_write /etc/init/network-interface.conf <"$SYS_REPO/tests/data/network-interface.conf"
	boot
	guest_exec ip link add veth0 type veth peer name veth1
	wait_interface_job veth0 'network-interface (veth0) start/running'
	wait_events 1 'net-device-up IFACE=veth0 LOGICAL=veth0 ADDRFAM=inet METHOD=static'
	guest_exec ip -4 addr show dev veth0 | grep -q 'inet 10.79.0.1/24'
	# The chain: the kernel's uevent, the job's instance, its ifup, the hook.
	local ev
	ev=$(guest_events)
	grep -qE '^net-device-added .*INTERFACE=veth0( .*)? -- kernel uevent' <<<"$ev"
	grep -qE '^net-device-up IFACE=veth0 .* -- by command "/sbin/initctl emit --no-wait net-device-up IFACE=veth0 .*\(of job network-interface \(veth0\)\)"' <<<"$ev"
	run guest_exec initctl why network-interface veth0
	echo "$output"
	[ "${lines[0]}" = "network-interface (veth0) start/running" ]
	[[ "${lines[1]}" == *"] network-interface (veth0): goal start" ]]
	[[ "${lines[2]}" == *"]   event net-device-added "*" INTERFACE=veth0 "*"-- kernel uevent" ]]
	# veth1, its peer, has no stanza: its instance's ifup brings nothing
	# up.
	refute grep -qE '^net-device-up IFACE=veth1' <<<"$ev"
	# Deleted: net-device-removed stops the instance, whose post-stop
	# ifdown runs the down hook.
	guest_exec ip link del veth0
	wait_events 1 'net-device-down IFACE=veth0 LOGICAL=veth0 ADDRFAM=inet METHOD=static'
	wait_interface_job veth0 'initctl: Unknown instance: veth0'
	[ "$(count_events 'static-network-up')" = 1 ]
}

# A hook of the package, as ifupdown runs it, with the environment of
# ifup veth0: its status and its output.
run_hook() {
	local hook=$1
	shift
	run env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin IFACE=veth0 LOGICAL=veth0 \
		ADDRFAM=inet METHOD=static MODE=start PHASE=post-up "$@" /bin/sh "$hook"
}

@test "$DEBIAN_NAME: ifupdown hooks without upinit as init (sysvinit booted, no initctl, no socket, a dead one): silent, exit 0, ifup works" {
	local x=$BATS_TEST_TMPDIR/deb hook
	dpkg-deb -x "$DEBIAN_DEB" "$x"
	# On the host, which upinit does not run: no socket, a socket
	# nobody serves, no initctl.
	python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$BATS_TEST_TMPDIR/stale"
	[ -S "$BATS_TEST_TMPDIR/stale" ]
	for hook in "$x/etc/network/if-up.d/upinit" "$x/etc/network/if-down.d/upinit"; do
		run_hook "$hook" UPINIT_SOCKET="$BATS_TEST_TMPDIR/none" UPINIT_INITCTL="$UPINIT_BUILD/initctl"
		[ "$status" -eq 0 ] && [ -z "$output" ]
		run_hook "$hook" UPINIT_SOCKET="$BATS_TEST_TMPDIR/stale" UPINIT_INITCTL="$UPINIT_BUILD/initctl" \
			UPINIT_EMITTED="$BATS_TEST_TMPDIR/emitted"
		[ "$status" -eq 0 ] && [ -z "$output" ]
		[ ! -s "$BATS_TEST_TMPDIR/emitted" ]
		run_hook "$hook" UPINIT_SOCKET="$BATS_TEST_TMPDIR/stale" UPINIT_INITCTL="$BATS_TEST_TMPDIR/none"
		[ "$status" -eq 0 ] && [ -z "$output" ]
	done
	# A Debian system that sysvinit runs, with the package's hooks and
	# initctl in place (installed, not yet booted).
	UPINIT_LAYERS=
	guest_write /etc/network/if-up.d/upinit 755 <"$x/etc/network/if-up.d/upinit"
	guest_write /etc/network/if-down.d/upinit 755 <"$x/etc/network/if-down.d/upinit"
	guest_write /usr/sbin/initctl 755 <"$x/usr/sbin/initctl"
	guest_interfaces <<-'EOF'
		iface veth0 inet static
		    address 10.80.0.1/24
	EOF
	boot
	refute guest_exec initctl version
	guest_exec ip link add veth0 type veth peer name veth1
	for _ in 1 2; do
		run guest_exec ifup veth0
		[ "$status" -eq 0 ] && [ -z "$output" ] || { echo "ifup: $status, '$output'" >&2; return 1; }
		guest_exec ip -4 addr show dev veth0 | grep -q 'inet 10.80.0.1/24'
		run guest_exec ifdown veth0
		[ "$status" -eq 0 ] && [ -z "$output" ] || { echo "ifdown: $status, '$output'" >&2; return 1; }
		# The same without initctl (the package removed, not purged: its
		# hooks are conffiles).
		guest_exec rm -f /usr/sbin/initctl
	done
	# ifup -a of the boot ran them too, and said nothing.
	grep -q 'Configuring network interfaces...done.' <(console)
	refute grep -q 'if-up.d/upinit' <(console)
}

# --- services, through Debian's own tools ------------------------------------

# guest_job NAME: write /etc/init/NAME.conf into the running guest from
# stdin (in one rename: init must never read half of it).
guest_job() {
	local f
	f=$(guest_path "/etc/init/$1.conf")
	cat >"$f.tmp"
	mv "$f.tmp" "$f"
}

@test "$DEBIAN_NAME: socket activation and file events on the booted system: any user's connection to a unix socket starts the daemon, again after it exits" {
	use_shared_boot
	# perl-base is on every Debian system: the daemon and the client.
	guest_job hello <<-'EOF'
	start on socket PROTO=unix PATH=/run/hello.sock
	exec perl -e 'open(my $l, "+<&=", 3) or die "fd 3: $!"; accept(my $c, $l) or die "accept: $!"; print $c "hello $< $ENV{LISTEN_FDS} $ENV{UPSTART_FDS} $ENV{UPSTART_EVENTS}\n"'
	EOF
	local dir=/run/upinit-test-$RANDOM
	guest_job touched <<-EOF
	start on file FILE=$dir/ EVENT=create
	task
	exec sh -c 'echo "\$MATCH" >>/run/touched.out'
	EOF
	wait_for 10 "the socket" test -S "$(guest_path /run/hello.sock)"
	[ "$(stat -c %a "$(guest_path /run/hello.sock)")" = 666 ]
	local ask='use IO::Socket::UNIX; my $s = IO::Socket::UNIX->new(Peer => "/run/hello.sock") or die "$!"; print scalar <$s>'
	run guest_exec setpriv --reuid=65534 --regid=65534 --clear-groups perl -e "$ask"
	echo "$output"
	[ "$output" = "hello 0 1 3 socket" ]
	wait_for 10 "hello ended" sh -c "[ \"\$(nsenter -t $NSPID -m -p -r /sbin/initctl status hello)\" = 'hello stop/waiting' ]"
	run guest_exec setpriv --reuid=65534 --regid=65534 --clear-groups perl -e "$ask"
	[ "$output" = "hello 0 1 3 socket" ]
	run guest_exec initctl why hello
	echo "$output"
	[[ "$output" == *"connection on unix /run/hello.sock"* ]]
	# A file event: a directory that does not exist yet, then a file in it.
	guest_exec mkdir "$dir"
	guest_exec touch "$dir/a"
	wait_for 10 "file events" grep -qx "$dir/a" "$(guest_path /run/touched.out)"
	grep -qx "$dir" "$(guest_path /run/touched.out)"
	rm "$(guest_path /etc/init/hello.conf)" "$(guest_path /etc/init/touched.conf)"
	wait_for 10 "the socket file goes with its job" test ! -e "$(guest_path /run/hello.sock)"
}

@test "$DEBIAN_NAME: service cron restart, invoke-rc.d rsyslog restart and /etc/init.d/ssh restart" {
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

# --- the upstart-job promise -------------------------------------------------

# In the running guest: replace SysV script NAME by the native job file
# JOBFILE (host path), as an administrator would.
go_native() {
	local name=$1 jobfile=$2 job
	job=$(basename "$jobfile" .conf)
	guest_exec update-rc.d "$name" disable >/dev/null 2>&1
	guest_exec /etc/init.d/"$name" stop >/dev/null 2>&1 || true
	cp "$jobfile" "$(guest_path /etc/init/"$job".conf)"
	wait_status "$job" "$job stop/waiting"
}

mysql_alive() {
	[ "$(guest_exec mysqladmin ping 2>&1)" = "mysqld is alive" ]
}

@test "$DEBIAN_NAME: /etc/init.d/mysql -> upstart-job and service mysql drive a native MariaDB job; corpus cron runs natively; both come back after a reboot" {
	boot
	# The job the package ships as an example.
	go_native mariadb "$(guest_path /usr/share/doc/upinit/examples/mysql.conf)"
	no_gpid mariadbd
	guest_exec ln -s /lib/init/upstart-job /etc/init.d/mysql

	run guest_exec /etc/init.d/mysql start
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	[[ $output =~ mysql\ start/running,\ process\ ([0-9]+) ]]
	local pid=${BASH_REMATCH[1]}
	mysql_alive
	[ "$(gpid mariadbd)" = "$pid" ]

	run guest_exec /etc/init.d/mysql status
	[ "$status" -eq 0 ]
	echo "$output" | grep -qx "mysql start/running, process $pid"

	run guest_exec /etc/init.d/mysql restart
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	mysql_alive
	[ "$(gpid mariadbd)" != "$pid" ]

	run guest_exec service mysql stop
	[ "$status" -eq 0 ]
	run guest_exec service mysql status
	echo "$output" | grep -qx "mysql stop/waiting"
	refute mysql_alive
	no_gpid mariadbd

	run guest_exec service mysql start
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	mysql_alive
	run guest_exec service mysql status
	echo "$output" | grep -qE '^mysql start/running, process [0-9]+$'

	run guest_exec /etc/init.d/mysql stop
	[ "$status" -eq 0 ]
	wait_status mysql 'mysql stop/waiting'

	# Ubuntu's cron job from the corpus, untouched, in place of the
	# SysV script.
	go_native cron "$SYS_REPO/tests/corpus/upstart-jobs/cron.conf"
	run guest_exec start cron
	[ "$status" -eq 0 ]
	[[ $output =~ ^cron\ start/running,\ process\ ([0-9]+)$ ]]
	[ "$(gpid cron)" = "${BASH_REMATCH[1]}" ]

	# Reboot: the native jobs start with runlevel 2, beside the SysV
	# scripts, which no longer start mariadb or cron.
	shutdown_and_wait guest_exec shutdown -r now
	[ "$ENDED" = reboot ]
	boot
	wait_status mysql 'mysql start/running'
	wait_for 30 "mysqladmin ping" mysql_alive
	# cron forks (expect fork): it may still be on its way.
	wait_status cron 'cron start/running'
	run guest_exec status cron
	[[ $output =~ ^cron\ start/running,\ process\ ([0-9]+)$ ]] ||
		{ echo "status cron: $output" >&2; return 1; }
	[ "$(gpid cron)" = "${BASH_REMATCH[1]}" ]
	gpid sshd && gpid nginx && gpid rsyslogd
	local trace
	trace=$(guest_path /run/upinit-test/rc-trace)
	refute grep -E '^(mariadb|cron) start' "$trace"
	grep -qx 'ssh start 0' "$trace"
	[ "$(guest_exec runlevel)" = "N 2" ]
}

# --- the same scripts as under sysvinit ------------------------------------

# No rc of either init at work: sysv-rc's rc or startpar, upinit-rc.
rc_idle() {
	[ "$(guest_sh "pgrep -f 'init.d/rc [0-6S]|startpar|upinit-rc' | wc -l")" = 0 ]
}

# The boot, telinit 1, telinit 2 and shutdown -h of the guest's init;
# prints the rc trace it left on disk, sorted.
rc_cycle() {
	local p
	boot
	wait_for 30 "rc done" rc_idle
	guest_exec telinit 1 >/dev/null
	wait_runlevel S 1
	wait_for 30 "rc done" rc_idle
	guest_exec telinit 2 >/dev/null
	wait_runlevel 2 S
	for p in sshd nginx mariadbd; do
		wait_for 30 "$p back" gpid "$p" >/dev/null
	done
	wait_for 30 "rc done" rc_idle
	shutdown_and_wait guest_exec shutdown -h now
	[ "$ENDED" = halt ] || { echo "ended: $ENDED" >&2; return 1; }
	LC_ALL=C sort "$(guest_disk /var/log/upinit-test/rc-trace)"
}

@test "$DEBIAN_NAME: the scripts sysvinit runs at boot, telinit 1, telinit 2 and shutdown run under upinit too, with the same actions and exit statuses" {
	local sysv up
	# The tree alone boots sysvinit.
	sysv=$(UPINIT_LAYERS= rc_cycle)
	teardown_guest
	SYS_T=
	up=$(rc_cycle)
	[ -n "$sysv" ] && [ -n "$up" ]
	echo "$sysv" | grep -qx 'ssh start 0'
	echo "$sysv" | grep -qx 'killprocs start 0'
	echo "$sysv" | grep -qx 'umountfs stop 0'
	diff <(echo "$sysv") <(echo "$up") >&2 ||
		{ echo "(< sysvinit, > upinit)" >&2; return 1; }
}

# --- runlevels and the ways down ----------------------------------------------

# The guest's rc trace on its disk (also after it is gone).
disk_trace() {
	cat "$(guest_disk /var/log/upinit-test/rc-trace)"
}

@test "$DEBIAN_NAME: telinit 1 goes to single-user through rc1.d, telinit 2 brings the services back" {
	boot
	gpid sshd && gpid nginx
	guest_exec telinit 1
	# rc1.d: K scripts stop what has one, killprocs ends the rest, and
	# `single` switches to S, where rcS runs sulogin on the console.
	wait_runlevel S 1
	wait_status rcS 'rcS start/running'
	wait_for 20 "nginx gone" no_gpid nginx
	no_gpid mariadbd
	no_gpid sshd
	no_gpid cron
	disk_trace | grep -qx 'nginx stop 0'
	disk_trace | grep -qx 'killprocs start 0'
	[[ $(guest_exec who -r /run/utmp) =~ run-level\ S\ .*last=1 ]]

	guest_exec telinit 2
	wait_runlevel 2 S
	wait_status rc 'rc stop/waiting'
	for p in sshd cron rsyslogd mariadbd nginx dbus-daemon; do
		wait_for 20 "$p back" gpid "$p"
	done
	wait_status rcS 'rcS stop/waiting'
	last -x -f "$(guest_disk /var/log/wtmp)" | grep -qE '^runlevel +\(to lvl 1\) '
}

@test "$DEBIAN_NAME: shutdown -r now stops the services through rc6.d's K scripts, writes wtmp and reboots" {
	boot
	local n
	shutdown_and_wait guest_exec shutdown -r now
	[ "$ENDED" = reboot ]
	for n in mariadb nginx rsyslog sendsigs umountnfs.sh networking umountfs; do
		disk_trace | grep -qx "$n stop 0" || { echo "no '$n stop 0'" >&2; disk_trace >&2; return 1; }
	done
	refute grep -v ' 0$' <(disk_trace)
	run last -x -f "$(guest_disk /var/log/wtmp)"
	echo "$output" | grep -qE '^runlevel +\(to lvl 6\) '
	echo "$output" | grep -qE '^shutdown +system down '
	console | grep -q 'Will now restart'
}

@test "$DEBIAN_NAME: shutdown -h now: sendsigs finds nothing left in the jobs' cgroups but the rc runner's own" {
	boot
	# sendsigs, recording what is still in the jobs' cgroups as it
	# starts (killall5 named here keeps it the runner's own step).
	guest_exec mv /etc/init.d/sendsigs /etc/init.d/sendsigs.real
	cat >"$(guest_path /etc/init.d/sendsigs)" <<'EOF'
#!/bin/sh
# Records what is left in the jobs' cgroups, then the real one (killall5).
for f in /sys/fs/cgroup/upinit/*/cgroup.procs /sys/fs/cgroup/upinit/*/*/cgroup.procs; do
	[ -s "$f" ] && echo "$f: $(tr '\n' ' ' <"$f")"
done >/var/log/sendsigs-saw
ps -e -o pid=,comm= >/var/log/sendsigs-ps
exec /etc/init.d/sendsigs.real "$@"
EOF
	chmod 755 "$(guest_path /etc/init.d/sendsigs)"
	# Daemons that only sendsigs ends under sysvinit: no stop link in rc0.d.
	for p in cron sshd dbus-daemon; do gpid "$p" >/dev/null; done
	t0=$EPOCHREALTIME
	shutdown_and_wait guest_exec shutdown -h now
	[ "$ENDED" = halt ]
	saw=$(guest_disk /var/log/sendsigs-saw)
	[ -f "$saw" ]
	run grep -v '^/sys/fs/cgroup/upinit/rc/cgroup.procs: ' "$saw"
	[ -z "$output" ] || { echo "left for sendsigs: $output" >&2; return 1; }
	# cron, sshd and dbus were gone before sendsigs came.
	run grep -wE 'cron|sshd|dbus-daemon' "$(guest_disk /var/log/sendsigs-ps)"
	[ "$status" -eq 1 ]
	# The same scripts ran as ever: no stop action was added.
	run disk_trace
	[[ "$output" != *"cron stop"* ]]
	[[ "$output" != *"ssh stop"* ]]
	disk_trace | grep -qxE 'sendsigs(\.real)? stop 0'
}

@test "$DEBIAN_NAME: shutdown -h now powers off through rc0.d" {
	boot
	shutdown_and_wait guest_exec shutdown -h now
	[ "$ENDED" = halt ]
	disk_trace | grep -qx 'mariadb stop 0'
	disk_trace | grep -qx 'umountfs stop 0'
	last -x -f "$(guest_disk /var/log/wtmp)" | grep -qE '^runlevel +\(to lvl 0\) '
	console | grep -q 'Will now halt'
	# The words of the scripts after umountnfs.sh (which unmounts the
	# guest's console terminal from /dev/console) still reach the console.
	console | grep -q 'Deconfiguring network interfaces'
}

@test "$DEBIAN_NAME: sysvinit's own shutdown -r and halt drive upinit through /run/initctl" {
	# The tree below the upinit layer is sysvinit's: its shutdown and
	# halt, copied into the guest beside upinit's.
	guest_write /root/sysv/shutdown 755 <"$DEBIAN_ROOTFS/usr/sbin/shutdown"
	guest_write /root/sysv/halt 755 <"$DEBIAN_ROOTFS/usr/sbin/halt"
	boot
	run guest_exec /root/sysv/shutdown -r now
	shutdown_and_wait true
	[ "$ENDED" = reboot ]
	disk_trace | grep -qx 'nginx stop 0'
	last -x -f "$(guest_disk /var/log/wtmp)" | grep -qE '^runlevel +\(to lvl 6\) '

	# And the next boot, halted by sysvinit's halt (runlevel 0 first,
	# as sysvinit's halt does outside 0 and 6).
	boot
	shutdown_and_wait guest_exec /root/sysv/halt
	[ "$ENDED" = halt ]
	last -x -f "$(guest_disk /var/log/wtmp)" | grep -qE '^runlevel +\(to lvl 0\) '
}

# --- the package on a live system --------------------------------------------

# The SysV programs sysvinit-core ships, which upinit takes over.
SYSV_PROGRAMS="init telinit shutdown runlevel halt reboot poweroff"

# assert_upinit_installed: in the guest, upinit is installed in place of
# sysvinit-core; every program sysvinit-core provided is upinit's by its
# /sbin and its /usr/sbin name; dpkg -S names upinit for each, dpkg
# --verify finds nothing wrong, and no diversion of upinit's is left.
assert_upinit_installed() {
	local p f
	guest_exec dpkg-query -W -f='${Status}\n' upinit | grep -qx 'install ok installed'
	run guest_exec dpkg-query -W -f='${Status}\n' sysvinit-core
	[[ $output != *" installed"* ]] || { echo "sysvinit-core: $output" >&2; return 1; }
	for p in $SYSV_PROGRAMS; do
		for f in /sbin/$p /usr/sbin/$p; do
			grep -q upinit "$(guest_path "$f")" || { echo "$f is not upinit's" >&2; return 1; }
		done
		[ "$(guest_exec dpkg -S /usr/sbin/$p)" = "upinit: /usr/sbin/$p" ]
	done
	run guest_exec dpkg --verify upinit
	[ "$status" -eq 0 ] && [ -z "$output" ] || { echo "dpkg --verify upinit: $output" >&2; return 1; }
	refute grep -q ' by upinit$' <(guest_exec dpkg-divert --list)
}

# boot_upinit_again: reboot the guest (whatever runs it) and check that
# the same disk comes up under upinit with its services.
reboot_into_upinit() {
	shutdown_and_wait guest_exec reboot
	[ "$ENDED" = reboot ]
	last -x -f "$(guest_disk /var/log/wtmp)" | grep -qE '^runlevel +\(to lvl 6\) '
	boot
	guest_exec initctl version | grep -q upinit
	[ "$(guest_exec runlevel)" = "N 2" ]
	for p in sshd cron rsyslogd mariadbd nginx dbus-daemon; do
		gpid "$p" >/dev/null || { echo "$p is not running" >&2; return 1; }
	done
	assert_upinit_installed
	shutdown_and_wait guest_exec shutdown -h now
	[ "$ENDED" = halt ]
}

@test "$DEBIAN_NAME: dpkg -i on a running sysvinit system keeps every program; the tools speak /run/initctl until the reboot, then upinit boots it" {
	UPINIT_LAYERS=
	guest_write /root/upinit.deb <"$DEBIAN_DEB"
	boot
	[ "$(guest_exec cat /proc/1/comm)" = init ]
	refute guest_exec initctl version
	run guest_exec dpkg -i /root/upinit.deb
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	echo "$output" | grep -q 'upinit takes over as init at the next reboot'
	echo "$output" | grep -q 'Removing sysvinit-core'
	assert_upinit_installed
	# sysvinit is still PID 1; upinit's runlevel reads its utmp.
	[ "$(guest_exec runlevel)" = "N 2" ]
	refute guest_exec initctl version
	# upinit's reboot asks sysvinit, through /run/initctl; the same disk
	# then boots with upinit.
	reboot_into_upinit
}

@test "$DEBIAN_NAME: apt-get install of the package, as README says, on a running sysvinit system; upinit boots it" {
	UPINIT_LAYERS=
	boot
	# In /tmp: apt reads a local package as the unprivileged _apt.  (Not
	# with guest_write before the boot: that would make /tmp 0755.)
	cp "$DEBIAN_DEB" "$(guest_path /tmp/upinit.deb)"; chmod 644 "$(guest_path /tmp/upinit.deb)"
	run guest_exec env DEBIAN_FRONTEND=noninteractive apt-get install -y /tmp/upinit.deb
	if [ "$DEBIAN_NAME" = "debian 13" ]; then
		# Debian 13 marks sysvinit-core Protected: apt removes it only when
		# told by name, and changes nothing before.
		[ "$status" -ne 0 ]
		guest_exec dpkg-query -W -f='${Status}\n' sysvinit-core | grep -qx 'install ok installed'
		[ "$(guest_exec readlink -f /proc/1/exe)" = /usr/sbin/init ]
		refute grep -q upinit "$(guest_path /sbin/init)"
		run guest_exec env DEBIAN_FRONTEND=noninteractive apt-get install -y \
			--allow-remove-essential /tmp/upinit.deb sysvinit-core-
	fi
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	echo "$output" | grep -q 'upinit takes over as init at the next reboot'
	assert_upinit_installed
	reboot_into_upinit
}

# Running jobs with their pids, as `initctl list` prints them.
running_jobs() {
	guest_exec initctl list | grep 'start/running' | sort
}

@test "$DEBIAN_NAME: upgrading the package while upinit is PID 1 re-executes it with its state (telinit u)" {
	local deb2 before after exe
	deb2=$(DEB_REVISION=2 DEBDIR="$BATS_TEST_TMPDIR" BUILD=$UPINIT_BUILD "$SYS_REPO/scripts/mkdeb")
	boot
	before=$(running_jobs)
	[ -n "$before" ]
	cp "$deb2" "$(guest_path /root/upinit2.deb)"
	run guest_exec dpkg -i /root/upinit2.deb
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	echo "$output" | grep -q 'upinit: re-executing init (telinit u)'
	echo "$output" | grep -q 'upinit: init re-executed'
	# By the time dpkg returns, PID 1 runs the new file, not the one dpkg
	# replaced (the postinst waits for the re-exec).
	readlink "/proc/$NSPID/exe"
	refute grep -q deleted <(readlink "/proc/$NSPID/exe")
	guest_exec initctl version | grep -q upinit
	after=$(running_jobs)
	[ "$before" = "$after" ] || { diff <(echo "$before") <(echo "$after") >&2; return 1; }
	[ "$(guest_exec runlevel)" = "N 2" ]
	[[ $(guest_exec dpkg-query -W -f='${Version}' upinit) == *-2 ]]
	refute grep -E 'init: .*(failed|killed by (SEGV|ABRT))' <(console)
	shutdown_and_wait guest_exec shutdown -r now
	[ "$ENDED" = reboot ]
}

# The release's sysvinit-core package (mkdebian.sh keeps it beside the
# tree); prints its path.
sysvinit_deb() {
	ls "$DEBIAN_ROOTFS.debs"/sysvinit-core_*.deb 2>/dev/null | tail -1 | grep .
}

@test "$DEBIAN_NAME: the way back: apt-get install sysvinit-core under upinit, reboot, and sysvinit boots the system" {
	local deb
	deb=$(sysvinit_deb) || skip "sysvinit-core could not be fetched"
	boot
	cp "$deb" "$(guest_path /tmp/sysvinit-core.deb)"; chmod 644 "$(guest_path /tmp/sysvinit-core.deb)"
	# As an administrator would: apt resolves the conflict (upinit goes,
	# sysvinit-core comes) in one step; the local file needs no network
	# (in /tmp: apt reads it as the unprivileged _apt).
	run guest_exec env DEBIAN_FRONTEND=noninteractive apt-get install -y /tmp/sysvinit-core.deb
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	echo "$output" | grep -q 'Removing upinit'
	echo "$output" | grep -q 'upinit is still PID 1; it keeps running until the next reboot'
	# sysvinit's postinst asked for `init u`: upinit refuses to execute
	# another init (it would boot the running system again), stays PID 1
	# and keeps serving sysvinit's tools.
	echo "$output" | grep -q 'sysvinit: restarting... done.'
	wait_for 10 "the refusal on the console" sh -c \
		"tr -d '\r' <'$SYS_T/console.log' | grep -q 'is not upinit any more: not re-executing'"
	guest_exec initctl version && return 1
	# Every program is sysvinit's again, by either name, and dpkg agrees.
	local p
	for p in $SYSV_PROGRAMS; do
		[ -e "$(guest_path /sbin/$p)" ] && [ -e "$(guest_path /usr/sbin/$p)" ]
		refute grep -q upinit "$(guest_path /sbin/$p)"
		run guest_exec dpkg -S /sbin/$p /usr/sbin/$p
		[[ $output == *"sysvinit-core: "* ]] || { echo "dpkg -S $p: $output" >&2; return 1; }
		refute grep -q upinit <<<"$output"
	done
	run guest_exec dpkg --verify sysvinit-core
	[ "$status" -eq 0 ] && [ -z "$output" ] || { echo "dpkg --verify sysvinit-core: $output" >&2; return 1; }
	refute grep -q ' by upinit$' <(guest_exec dpkg-divert --list)
	[ "$(guest_exec runlevel)" = "N 2" ]
	gpid sshd && gpid cron
	grep -q upinit "/proc/$NSPID/exe" || readlink "/proc/$NSPID/exe" | grep -q deleted
	shutdown_and_wait guest_exec reboot
	[ "$ENDED" = reboot ]
	disk_trace | grep -qx 'nginx stop 0'

	boot
	[ "$(guest_exec runlevel)" = "N 2" ]
	refute grep -q upinit "/proc/$NSPID/exe"
	gpid sshd && gpid mariadbd
	shutdown_and_wait guest_exec halt
	[ "$ENDED" = halt ]
}
