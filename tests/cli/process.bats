#!/usr/bin/env bats
# Job processes: how exec and script are run, their environment, console,
# umask/nice/oom/limit/chdir/chroot/setuid/setgid, spawn failures, expect,
# kill signal/timeout and reload signal (init(5), docs/state-machine.md).

load helpers
load helpers_proc

setup() { start_init --no-startup-event; }
teardown() { stop_init; }

# env_of FILE NAME: value of NAME in an `env` dump (one K=V per line).
env_of() { sed -n "s/^$2=//p" "$1"; }

# ---------------------------------------------------------------- exec/script

@test "exec without shell metacharacters is executed directly" {
	job direct <<'EOF'
exec sleep 300
EOF
	run start direct
	[ "$status" -eq 0 ]
	pid=$(main_pid direct)
	[ "$(cmdline "$pid")" = "sleep|300|" ]
	# a direct child of init, no shell in between
	[ "$(stat_field "$pid" 4)" = "$INIT_PID" ]
}

@test "exec splits arguments on spaces and tabs" {
	printf 'exec sleep\t  301   \n' | job spaced
	start spaced
	[ "$(cmdline "$(main_pid spaced)")" = "sleep|301|" ]
}

@test "exec with shell metacharacters runs through /bin/sh -e -c \"exec ...\"" {
	job meta <<'EOF'
exec sleep 300 & wait
EOF
	start meta
	pid=$(main_pid meta)
	[ "$(cmdline "$pid")" = "/bin/sh|-e|-c|exec sleep 300 & wait|" ]
}

@test "exec with \$VAR is expanded by the shell, not by init" {
	job expand <<'EOF'
task
console log
env GREETING=hello
exec echo "$GREETING from $UPSTART_JOB"
EOF
	run start expand
	[ "$output" = "expand stop/waiting" ]
	[ "$(cat "$T/log/expand.log")" = $'hello from expand\r' ]
}

@test "a multi-line script runs as /bin/sh -e /proc/self/fd/9" {
	job multi <<'EOF'
script
  sleep 300
  echo never
end script
EOF
	start multi
	pid=$(main_pid multi)
	[ "$(cmdline "$pid")" = "/bin/sh|-e|/proc/self/fd/9|" ]
	[ -e "/proc/$pid/fd/9" ]
}

@test "a one-line script runs as /bin/sh -e -c BODY /bin/sh" {
	job single <<'EOF'
script
sleep 302; echo never
end script
EOF
	start single
	[ "$(cmdline "$(main_pid single)")" = "/bin/sh|-e|-c|sleep 302; echo never|/bin/sh|" ]
}

@test "scripts run with -e: a failing command ends the script with its status" {
	job failing <<'EOF'
task
console log
script
  echo one
  sh -c 'exit 3'
  echo two
end script
EOF
	run start failing
	[ "$status" -eq 1 ]
	[ "$output" = "start: Job failed to start" ]
	[ "$(cat "$T/log/failing.log")" = $'one\r' ]
	wait_init_log "failing main process"
	grep -qE '^init: failing main process \([0-9]+\) terminated with status 3$' "$T/init.err"
}

@test "a one-line script also stops at the first failing command" {
	job failing1 <<'EOF'
task
console log
script
echo one; false; echo two
end script
EOF
	run start failing1
	[ "$status" -eq 1 ]
	[ "$output" = "start: Job failed to start" ]
	[ "$(cat "$T/log/failing1.log")" = $'one\r' ]
}

@test "the last of exec and script wins" {
	job lastwins <<'EOF'
task
console log
exec echo from-exec
script
echo from-script
end script
EOF
	start lastwins
	[ "$(cat "$T/log/lastwins.log")" = $'from-script\r' ]
}

# ---------------------------------------------------------------- environment

@test "env KEY=VALUE sets a default; later env overrides earlier" {
	job envjob <<EOF
task
env COLOR=red
env SHAPE=square
env SHAPE=circle
env QUOTED="two words"
exec env > $T/out/env
EOF
	start envjob
	[ "$(env_of "$T/out/env" COLOR)" = red ]
	[ "$(env_of "$T/out/env" SHAPE)" = circle ]
	[ "$(env_of "$T/out/env" QUOTED)" = "two words" ]
}

