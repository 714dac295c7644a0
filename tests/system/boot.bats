#!/usr/bin/env bats
# upinit as PID 1 of fresh namespaces over the small tree of mkrootfs.sh:
# the SysV boot, runlevels, single-user mode, inittab, the ways a system
# goes down, /run/initctl, re-exec, and sysvinit's own tools against it.
# Each test boots its own guest (about 0.1 s) and throws it away.
#
# Needs root, unshare/nsenter/script (util-linux), overlayfs, and for the
# last tests sysvinit-core's tools (mkrootfs.sh fetches the package with
# apt-get download and unpacks it; without it those tests skip).  Host
# tools that read the guest's records: coreutils `who`, util-linux `last`.
# The SysV tools are only ever run inside the guest.

load helpers

setup_file() {
	sys_setup_file
}

setup() {
	sys_require
	SYS_T=
}

teardown() {
	teardown_guest
}

# Lines of the guest's /var/log/rc-trace after the first N.
trace_after() {
	tail -n +$(( $1 + 1 )) "$(guest_disk /var/log/rc-trace)"
}

trace_lines() {
	if [ -e "$(guest_disk /var/log/rc-trace)" ]; then
		wc -l <"$(guest_disk /var/log/rc-trace)"
	else
		echo 0
	fi
}

# last -x of the guest's wtmp (readable also once the guest is gone).
guest_last() {
	last -x -f "$(guest_disk /var/log/wtmp)"
}

# guest_file_has_lines PATH N: the guest's PATH has at least N lines.
guest_file_has_lines() {
	[ "$(wc -l <"$(guest_path "$1")")" -ge "$2" ]
}

# The live pids among the first words of a guest file's lines.
live_pids_in() {
	local pid _rest
	while read -r pid _rest; do
		[ -n "$pid" ] || continue
		if guest_exec kill -0 "$pid" 2>/dev/null; then
			echo "$pid"
		fi
	done <"$(guest_path "$1")"
}

# ---------------------------------------------------------------------------
# Boot
# ---------------------------------------------------------------------------

@test "boot: startup -> rc-sysinit -> /etc/init.d/rcS -> runlevel 2 -> rc2.d" {
	boot
	echo "booted in $BOOT_SECONDS s"
	# Well under a few seconds, rcS.d included.
	awk -v s="$BOOT_SECONDS" 'BEGIN { exit !(s < 5) }'

	# rcS ran (once), with init as PID 1.
	run cat "$(guest_path /run/rcS-runs)"
	[ "${#lines[@]}" -eq 1 ]
	grep -qx 'pid1=/sbin/init ' "$(guest_path /run/marker-rcS)"

	# rc2.d's marker ran in runlevel 2, coming from no level, and
	# `runlevel` already answered "N 2" from inside the rc scripts.
	run cat "$(guest_path /run/marker-rc2)"
	[ "${lines[0]}" = runlevel=2 ]
	[ "${lines[1]}" = prevlevel=N ]
	[ "${lines[2]}" = "runlevel_cmd=N 2" ]
	[ "${lines[3]}" = "pid1=/sbin/init " ]

	# rc2.d's S scripts ran with "start", in order; no K script on boot.
	run cat "$(guest_disk /var/log/rc-trace)"
	[ "${lines[0]}" = "svc2 start RUNLEVEL=2 PREVLEVEL=N" ]
	[ "${lines[1]}" = "common start RUNLEVEL=2 PREVLEVEL=N" ]
	[ "${#lines[@]}" -eq 2 ]

	# The rc tasks are done.
	wait_status rc "rc stop/waiting"
	wait_status rc-sysinit "rc-sysinit stop/waiting"

	# Nobody mounted /run for init: it did, and its FIFO and
	# socket are there.
	run guest_exec awk '$2 == "/run" { print $3 }' /proc/mounts
	[ "$output" = tmpfs ]
	guest_exec test -p /run/initctl
	guest_exec test -S /run/upinit/control
}

