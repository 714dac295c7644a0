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
	local rc=0
	gpid "$1" >/dev/null || rc=$?
	[ "$rc" = 1 ]
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
	! console | grep -E 'init: .*(failed|error|killed by (SEGV|ABRT))'
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

@test "debian: /etc/init.d/mysql -> upstart-job and service mysql drive a native MariaDB job; corpus cron runs natively; both come back after a reboot" {
	boot
	# The job the package ships as an example.
	go_native mariadb "$(guest_path /usr/share/doc/upinit/examples/mysql.conf)"
	! guest_exec pgrep -x mariadbd
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
	! mysql_alive
	! guest_exec pgrep -x mariadbd

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
	run guest_exec status cron
	[[ $output =~ ^cron\ start/running,\ process\ ([0-9]+)$ ]]
	[ "$(gpid cron)" = "${BASH_REMATCH[1]}" ]
	gpid sshd && gpid nginx && gpid rsyslogd
	local trace
	trace=$(guest_path /run/upinit-test/rc-trace)
	! grep -E '^(mariadb|cron) start' "$trace"
	grep -qx 'ssh start 0' "$trace"
	[ "$(guest_exec runlevel)" = "N 2" ]
}

# --- runlevels and the ways down ----------------------------------------------

# The guest's rc trace on its disk (also after it is gone).
disk_trace() {
	cat "$(guest_disk /var/log/upinit-test/rc-trace)"
}

@test "debian: telinit 1 goes to single-user through rc1.d, telinit 2 brings the services back" {
	boot
	gpid sshd && gpid nginx
	guest_exec telinit 1
	# rc1.d: K scripts stop what has one, killprocs ends the rest, and
	# `single` switches to S, where rcS runs sulogin on the console.
	wait_runlevel S 1
	wait_status rcS 'rcS start/running'
	wait_for 20 "nginx gone" no_gpid nginx
	! gpid mariadbd
	! gpid sshd
	! gpid cron
	disk_trace | grep -qx 'nginx stop 0'
	disk_trace | grep -qx 'killprocs start 0'
	[[ $(guest_exec who -r) =~ run-level\ S\ .*last=1 ]]

	guest_exec telinit 2
	wait_runlevel 2 S
	wait_status rc 'rc stop/waiting'
	for p in sshd cron rsyslogd mariadbd nginx dbus-daemon; do
		wait_for 20 "$p back" gpid "$p"
	done
	wait_status rcS 'rcS stop/waiting'
	last -x -f "$(guest_disk /var/log/wtmp)" | grep -qE '^runlevel +\(to lvl 1\) '
}

@test "debian: shutdown -r now stops the services through rc6.d's K scripts, writes wtmp and reboots" {
	boot
	local n
	shutdown_and_wait guest_exec shutdown -r now
	[ "$ENDED" = reboot ]
	for n in mariadb nginx rsyslog sendsigs umountnfs.sh networking umountfs; do
		disk_trace | grep -qx "$n stop 0" || { echo "no '$n stop 0'" >&2; disk_trace >&2; return 1; }
	done
	! disk_trace | grep -v ' 0$'
	run last -x -f "$(guest_disk /var/log/wtmp)"
	echo "$output" | grep -qE '^runlevel +\(to lvl 6\) '
	echo "$output" | grep -qE '^shutdown +system down '
	console | grep -q 'Will now restart'
}

@test "debian: shutdown -h now powers off through rc0.d" {
	boot
	shutdown_and_wait guest_exec shutdown -h now
	[ "$ENDED" = halt ]
	disk_trace | grep -qx 'mariadb stop 0'
	disk_trace | grep -qx 'umountfs stop 0'
	last -x -f "$(guest_disk /var/log/wtmp)" | grep -qE '^runlevel +\(to lvl 0\) '
	console | grep -q 'Will now halt'
}

@test "debian: sysvinit's own shutdown -r and halt drive upinit through /run/initctl" {
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

@test "debian: dpkg -i on a running sysvinit system; the tools speak /run/initctl until the reboot, then upinit boots it" {
	UPINIT_LAYERS=
	guest_write /root/upinit.deb <"$DEBIAN_DEB"
	boot
	[ "$(guest_exec cat /proc/1/comm)" = init ]
	! guest_exec initctl version
	run guest_exec dpkg -i /root/upinit.deb
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	echo "$output" | grep -q 'upinit takes over as init at the next reboot'
	echo "$output" | grep -q 'Removing sysvinit-core'
	# sysvinit is still PID 1; upinit's runlevel reads its utmp.
	[ "$(guest_exec runlevel)" = "N 2" ]
	! guest_exec initctl version
	# upinit's reboot asks sysvinit, through /run/initctl.
	shutdown_and_wait guest_exec reboot
	[ "$ENDED" = reboot ]
	last -x -f "$(guest_disk /var/log/wtmp)" | grep -qE '^runlevel +\(to lvl 6\) '

	# The same disk boots again: now with upinit.
	boot
	guest_exec initctl version | grep -q upinit
	[ "$(guest_exec runlevel)" = "N 2" ]
	for p in sshd cron rsyslogd mariadbd nginx dbus-daemon; do
		gpid "$p" >/dev/null || { echo "$p is not running" >&2; return 1; }
	done
	guest_exec dpkg-query -W -f='${Status}\n' upinit | grep -qx 'install ok installed'
	shutdown_and_wait guest_exec shutdown -h now
	[ "$ENDED" = halt ]
}

# Running jobs with their pids, as `initctl list` prints them.
running_jobs() {
	guest_exec initctl list | grep 'start/running' | sort
}

@test "debian: upgrading the package while upinit is PID 1 re-executes it with its state (telinit u)" {
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
	! readlink "/proc/$NSPID/exe" | grep -q deleted
	guest_exec initctl version | grep -q upinit
	after=$(running_jobs)
	[ "$before" = "$after" ] || { diff <(echo "$before") <(echo "$after") >&2; return 1; }
	[ "$(guest_exec runlevel)" = "N 2" ]
	[[ $(guest_exec dpkg-query -W -f='${Version}' upinit) == *-2 ]]
	! console | grep -E 'init: .*(failed|killed by (SEGV|ABRT))'
	shutdown_and_wait guest_exec shutdown -r now
	[ "$ENDED" = reboot ]
}

# sysvinit-core's package, fetched once from Debian's registry; prints its path.
sysvinit_deb() {
	local dir=/var/cache/upinit/debs
	mkdir -p "$dir"
	if ! ls "$dir"/sysvinit-core_*.deb >/dev/null 2>&1; then
		(cd "$dir" && apt-get download sysvinit-core) >"$dir/apt.log" 2>&1 || return 1
	fi
	ls "$dir"/sysvinit-core_*.deb | tail -1
}

@test "debian: the way back: apt-get install sysvinit-core under upinit, reboot, and sysvinit boots the system" {
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
	[ "$(guest_exec runlevel)" = "N 2" ]
	gpid sshd && gpid cron
	grep -q upinit "/proc/$NSPID/exe" || readlink "/proc/$NSPID/exe" | grep -q deleted
	shutdown_and_wait guest_exec reboot
	[ "$ENDED" = reboot ]
	disk_trace | grep -qx 'nginx stop 0'

	boot
	[ "$(guest_exec runlevel)" = "N 2" ]
	! grep -q upinit "/proc/$NSPID/exe"
	gpid sshd && gpid mariadbd
	shutdown_and_wait guest_exec halt
	[ "$ENDED" = halt ]
}