@test "env KEY copies KEY from init's environment, and is absent when init has none" {
	stop_init
	FROM_INIT=inherited-value start_init --no-startup-event
	job envcopy <<EOF
task
env FROM_INIT
env NOT_IN_INIT_ENV_XYZ
exec env > $T/out/env
EOF
	start envcopy
	[ "$(env_of "$T/out/env" FROM_INIT)" = inherited-value ]
	refute grep -q '^NOT_IN_INIT_ENV_XYZ' "$T/out/env"
}

@test "in user mode jobs inherit init's whole environment" {
	stop_init
	SOME_USER_VAR=abc start_init --no-startup-event
	job inherit <<EOF
task
exec env > $T/out/env
EOF
	start inherit
	[ "$(env_of "$T/out/env" SOME_USER_VAR)" = abc ]
}

@test "start JOB K=V overrides env defaults" {
	job override <<EOF
task
env COLOR=red
env KEEP=kept
exec env > $T/out/env
EOF
	run start override COLOR=blue EXTRA=1
	[ "$status" -eq 0 ]
	[ "$(env_of "$T/out/env" COLOR)" = blue ]
	[ "$(env_of "$T/out/env" KEEP)" = kept ]
	[ "$(env_of "$T/out/env" EXTRA)" = 1 ]
}

@test "UPSTART_JOB and UPSTART_INSTANCE; no UPSTART_EVENTS on a manual start" {
	defjob ident <<EOF
task
instance \$N
exec env > $T/out/env.\$N
EOF
	run start ident N=seven
	[ "$status" -eq 0 ]
	f=$T/out/env.seven
	[ "$(env_of "$f" UPSTART_JOB)" = ident ]
	[ "$(env_of "$f" UPSTART_INSTANCE)" = seven ]
	[ "$(env_of "$f" N)" = seven ]
	refute grep -q '^UPSTART_EVENTS=' "$f"
	refute grep -q '^UPSTART_EVENT=' "$f"
}

@test "UPSTART_INSTANCE is set and empty for a single-instance job" {
	job single-env <<EOF
task
exec env > $T/out/env
EOF
	start single-env
	grep -qx 'UPSTART_INSTANCE=' "$T/out/env"
	grep -qx 'UPSTART_JOB=single-env' "$T/out/env"
}

@test "UPSTART_EVENTS, UPSTART_EVENT and the event's variables reach an event-started job" {
	job onevent <<EOF
task
start on wake-up
exec env > $T/out/env
EOF
	run initctl emit wake-up WHO=me
	[ "$status" -eq 0 ]
	wait_file "$T/out/env"
	wait_status onevent "onevent stop/waiting"
	[ "$(env_of "$T/out/env" UPSTART_EVENTS)" = wake-up ]
	[ "$(env_of "$T/out/env" UPSTART_EVENT)" = wake-up ]
	[ "$(env_of "$T/out/env" WHO)" = me ]
}

@test "UPSTART_EVENTS lists every event of an and" {
	job both <<EOF
task
start on first-ev and second-ev
exec env > $T/out/env
EOF
	initctl emit --no-wait first-ev A=1
	initctl emit second-ev B=2
	wait_file "$T/out/env"
	[ "$(env_of "$T/out/env" UPSTART_EVENTS)" = "first-ev second-ev" ]
	[ "$(env_of "$T/out/env" A)" = 1 ]
	[ "$(env_of "$T/out/env" B)" = 2 ]
}

@test "exported variables appear in the job's starting/started/stopping/stopped events" {
	job exporter <<'EOF'
env FLAVOUR=vanilla
env HIDDEN=no
export FLAVOUR
exec sleep 300
EOF
	for ev in starting started stopping stopped; do
		job "watch-$ev" <<EOF
start on $ev exporter
task
exec env > $T/out/$ev
EOF
	done
	run start exporter FLAVOUR=mint
	[ "$status" -eq 0 ]
	wait_file "$T/out/started"
	run stop exporter
	[ "$status" -eq 0 ]
	wait_file "$T/out/stopped"
	for ev in starting started stopping stopped; do
		f=$T/out/$ev
		[ "$(env_of "$f" JOB)" = exporter ]
		grep -qx 'INSTANCE=' "$f"
		[ "$(env_of "$f" FLAVOUR)" = mint ]
		refute grep -q '^HIDDEN=' "$f"
		[ "$(env_of "$f" UPSTART_EVENTS)" = "$ev" ]
	done
	[ "$(env_of "$T/out/stopping" RESULT)" = ok ]
	[ "$(env_of "$T/out/stopped" RESULT)" = ok ]
}