@test "runlevel prints N 2" {
	boot
	run guest_exec runlevel
	[ "$status" -eq 0 ]
	[ "$output" = "N 2" ]
	# Also through the file fallback sysvinit's readers use.
	run guest_exec cat /var/run/runlevel
	[ "$output" = 2 ]
}

@test "PID 1 mounts cgroup2 when no one has, and keeps each job in a cgroup of its own" {
	BOOT_CGROUP_MOUNT= boot
	run guest_exec awk '$2 == "/sys/fs/cgroup" { print $3 }' /proc/mounts
	[ "$output" = cgroup2 ]
	# The console getty: its cgroup, as the guest's namespace names it.
	pid=$(guest_exec initctl status console | sed -n 's/.*process \([0-9]*\)$/\1/p')
	[ -n "$pid" ]
	run guest_exec initctl status -v console
	[ "${lines[1]}" = "	cgroup /upinit/console" ]
	[[ "$output" == *"	process $pid "* ]]
	# (read inside the guest: cgroup.procs gives the reader's pids)
	guest_exec cat /sys/fs/cgroup/upinit/console/cgroup.procs | grep -qx "$pid"
	# Nothing of the jobs is left in init's own cgroup.
	[ "$(cat "$(guest_path /sys/fs/cgroup/cgroup.procs)" | wc -l)" -le 2 ]
}

@test "init --no-cgroups: tracked by process group only, said once" {
	boot /sbin/init --no-cgroups
	run guest_exec initctl status -v console
	[ "${lines[1]}" = "	no cgroups: processes are tracked by process group only" ]
	[ "$(tr -d '\r' <"$CONSOLE" | grep -c 'jobs are tracked by process group only')" -eq 1 ]
	[ ! -d "$(guest_path /sys/fs/cgroup/upinit)" ]
}

@test "initctl list shows the SysV jobs" {
	boot
	wait_status rc "rc stop/waiting"
	run guest_exec initctl list
	[ "$status" -eq 0 ]
	for want in "rc stop/waiting" "rc-sysinit stop/waiting" "rcS stop/waiting" \
		    "control-alt-delete stop/waiting" "tty1 stop/waiting" \
		    "tty6 stop/waiting" "power-status stop/waiting" \
		    "keyboard-request stop/waiting"; do
		printf '%s\n' "${lines[@]}" | grep -qx "$want" ||
			{ echo "missing: $want"; false; }
	done
	# A PID namespace without container= is "container-other": only the
	# console getty runs.
	printf '%s\n' "${lines[@]}" | grep -qE '^console start/running, process [0-9]+$'
	run guest_exec initctl version
	[[ "$output" == *upstart* ]]
}

@test "who -r and who -b read the guest's utmp; last -x its wtmp" {
	boot
	local utmp
	utmp=$(guest_path /run/utmp)
	run who -r "$utmp"
	[ "$status" -eq 0 ]
	[[ "$output" =~ run-level\ 2\ .*last=S ]]
	run who -b "$utmp"
	[[ "$output" =~ system\ boot ]]
	run guest_last
	[[ "$output" =~ runlevel\ \(to\ lvl\ 2\) ]]
	[[ "$output" =~ reboot\ +system\ boot ]]
}

# ---------------------------------------------------------------------------
# Runlevels
# ---------------------------------------------------------------------------