@test "pre-stop and post-stop see UPSTART_STOP_EVENTS and the stop event's variables" {
	job stopenv <<EOF
stop on go-away
pre-stop exec env > $T/out/pre-stop
post-stop exec env > $T/out/post-stop
exec sleep 300
EOF
	start stopenv
	run initctl emit go-away REASON=done
	[ "$status" -eq 0 ]
	wait_status stopenv "stopenv stop/waiting"
	for p in pre-stop post-stop; do
		[ "$(env_of "$T/out/$p" UPSTART_STOP_EVENTS)" = go-away ]
		[ "$(env_of "$T/out/$p" REASON)" = done ]
		[ "$(env_of "$T/out/$p" UPSTART_JOB)" = stopenv ]
	done
}

@test "stop JOB K=V gives K=V to pre-stop and post-stop" {
	job stopkv <<EOF
pre-stop exec env > $T/out/pre-stop
post-stop exec env > $T/out/post-stop
exec sleep 300
EOF
	start stopkv
	run stop stopkv WHY=manual
	[ "$status" -eq 0 ]
	[ "$output" = "stopkv stop/waiting" ]
	[ "$(env_of "$T/out/pre-stop" WHY)" = manual ]
	[ "$(env_of "$T/out/post-stop" WHY)" = manual ]
}

@test "the main process does not get the stop environment" {
	job mainenv <<EOF
stop on halt-it
script
  env > $T/out/main
  exec sleep 300
end script
EOF
	start mainenv
	wait_file "$T/out/main"
	initctl emit halt-it X=1
	wait_status mainenv "mainenv stop/waiting"
	refute grep -q '^UPSTART_STOP_EVENTS=' "$T/out/main"
	refute grep -q '^X=' "$T/out/main"
}

# -------------------------------------------------------------------- console

@test "console none discards the output" {
	job quiet <<'EOF'
task
console none
exec echo should-not-appear
EOF
	run start quiet
	[ "$output" = "quiet stop/waiting" ]
	[ ! -e "$T/log/quiet.log" ]
	refute grep -q should-not-appear "$T/init.out" "$T/init.err"
}

@test "console log writes LOGDIR/JOB.log with \\r\\n line endings, stdout and stderr" {
	job logged <<'EOF'
task
console log
script
  echo out-line
  echo err-line >&2
end script
EOF
	start logged
	[ "$(cat "$T/log/logged.log")" = $'out-line\r\nerr-line\r' ]
	[ "$(od -An -c "$T/log/logged.log" | tr -d ' \n')" = 'out-line\r\nerr-line\r\n' ]
}

@test "console log appends across runs" {
	job again <<'EOF'
task
console log
exec echo run
EOF
	start again
	start again
	[ "$(cat "$T/log/again.log")" = $'run\r\nrun\r' ]
}

@test "console log is the default console" {
	job deflog <<'EOF'
task
exec echo default-console
EOF
	start deflog
	[ "$(cat "$T/log/deflog.log")" = $'default-console\r' ]
}

@test "console log names instance logs JOB-INSTANCE.log and turns / into _" {
	defjob net/web <<'EOF'
task
console log
instance $PORT
exec echo port $PORT
EOF
	run start net/web PORT=80
	[ "$status" -eq 0 ]
	[ "$(cat "$T/log/net_web-80.log")" = $'port 80\r' ]
	[ ! -e "$T/log/net_web.log" ]
}

@test "console log: a job's stdin is /dev/null" {
	job stdin <<'EOF'
task
console log
exec readlink /proc/self/fd/0
EOF
	start stdin
	[ "$(cat "$T/log/stdin.log")" = $'/dev/null\r' ]
}

@test "console output goes to init's own stdout and stderr in user mode" {
	job loud <<'EOF'
task
console output
script
  echo loud-out
  echo loud-err >&2
end script
EOF
	start loud
	grep -qx loud-out "$T/init.out"
	grep -qx loud-err "$T/init.err"
	[ ! -e "$T/log/loud.log" ]
}