@test "telinit 3 then telinit 2: K scripts stop, S scripts start, shared ones stay" {
	boot
	wait_status rc "rc stop/waiting"
	local n
	n=$(trace_lines)

	run guest_exec telinit 3
	[ "$status" -eq 0 ]
	wait_runlevel 3 2
	wait_guest_file /run/marker-rc3
	wait_status rc "rc stop/waiting"
	grep -qx prevlevel=2 "$(guest_path /run/marker-rc3)"
	run trace_after "$n"
	[ "${lines[0]}" = "svc2 stop RUNLEVEL=3 PREVLEVEL=2" ]
	[ "${lines[1]}" = "svc3 start RUNLEVEL=3 PREVLEVEL=2" ]
	[ "${#lines[@]}" -eq 2 ]      # "common" runs in both: left alone
	run who -r "$(guest_path /run/utmp)"
	[[ "$output" =~ run-level\ 3\ .*last=2 ]]

	n=$(trace_lines)
	guest_exec rm -f /run/marker-rc2
	run guest_exec telinit 2
	[ "$status" -eq 0 ]
	wait_runlevel 2 3
	wait_guest_file /run/marker-rc2
	wait_status rc "rc stop/waiting"
	grep -qx prevlevel=3 "$(guest_path /run/marker-rc2)"
	run trace_after "$n"
	[ "${lines[0]}" = "svc3 stop RUNLEVEL=2 PREVLEVEL=3" ]
	[ "${lines[1]}" = "svc2 start RUNLEVEL=2 PREVLEVEL=3" ]
	[ "${#lines[@]}" -eq 2 ]
	run who -r "$(guest_path /run/utmp)"
	[[ "$output" =~ run-level\ 2\ .*last=3 ]]
}

@test "telinit S: rcS runs sulogin; when it ends, back to runlevel 2 without rcS" {
	boot
	wait_status rc "rc stop/waiting"
	run guest_exec telinit S
	[ "$status" -eq 0 ]
	wait_runlevel S 2
	wait_guest_file /run/sulogin
	wait_status rcS "rcS start/running"
	run cat "$(guest_path /run/sulogin)"
	[ "${#lines[@]}" -eq 1 ]
	local pid args
	read -r pid args <<<"${lines[0]}"
	[ "$args" = --force ]
	# Multi-user things stopped: the console getty.
	wait_status console "console stop/waiting"

	# The administrator leaves the shell.
	guest_exec rm -f /run/marker-rc2
	guest_exec kill "$pid"
	wait_runlevel 2 S
	wait_guest_file /run/marker-rc2
	grep -qx prevlevel=S "$(guest_path /run/marker-rc2)"
	wait_status rcS "rcS stop/waiting"
	# rc-sysinit went on into the default level without running rcS again.
	run cat "$(guest_path /run/rcS-runs)"
	[ "${#lines[@]}" -eq 1 ]
	run who -r "$(guest_path /run/utmp)"
	[[ "$output" =~ run-level\ 2\ .*last=S ]]
	wait_status console "console start/running"
}

@test "telinit 1: rc1.d runs, its S99single (init -t1 S) ends in single-user mode" {
	boot
	wait_status rc "rc stop/waiting"
	local n
	n=$(trace_lines)
	run guest_exec telinit 1
	[ "$status" -eq 0 ]
	wait_guest_file /run/sulogin
	wait_runlevel S 1
	run trace_after "$n"
	[ "${lines[0]}" = "trace start RUNLEVEL=1 PREVLEVEL=2" ]
}

# ---------------------------------------------------------------------------
# /etc/inittab
# ---------------------------------------------------------------------------

@test "an inittab respawn entry runs, and is respawned when killed" {
	guest_write /etc/inittab <<-'EOF'
	# test inittab
	id:2:initdefault:
	rs:2345:respawn:/usr/local/bin/respawner rs
	EOF
	boot
	wait_guest_file /run/respawn-rs
	local first
	first=$(head -n 1 "$(guest_path /run/respawn-rs)")
	run guest_exec initctl status inittab/rs
	[ "$output" = "inittab/rs start/running, process $first" ]
	# sysvinit's INIT_PROCESS record, as `who -p` shows it.
	run who -p "$(guest_path /run/utmp)"
	[[ "$output" =~ $first\ id=rs ]]

	guest_exec kill -KILL "$first"
	wait_for 10 "a second start of rs" guest_file_has_lines /run/respawn-rs 2
	local second
	second=$(sed -n 2p "$(guest_path /run/respawn-rs)")
	[ "$second" != "$first" ]
	wait_status inittab/rs "inittab/rs start/running, process $second"
	guest_exec kill -0 "$second"
	run who -p "$(guest_path /run/utmp)"
	[[ "$output" =~ $second\ id=rs ]]
	[[ ! "$output" =~ $first\ id=rs ]]
}