@test "--no-log turns console log into console none" {
	stop_init
	start_init --no-startup-event --no-log
	job nolog <<'EOF'
task
console log
exec echo nothing
EOF
	run start nolog
	[ "$output" = "nolog stop/waiting" ]
	[ ! -e "$T/log/nolog.log" ]
	refute grep -q nothing "$T/init.out"
}

@test "--default-console none applies to jobs without a console stanza" {
	stop_init
	start_init --no-startup-event --default-console none
	job dnone <<'EOF'
task
exec echo dropped
EOF
	job dlog <<'EOF'
task
console log
exec echo kept
EOF
	start dnone
	start dlog
	[ ! -e "$T/log/dnone.log" ]
	refute grep -q dropped "$T/init.out"
	[ "$(cat "$T/log/dlog.log")" = $'kept\r' ]
}

@test "--default-console output sends unconfigured jobs to init's stdout" {
	stop_init
	start_init --no-startup-event --default-console output
	job dout <<'EOF'
task
exec echo to-init-stdout
EOF
	start dout
	grep -qx to-init-stdout "$T/init.out"
	[ ! -e "$T/log/dout.log" ]
}

# ---------------------------------------------- process attributes

@test "umask sets the file creation mask; the default is 022" {
	job um <<'EOF'
task
console log
umask 027
exec /bin/sh -c umask
EOF
	job umdef <<'EOF'
task
console log
exec /bin/sh -c umask
EOF
	start um
	start umdef
	[ "$(cat "$T/log/um.log")" = $'0027\r' ]
	[ "$(cat "$T/log/umdef.log")" = $'0022\r' ]
}

@test "umask applies to files the job creates" {
	job umfile <<EOF
task
umask 077
exec touch $T/out/created
EOF
	start umfile
	[ "$(stat -c %a "$T/out/created")" = 600 ]
}

@test "nice sets the scheduling priority of the job's processes" {
	job nicejob <<'EOF'
nice 7
pre-start exec true
exec sleep 300
EOF
	start nicejob
	pid=$(main_pid nicejob)
	[ "$(stat_field "$pid" 19)" = 7 ]
	[ "$(ps -o ni= -p "$pid" | tr -d ' ')" = 7 ]
}

@test "oom score writes /proc/PID/oom_score_adj" {
	job oomjob <<'EOF'
oom score 500
exec sleep 300
EOF
	start oomjob
	[ "$(cat "/proc/$(main_pid oomjob)/oom_score_adj")" = 500 ]
}

@test "oom score never means -1000 (needs root to lower)" {
	sh -c 'echo -1000 >/proc/self/oom_score_adj' 2>/dev/null ||
		skip "this system does not let us lower oom_score_adj"
	job oomnever <<'EOF'
oom score never
exec sleep 300
EOF
	start oomnever
	[ "$(cat "/proc/$(main_pid oomnever)/oom_score_adj")" = -1000 ]
}

@test "legacy oom ADJ is scaled to oom_score_adj" {
	job oomold <<'EOF'
oom 10
exec sleep 300
EOF
	start oomold
	# 10 * 1000 / 15
	[ "$(cat "/proc/$(main_pid oomold)/oom_score_adj")" = 666 ]
}

@test "limit sets resource limits (soft and hard, unlimited)" {
	# raising a hard limit needs root; lowering is always allowed
	core=unlimited
	[ "$(id -u)" -eq 0 ] || [ "$(ulimit -Hc)" = unlimited ] || core=0
	job limited <<EOF
limit nofile 123 456
limit core $core $core
limit nofile 124 457
exec sleep 300
EOF
	start limited
	pid=$(main_pid limited)
	grep -E '^Max open files +124 +457 +files' "/proc/$pid/limits"
	grep -E "^Max core file size +$core +$core +bytes" "/proc/$pid/limits"
}

@test "chdir sets the working directory" {
	mkdir -p "$T/work dir"
	job wd <<EOF
task
console log
chdir "$T/work dir"
exec pwd
EOF
	start wd
	[ "$(cat "$T/log/wd.log")" = "$T/work dir"$'\r' ]
}

@test "chroot runs the job inside the directory (root only)" {
	[ "$(id -u)" -eq 0 ] || skip "chroot needs root"
	root=$T/root
	mkdir -p "$root/bin" "$root/data"
	if [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1; then
		cp /bin/busybox "$root/bin/busybox"
		ln -s busybox "$root/bin/sh"
	else
		# no static busybox: copy the shell and the libraries it needs
		sh=$(readlink -f /bin/sh)
		cp "$sh" "$root/bin/sh"
		for lib in $(ldd "$sh" | grep -o '/[^ ]*'); do
			mkdir -p "$root$(dirname "$lib")"
			cp "$lib" "$root$lib"
		done
	fi
	echo inside > "$root/data/marker"
	job jailed <<EOF
task
chroot $root
chdir /data
exec /bin/sh -c 'read x < marker; echo "\$x \$PWD" > /data/result'
EOF
	run start jailed
	[ "$status" -eq 0 ]
	[ "$(cat "$root/data/result")" = "inside /data" ]
}

@test "setuid and setgid run the job as that user and group (root only)" {
	[ "$(id -u)" -eq 0 ] || skip "setuid needs root"
	getent passwd nobody >/dev/null && getent group nogroup >/dev/null || skip "no nobody/nogroup"
	job asnobody <<'EOF'
task
console log
setuid nobody
setgid nogroup
exec id
EOF
	start asnobody
	[ "$(cat "$T/log/asnobody.log")" = $'uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\r' ]
}

@test "setuid alone uses the user's primary group; scripts still run (fd 9 readable)" {
	[ "$(id -u)" -eq 0 ] || skip "setuid needs root"
	getent passwd nobody >/dev/null || skip "no nobody"
	job asnobody2 <<'EOF'
task
console log
setuid nobody
script
  id -un
  id -gn
end script
EOF
	run start asnobody2
	[ "$status" -eq 0 ]
	[ "$(cat "$T/log/asnobody2.log")" = "nobody"$'\r\n'"$(id -gn nobody)"$'\r' ]
}

@test "setuid applies to pre-start as well as main" {
	[ "$(id -u)" -eq 0 ] || skip "setuid needs root"
	job hooksuid2 <<EOF
task
setuid nobody
console log
pre-start exec id -u
exec id -u
EOF
	run start hooksuid2
	[ "$status" -eq 0 ]
	[ "$(cat "$T/log/hooksuid2.log")" = $'65534\r\n65534\r' ]
}

# ------------------------------------------------------------ spawn failures

@test "a missing executable: init says why, start fails" {
	job missing <<'EOF'
exec /nonexistent/program --flag
EOF
	run start missing
	[ "$status" -eq 1 ]
	[ "$output" = "start: Job failed to start" ]
	wait_init_log "Failed to spawn missing"
	grep -qx 'init: Failed to spawn missing main process: unable to execute: No such file or directory' "$T/init.err"
	run status missing
	[ "$output" = "missing stop/waiting" ]
	assert_init_alive
}

@test "a bad chdir: unable to change working directory" {
	job badwd <<'EOF'
chdir /nonexistent/dir
exec sleep 300
EOF
	run start badwd
	[ "$status" -eq 1 ]
	[ "$output" = "start: Job failed to start" ]
	grep -qx 'init: Failed to spawn badwd main process: unable to change working directory: No such file or directory' "$T/init.err"
}

@test "an unknown setuid user: unable to find setuid user" {
	job baduser <<'EOF'
setuid no-such-user-upinit
exec sleep 300
EOF
	run start baduser
	[ "$status" -eq 1 ]
	[ "$output" = "start: Job failed to start" ]
	grep -qx 'init: Failed to spawn baduser main process: unable to find setuid user' "$T/init.err"
}

@test "an unknown setgid group: unable to find setgid group" {
	job badgroup <<'EOF'
setgid no-such-group-upinit
exec sleep 300
EOF
	run start badgroup
	[ "$status" -eq 1 ]
	[ "$output" = "start: Job failed to start" ]
	grep -qx 'init: Failed to spawn badgroup main process: unable to find setgid group' "$T/init.err"
}

@test "a pre-start that cannot be spawned fails the job with PROCESS=pre-start and no EXIT_*" {
	job badpre <<'EOF'
pre-start exec /nonexistent/pre
exec sleep 300
EOF
	job watch-badpre <<EOF
start on stopped badpre
task
exec env > $T/out/stopped
EOF
	run start badpre
	[ "$status" -eq 1 ]
	[ "$output" = "start: Job failed to start" ]
	grep -qx 'init: Failed to spawn badpre pre-start process: unable to execute: No such file or directory' "$T/init.err"
	wait_file "$T/out/stopped"
	[ "$(env_of "$T/out/stopped" RESULT)" = failed ]
	[ "$(env_of "$T/out/stopped" PROCESS)" = pre-start ]
	refute grep -q '^EXIT_' "$T/out/stopped"
}

@test "initctl start names itself in its messages" {
	job missing2 <<'EOF'
exec /nonexistent/program
EOF
	run initctl start missing2
	[ "$status" -eq 1 ]
	[ "$output" = "initctl: Job failed to start" ]
}

# --------------------------------------------------------------------- expect

@test "expect stop: the job is running only after the process stopped itself, then continues" {
	job stopper <<EOF
expect stop
script
  echo before > $T/out/before
  kill -STOP \$\$
  echo after > $T/out/after
  exec sleep 300
end script
EOF
	run start stopper
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^"stopper start/running, process "[0-9]+$ ]]
	wait_file "$T/out/after"
	pid=$(main_pid stopper)
	alive "$pid"
	[ "$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$pid/status")" = S ]
	run stop stopper
	[ "$output" = "stopper stop/waiting" ]
	wait_dead "$pid"
}