# pid (in the guest) of the guest's process whose command line is exactly
# ARGS (the tree has no pgrep).
guest_pid_of() {
	local f
	for f in /proc/"$NSPID"/root/proc/[0-9]*/cmdline; do
		if [ "$(tr '\0' ' ' <"$f" 2>/dev/null)" = "$1 " ]; then
			f=${f%/cmdline}
			echo "${f##*/}"
			return 0
		fi
	done
	return 1
}

no_guest_pid_of() {
	! guest_pid_of "$1"
}

@test "telinit q after editing inittab: new entries of the level start, changed ones restart, removed ones stop" {
	boot
	guest_sh 'printf "%s\n" "x1:23:respawn:/bin/sleep 4242" \
		"x2:2:once:/bin/sh -c \"echo ran >>/run/x2-runs\"" \
		"x3:3:respawn:/bin/sleep 4343" >>/etc/inittab && telinit q'
	wait_status inittab/x1 'inittab/x1 start/running, process'
	wait_guest_file /run/x2-runs
	local x1
	x1=$(guest_pid_of '/bin/sleep 4242')
	# Not in runlevel 2: not started.
	[ "$(guest_exec initctl status inittab/x3)" = "inittab/x3 stop/waiting" ]
	refute guest_pid_of '/bin/sleep 4343'

	# Nothing changed but garbage added: the bad lines are reported and
	# skipped, a second q runs the once entry no more, and the respawn
	# entry keeps its process.
	guest_sh 'printf "%s\n" "this is no inittab line" "x9:2:bogus:/bin/true" \
		"x1:2:respawn:/bin/sleep 9999" >>/etc/inittab && telinit q'
	sleep 0.3
	guest_exec initctl version | grep -q upinit
	console | grep -qE '/etc/inittab:[0-9]+: missing runlevel field'
	console | grep -qE '/etc/inittab:[0-9]+: bogus: unknown action field'
	console | grep -qE '/etc/inittab:[0-9]+: duplicate ID field "x1"'
	[ "$(wc -l <"$(guest_path /run/x2-runs)")" -eq 1 ]
	[ "$(guest_pid_of '/bin/sleep 4242')" = "$x1" ]

	# A changed command: the old process goes, the new one comes.
	guest_sh 'sed -i "s|^x1:23:respawn:/bin/sleep 4242|x1:23:respawn:/bin/sleep 4244|" /etc/inittab && telinit q'
	wait_for 10 "the new x1 process" guest_pid_of '/bin/sleep 4244'
	refute guest_exec kill -0 "$x1"
	wait_status inittab/x1 'inittab/x1 start/running, process'

	# A removed line: its process is stopped, its job gone.
	guest_sh 'sed -i "/^x1:/d" /etc/inittab && telinit q'
	wait_for 10 "x1 stopped" no_guest_pid_of '/bin/sleep 4244'
	wait_for 10 "inittab/x1 gone" guest_sh '! initctl status inittab/x1'
}

@test "a getty on tty1 in inittab: exactly one getty on tty1, the tty1 job stands aside" {
	guest_write /etc/inittab <<-'EOF'
	id:2:initdefault:
	1:2345:respawn:/sbin/getty 38400 tty1
	EOF
	# A witness of the tty1 job's turn (it starts on stopped rc).
	guest_write /etc/init/tty1-witness.conf <<-'EOF'
	start on stopping tty1
	task
	exec /bin/sh -c 'echo "RESULT=$RESULT" >/run/tty1-witness'
	EOF
	# container=lxc: the case where the tty1 job would run (jobs/README.md).
	BOOT_CONTAINER=lxc boot
	wait_guest_file /run/getty-tty1
	# The tty1 job came, saw inittab's getty and stood aside, cleanly.
	wait_guest_file /run/tty1-witness
	run cat "$(guest_path /run/tty1-witness)"
	[ "$output" = RESULT=ok ]
	wait_status tty1 "tty1 stop/waiting"
	sleep 0.3
	run cat "$(guest_path /run/getty-tty1)"
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" =~ ^[0-9]+\ 38400\ tty1$ ]]   # inittab's, not the job's -8
	run live_pids_in /run/getty-tty1
	[ "${#lines[@]}" -eq 1 ]
	run guest_exec initctl status inittab/1
	[[ "$output" =~ ^inittab/1\ start/running,\ process\ [0-9]+$ ]]
}