@test "expect fork: status shows the forked child's pid, stop kills it" {
	job forker <<'EOF'
expect fork
exec /bin/sh -c 'sleep 303 & exit 0'
EOF
	run start forker
	[ "$status" -eq 0 ]
	pid=$(main_pid forker)
	wait_cmdline "$pid" "sleep|303|"
	[ "$output" = "forker start/running, process $pid" ]
	run stop forker
	[ "$status" -eq 0 ]
	[ "$output" = "forker stop/waiting" ]
	wait_dead "$pid"
}

@test "expect daemon: status shows the grandchild's pid (sh subshell), stop kills it" {
	job daemon1 <<'EOF'
expect daemon
exec /bin/sh -c '(sleep 304 &); exit 0'
EOF
	run start daemon1
	[ "$status" -eq 0 ]
	pid=$(main_pid daemon1)
	wait_cmdline "$pid" "sleep|304|"
	run stop daemon1
	[ "$output" = "daemon1 stop/waiting" ]
	wait_dead "$pid"
}

@test "expect daemon: start-stop-daemon --background" {
	command -v start-stop-daemon >/dev/null || skip "no start-stop-daemon"
	job daemon2 <<EOF
expect daemon
exec start-stop-daemon --start --background --make-pidfile --pidfile $T/out/ssd.pid --startas /bin/sleep -- 305
EOF
	run start daemon2
	[ "$status" -eq 0 ]
	pid=$(main_pid daemon2)
	wait_file "$T/out/ssd.pid"
	[ "$pid" = "$(cat "$T/out/ssd.pid")" ]
	wait_cmdline "$pid" "/bin/sleep|305|"
	run stop daemon2
	[ "$output" = "daemon2 stop/waiting" ]
	wait_dead "$pid"
}

@test "expect fork: the main process ending later stops the job" {
	job forkend <<'EOF'
expect fork
exec /bin/sh -c 'sleep 0.3 & exit 0'
EOF
	start forkend
	pid=$(main_pid forkend)
	wait_status forkend "forkend stop/waiting"
	refute alive "$pid"
}

@test "expect fork of a program that never forks: spawned until stopped, and stop ends it with the kill signal at once" {
	job nofork <<'EOF'
expect fork
kill timeout 60
exec sleep 312
EOF
	"$INITCTL" start --no-wait nofork
	wait_status nofork "nofork start/spawned, process"
	pid=$(main_pid nofork)
	wait_cmdline "$pid" "sleep|312|"
	# Traced and running: the kill signal must still end it, not stop
	# it for the kill timeout.
	run timeout 10 "$INITCTL" stop nofork
	[ "$status" -eq 0 ]
	[ "$output" = "nofork stop/waiting" ]
	wait_dead "$pid"
	grep -q "nofork main process ($pid) killed by TERM signal" "$T/init.err"
}