@test "without an inittab getty, the tty1 job runs the getty on tty1 (container=lxc)" {
	BOOT_CONTAINER=lxc boot
	wait_guest_file /run/getty-tty1
	wait_status tty1 "tty1 start/running"
	sleep 0.3
	run cat "$(guest_path /run/getty-tty1)"
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" =~ ^[0-9]+\ -8\ 38400\ tty1$ ]]
	run cat "$(guest_path /run/container_type)"
	[ "$output" = lxc ]
}

# ---------------------------------------------------------------------------
# Going down
# ---------------------------------------------------------------------------

@test "SIGINT to PID 1: control-alt-delete -> shutdown -r now -> rc6 -> reboot -f: ends as a reboot" {
	# A witness that the control-alt-delete job itself ran.
	guest_write /etc/init/cad-witness.conf <<-'EOF'
	start on starting control-alt-delete
	task
	exec /bin/sh -c 'echo "$UPSTART_EVENTS" >/var/log/cad-witness'
	EOF
	boot
	wait_status rc "rc stop/waiting"
	shutdown_and_wait guest_kill INT
	[ "$ENDED" = reboot ]
	run cat "$(guest_disk /var/log/cad-witness)"
	[ "$output" = "starting" ]
	run trace_after 2
	[ "${lines[0]}" = "trace stop RUNLEVEL=6 PREVLEVEL=2" ]
	run guest_last
	[[ "$output" =~ shutdown\ +system\ down ]]
	[[ "$output" =~ runlevel\ \(to\ lvl\ 6\) ]]
}

@test "shutdown -r now inside: rc6, shutdown record in wtmp, ends as a reboot (SIGHUP)" {
	boot
	wait_status rc "rc stop/waiting"
	shutdown_and_wait guest_exec shutdown -r now
	[ "$ENDED" = reboot ]
	run trace_after 2
	[ "${lines[0]}" = "trace stop RUNLEVEL=6 PREVLEVEL=2" ]
	run guest_last
	[[ "${lines[0]}" =~ ^shutdown\ +system\ down ]]
	[[ "${lines[1]}" =~ ^runlevel\ +\(to\ lvl\ 6\) ]]
}

@test "shutdown -h now inside: rc0, shutdown record in wtmp, ends as a halt (SIGINT)" {
	boot
	wait_status rc "rc stop/waiting"
	shutdown_and_wait guest_exec shutdown -h now
	[ "$ENDED" = halt ]
	run trace_after 2
	[ "${lines[0]}" = "trace stop RUNLEVEL=0 PREVLEVEL=2" ]
	run guest_last
	[[ "${lines[0]}" =~ ^shutdown\ +system\ down ]]
	[[ "${lines[1]}" =~ ^runlevel\ +\(to\ lvl\ 0\) ]]
}

# ---------------------------------------------------------------------------
# /run/initctl, re-exec
# ---------------------------------------------------------------------------

@test "garbage written to /run/initctl changes nothing" {
	boot
	wait_status rc "rc stop/waiting"
	local before
	before=$(guest_exec initctl list)
	guest_sh 'head -c 384 /dev/urandom >/run/initctl'
	guest_sh 'printf short >/run/initctl'
	guest_sh 'head -c 1000 /dev/urandom >/run/initctl'
	sleep 0.2
	guest_alive
	run guest_exec runlevel
	[ "$output" = "N 2" ]
	run guest_exec initctl list
	[ "$output" = "$before" ]
	run who -r "$(guest_path /run/utmp)"
	[[ "$output" =~ run-level\ 2\ .*last=S ]]
	# Still served: a well-formed request after the garbage is obeyed
	# (magic 0x03091969, cmd 1 RUNLVL, runlevel '3', sleeptime 5; one
	# write of 384 bytes, little-endian).
	guest_sh 'printf "\151\031\011\003\001\000\000\000\063\000\000\000\005\000\000\000" >/tmp/req &&
		head -c 368 /dev/zero >>/tmp/req && cat /tmp/req >/run/initctl'
	wait_runlevel 3 2
}

@test "telinit u: stateful re-exec keeps initctl list identical" {
	boot
	wait_status rc "rc stop/waiting"
	local before
	before=$(guest_exec initctl list)
	run guest_exec telinit u
	[ "$status" -eq 0 ]
	# init answers first, then checks its image and execs.
	wait_for 10 "PID 1 re-executed" grep -q -- --restart "/proc/$NSPID/cmdline"
	wait_for 10 "init answers" guest_exec initctl version
	run guest_exec initctl list
	[ "$output" = "$before" ]
	run guest_exec runlevel
	[ "$output" = "N 2" ]
	# And it still runs things.
	run guest_exec telinit 3
	wait_runlevel 3 2
}

# The soft "Max open files" of a guest process.
nofile_of() {
	awk '/^Max open files/ { print $4 }' "/proc/$1/limits"
}

@test "PID 1 raises its descriptor limit; jobs keep the one init was given, also after a re-exec" {
	guest_write /etc/init/holder.conf <<'JOB'
exec sleep 100000
JOB
	# What the guest's init is given: this shell's limits, the soft one
	# lowered to the kernel's default for PID 1.  It raises the soft
	# limit to 65536 (at most nr_open), the hard one too when it may
	# (CAP_SYS_RESOURCE; this machine's sandbox may lack it), else up to
	# the hard limit.
	local given want nr_open hard caps
	ulimit -Sn 1024
	given=$(ulimit -Sn) hard=$(ulimit -Hn)
	nr_open=$(cat /proc/sys/fs/nr_open)
	want=$(( nr_open < 65536 ? nr_open : 65536 ))
	caps=$(awk '/^CapEff:/ { print $2 }' /proc/self/status)
	if (( (16#$caps >> 24 & 1) == 0 )) && [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ]; then
		want=$hard
	fi
	[ "$given" -lt "$want" ] || skip "init may not have more than $given descriptors here"
	boot
	[ "$(nofile_of "$NSPID")" = "$want" ]
	run guest_exec initctl start holder
	[ "$status" -eq 0 ]
	local pid
	pid=$(guest_exec initctl status holder | sed -n 's/.*process \([0-9]*\)$/\1/p')
	[ -n "$pid" ]
	[ "$(guest_exec awk '/^Max open files/ { print $4 }' "/proc/$pid/limits")" = "$given" ]
	run guest_exec telinit u
	[ "$status" -eq 0 ]
	wait_for 10 "PID 1 re-executed" grep -q -- --restart "/proc/$NSPID/cmdline"
	wait_for 10 "init answers" guest_exec initctl version
	guest_exec initctl stop holder
	guest_exec initctl start holder
	pid=$(guest_exec initctl status holder | sed -n 's/.*process \([0-9]*\)$/\1/p')
	[ "$(guest_exec awk '/^Max open files/ { print $4 }' "/proc/$pid/limits")" = "$given" ]
	[ "$(nofile_of "$NSPID")" = "$want" ]
}

# A static program that opens up to N connections to PID 1's control
# socket, asks each for the version, and keeps them all open: it writes
# how many were answered (not refused) to FILE, then sleeps.
holder_c() {
	cat <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int n = atoi(argv[1]), answered = 0;
	char buf[4096];
	FILE *f;

	strcpy(a.sun_path, "/run/upinit/control");
	for (int i = 0; i < n; i++) {
		int s = socket(AF_UNIX, SOCK_SEQPACKET, 0);
		struct timeval tv = { 2, 0 };
		ssize_t got;

		setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof a) < 0)
			continue;
		send(s, "{\"v\":1,\"cmd\":\"version\"}", 23, MSG_NOSIGNAL);
		got = recv(s, buf, sizeof buf - 1, 0);
		if (got > 0) {
			buf[got] = 0;
			if (!strstr(buf, "\"refused\""))
				answered++;
		}
	}
	if (!(f = fopen(argv[2], "w")))
		return 1;
	fprintf(f, "%d\n", answered);
	fclose(f);
	pause();
	return 0;
}
C
}