# expect_storm EXPECT EXEC: start 40 instances at once, each must reach
# start/running (a process that forks or stops the moment it execs can
# beat init's read of the launch report).
expect_storm() {
	local n pids=() bad=0
	printf 'instance $N\nexpect %s\nexec %s\n' "$1" "$2" | conf storm
	wait_for "storm known" "$INITCTL" show-config storm
	for n in $(seq 1 40); do
		timeout 20 "$INITCTL" start storm N=$n >"$T/out/start.$n" 2>&1 &
		pids+=($!)
	done
	for n in "${!pids[@]}"; do
		wait "${pids[$n]}" || { bad=$((bad + 1)); cat "$T/out/start.$((n + 1))" >&2; }
	done
	"$INITCTL" list | grep -c '^storm (.*) start/running, process' >"$T/out/count"
	[ "$bad" = 0 ] || { echo "$bad starts did not end" >&2; "$INITCTL" list >&2; return 1; }
	[ "$(cat "$T/out/count")" = 40 ]
}

@test "expect fork: 40 instances that fork at once all reach start/running" {
	expect_storm fork "/bin/sh -c 'sleep 310 & exit 0'"
}

@test "expect stop: 40 instances that stop at once all reach start/running" {
	expect_storm stop "/bin/sh -c 'kill -STOP \$\$; exec sleep 311'"
}

# ------------------------------------------------------- kill and reload

# term_trap_job NAME [STANZA]: a job (with STANZA) whose script writes
# got-term to $T/out/sig on SIGTERM and exits; started, and ready.
term_trap_job() {
	job "$1" <<EOF
${2:-}
script
  trap "echo got-term > $T/out/sig; exit 0" TERM
  echo ready > $T/out/ready
  while :; do sleep 0.05; done
end script
EOF
	start "$1"
	wait_file "$T/out/ready"
}

@test "stop of a job whose process is stopped (SIGSTOP) ends it with the kill signal at once, not at the kill timeout" {
	term_trap_job frozen "kill timeout 60"
	pid=$(main_pid frozen)
	kill -STOP -- "-$pid"
	wait_for "stopped" sh -c "grep -q '^State:.*T' /proc/$pid/status"
	run timeout 10 "$INITCTL" stop frozen
	[ "$status" -eq 0 ]
	[ "$output" = "frozen stop/waiting" ]
	[ "$(cat "$T/out/sig")" = got-term ]
	wait_dead "$pid"
}

@test "stop sends SIGTERM by default" {
	term_trap_job termed
	pid=$(main_pid termed)
	run stop termed
	[ "$output" = "termed stop/waiting" ]
	[ "$(cat "$T/out/sig")" = got-term ]
	wait_dead "$pid"
	assert_init_alive
}

@test "a killed main process is logged: killed by TERM signal / killed by KILL signal" {
	job termlog <<'EOF'
exec sleep 300
EOF
	job killlog <<EOF
kill timeout 1
script
  trap "" TERM
  echo ready > $T/out/ready
  while :; do sleep 0.05; done
end script
EOF
	start termlog
	pid=$(main_pid termlog)
	stop termlog
	start killlog
	wait_file "$T/out/ready"
	kpid=$(main_pid killlog)
	stop killlog
	grep -qx "init: termlog main process ($pid) killed by TERM signal" "$T/init.err"
	grep -qx "init: killlog main process ($kpid) killed by KILL signal" "$T/init.err"
}

@test "kill timeout: a job ignoring SIGTERM gets SIGKILL after the timeout" {
	job stubborn <<EOF
kill timeout 1
script
  trap "" TERM
  echo ready > $T/out/ready
  while :; do sleep 0.05; done
end script
EOF
	start stubborn
	wait_file "$T/out/ready"
	pid=$(main_pid stubborn)
	t0=$(date +%s%N)
	run stop stubborn
	t1=$(date +%s%N)
	[ "$status" -eq 0 ]
	[ "$output" = "stubborn stop/waiting" ]
	refute alive "$pid"
	ms=$(((t1 - t0) / 1000000))
	[ "$ms" -ge 900 ]
	[ "$ms" -lt 4000 ]
}

@test "kill signal changes the first signal sent" {
	job intjob <<EOF
kill signal INT
kill timeout 5
script
  trap "echo got-int > $T/out/sig; exit 0" INT
  trap "echo got-term > $T/out/sig; exit 0" TERM
  echo ready > $T/out/ready
  while :; do sleep 0.05; done
end script
EOF
	start intjob
	wait_file "$T/out/ready"
	run stop intjob
	[ "$output" = "intjob stop/waiting" ]
	[ "$(cat "$T/out/sig")" = got-int ]
}