@test "PID 1: a user holding every connection it can does not keep root's initctl or telinit out" {
	command -v gcc >/dev/null || skip "no gcc"
	holder_c | gcc -static -O1 -x c -o "$BATS_TEST_TMPDIR/holder" - ||
		skip "cannot link a static program"
	guest_write /bin/holder 755 <"$BATS_TEST_TMPDIR/holder"
	boot
	# As uid 65534 (nobody), 2000 tries while the limit allows 4096.
	timeout 60 nsenter -t "$NSPID" -m -u -i -n -p -r -w -S 65534 -G 65534 \
		sh -c 'ulimit -n 4096; exec /bin/holder 2000 /tmp/held' 3>&- &
	local holder=$!
	wait_for 30 "the holder done" test -s "/proc/$NSPID/root/tmp/held"
	# Capped at 64 connections for one user; the rest were refused.
	[ "$(cat "/proc/$NSPID/root/tmp/held")" = 64 ]
	# Root, meanwhile: initctl and telinit are answered by the socket.
	run guest_exec initctl status rc
	[ "$status" -eq 0 ]
	[[ "$output" == "rc stop/waiting" ]]
	run guest_exec telinit q
	[ "$status" -eq 0 ]
	run guest_exec runlevel
	[ "$output" = "N 2" ]
	grep -q "Refusing control connection of uid 65534: too many connections of that user" \
		<(console)
	kill "$holder" 2>/dev/null || :
	wait "$holder" 2>/dev/null || :
}

@test "SIGTERM to PID 1: stateful re-exec, initctl list identical" {
	boot
	wait_status rc "rc stop/waiting"
	local before
	before=$(guest_exec initctl list)
	run grep -q -- --restart "/proc/$NSPID/cmdline"
	[ "$status" -ne 0 ]
	guest_kill TERM
	wait_for 10 "PID 1 re-executed" grep -q -- --restart "/proc/$NSPID/cmdline"
	wait_for 10 "init answers" guest_exec initctl version
	run guest_exec initctl list
	[ "$output" = "$before" ]
	run guest_exec runlevel
	[ "$output" = "N 2" ]
}

# ---------------------------------------------------------------------------
# sysvinit's own tools (Debian's sysvinit-core, unpacked into /opt/sysvinit)
# ---------------------------------------------------------------------------

sysvinit_require() {
	[ -x "$UPINIT_ROOTFS/opt/sysvinit/sbin/init" ] ||
		skip "sysvinit-core's tools are not in the rootfs"
}

@test "sysvinit's telinit 3 drives upinit through /run/initctl" {
	sysvinit_require
	boot
	wait_status rc "rc stop/waiting"
	run guest_exec /opt/sysvinit/sbin/telinit 3
	[ "$status" -eq 0 ]
	wait_runlevel 3 2
	wait_guest_file /run/marker-rc3
	grep -qx prevlevel=2 "$(guest_path /run/marker-rc3)"
}

@test "sysvinit's runlevel reads our utmp: N 2" {
	sysvinit_require
	boot
	run guest_exec /opt/sysvinit/sbin/runlevel
	[ "$status" -eq 0 ]
	[ "$output" = "N 2" ]
}

@test "sysvinit's shutdown -r now reboots the guest" {
	sysvinit_require
	boot
	wait_status rc "rc stop/waiting"
	shutdown_and_wait guest_exec /opt/sysvinit/sbin/shutdown -r now
	[ "$ENDED" = reboot ]
	run trace_after 2
	[ "${lines[0]}" = "trace stop RUNLEVEL=6 PREVLEVEL=2" ]
	run guest_last
	[[ "$output" =~ shutdown\ +system\ down ]]
}

@test "service and invoke-rc.d drive a native job through /etc/init.d/NAME -> /lib/init/upstart-job" {
	# Debian's own service(8) and invoke-rc.d(8) (init-system-helpers),
	# copied from this Debian host: they know no Upstart and run
	# /etc/init.d/NAME, which the wrapper turns into the job.
	[ -r /usr/sbin/service ] && [ -r /usr/sbin/invoke-rc.d ] ||
		skip "no Debian service/invoke-rc.d on this host"
	guest_write /usr/sbin/service 755 </usr/sbin/service
	guest_write /usr/sbin/invoke-rc.d 755 </usr/sbin/invoke-rc.d
	guest_write /etc/init/mysql.conf <<'JOB'
exec sleep 100000
JOB
	mkdir -p "$(guest_disk /etc/init.d)"
	ln -s /lib/init/upstart-job "$(guest_disk /etc/init.d/mysql)"
	boot
	run guest_exec /etc/init.d/mysql start
	[ "$status" -eq 0 ]
	wait_status mysql "mysql start/running, process"
	run guest_exec service mysql status
	[ "$status" -eq 0 ]
	[[ "$output" == *"mysql start/running, process "* ]]
	run guest_exec invoke-rc.d mysql stop
	[ "$status" -eq 0 ]
	wait_status mysql "mysql stop/waiting"
	run guest_exec service mysql start
	[ "$status" -eq 0 ]
	wait_status mysql "mysql start/running, process"
	run guest_exec invoke-rc.d mysql status
	[[ "$output" == *"mysql start/running, process "* ]]
	run guest_exec service mysql stop
	[ "$status" -eq 0 ]
	wait_status mysql "mysql stop/waiting"
}

@test "console output reaches the console after /dev/console stopped being one (a container's terminal, unmounted at shutdown by umountnfs.sh)" {
	guest_write /etc/init/say.conf <<'JOB'
console output
task
exec echo "say: $WORD"
JOB
	boot
	run guest_exec initctl start say WORD=before
	[ "$status" -eq 0 ]
	wait_for 5 "the first words on the console" grep -q "say: before" "$CONSOLE"
	# The harness's console is a terminal bind-mounted on /dev/console,
	# as LXC's; Debian's umountnfs.sh unmounts it (devpts, not in its
	# list to keep), leaving the empty file beneath.
	run guest_exec umount /dev/console
	[ "$status" -eq 0 ]
	run guest_exec initctl start say WORD=after
	[ "$status" -eq 0 ]
	wait_for 5 "the words after the unmount on the console" grep -q "say: after" "$CONSOLE"
	# Not into the file that is /dev/console now.
	run guest_exec cat /dev/console
	refute grep -q "say: after" <<<"$output"
}

@test "a fatal signal in PID 1: core from a child, stateful re-exec, nothing lost" {
	boot
	wait_status rc "rc stop/waiting"
	local before
	before=$(guest_exec initctl list)
	guest_kill SEGV
	wait_for 10 "PID 1 re-executed" grep -q -- --restart "/proc/$NSPID/cmdline"
	wait_for 10 "init answers" guest_exec initctl version
	guest_alive
	run guest_exec initctl list
	[ "$output" = "$before" ]
	console | grep -q "caught a fatal signal, core dumped; re-executing"
	# A second fault in the new image is handled the same way.
	guest_kill ABRT
	wait_for 10 "second re-exec" sh -c "console_count() { grep -c 'caught a fatal signal' '$CONSOLE'; }; [ \$(console_count) -ge 2 ]"
	wait_for 10 "init answers" guest_exec initctl version
	run guest_exec runlevel
	[ "$output" = "N 2" ]
}