@test "kill signal accepts SIGNAME and numbers" {
	job usr2job <<EOF
kill signal SIGUSR2
script
  trap "echo got-usr2 > $T/out/sig; exit 0" USR2
  echo ready > $T/out/ready
  while :; do sleep 0.05; done
end script
EOF
	start usr2job
	wait_file "$T/out/ready"
	stop usr2job
	[ "$(cat "$T/out/sig")" = got-usr2 ]
	job numjob <<EOF
kill signal 10
script
  trap "echo got-10 > $T/out/sig10; exit 0" USR1
  echo ready > $T/out/ready10
  while :; do sleep 0.05; done
end script
EOF
	start numjob
	wait_file "$T/out/ready10"
	stop numjob
	[ "$(cat "$T/out/sig10")" = got-10 ]
}

@test "the stop signal goes to the whole process group" {
	job group <<EOF
script
  sleep 306 &
  echo \$! > $T/out/child
  wait
end script
EOF
	start group
	wait_file "$T/out/child"
	child=$(cat "$T/out/child")
	alive "$child"
	run stop group
	[ "$output" = "group stop/waiting" ]
	wait_dead "$child"
}

@test "SIGKILL after the timeout also reaches the whole process group" {
	job group2 <<EOF
kill timeout 1
script
  trap "" TERM
  sh -c 'trap "" TERM; echo \$\$ > $T/out/child; while :; do sleep 0.05; done' &
  while :; do sleep 0.05; done
end script
EOF
	start group2
	wait_file "$T/out/child"
	child=$(cat "$T/out/child")
	run stop group2
	[ "$output" = "group2 stop/waiting" ]
	wait_dead "$child"
}

@test "reload sends SIGHUP to the main process only" {
	job reloader <<EOF
script
  trap "echo hup >> $T/out/main" HUP
  sh -c 'trap "echo hup >> $T/out/child" HUP; echo \$\$ > $T/out/childpid; while :; do sleep 0.05; done' &
  while :; do wait || :; done
end script
EOF
	start reloader
	wait_file "$T/out/childpid"
	pid=$(main_pid reloader)
	run reload reloader
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	wait_grep "$T/out/main" hup
	sleep 0.2
	[ ! -e "$T/out/child" ]
	[ "$(main_pid reloader)" = "$pid" ]
	run status reloader
	[ "$output" = "reloader start/running, process $pid" ]
}

@test "reload signal USR1 changes the reload signal" {
	job reloader2 <<EOF
reload signal USR1
script
  trap "echo usr1 >> $T/out/sig" USR1
  trap "echo hup >> $T/out/sig" HUP
  echo ready > $T/out/ready
  while :; do sleep 0.05; done
end script
EOF
	start reloader2
	wait_file "$T/out/ready"
	reload reloader2
	wait_file "$T/out/sig"
	sleep 0.1
	[ "$(cat "$T/out/sig")" = usr1 ]
}

@test "reload of a job that is not running fails" {
	job idle <<'EOF'
exec sleep 300
EOF
	run reload idle
	[ "$status" -eq 1 ]
	[ "$output" = "reload: Unknown instance: " ]
}

@test "a multi-line script runs whatever descriptor number it lands on" {
	# The script's memfd is the lowest free descriptor in init; when it is
	# 9 itself, dup2(9, 9) would leave it close-on-exec.  Walk the number
	# up past 9 with services that each hold a log pty open.
	stop_init
	start_init 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- 10>&- 11>&- 12>&-
	for i in 0 1 2 3 4 5 6 7; do
		defjob "pad$i" <<'EOF2'
exec sleep 1000
EOF2
		defjob "scr$i" <<'EOF2'
script
  echo ran
  exec sleep 1000
end script
EOF2
	done
	for i in 0 1 2 3 4 5 6 7; do
		run start "scr$i"
		[ "$status" -eq 0 ]
		wait_for "scr$i output" grep -q ran "$T/log/scr$i.log"
		refute grep -q "cannot open" "$T/log/scr$i.log"
		run start "pad$i"
		[ "$status" -eq 0 ]
	done
}
