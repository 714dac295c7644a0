#!/usr/bin/env bats
# Job files: every stanza of init(5), parse errors, override files, job
# names, inotify and reloading, the Upstart corpus, hostile files and
# init-checkconf.

load helpers
load helpers_proc

CORPUS=${UPINIT_CORPUS:-$BATS_TEST_DIRNAME/../corpus/upstart-jobs}

setup() { start_init --no-startup-event; }
teardown() { stop_init; }

# bad NAME: write $T/conf/NAME.conf from stdin (no waiting).
bad() { conf "$1"; }

# --------------------------------------------------------- every stanza

@test "a file using every stanza of init(5) is accepted" {
	defjob every <<'EOF'
# every stanza of init(5)
description "every stanza"
author "Jane Doe <jane@example.com>"
version "1.2.3"
emits every-ready every-*
emits every-gone
usage "start every NAME=<name>"
start on (begin-a and begin-b X=1) or begin-c
stop on end-a or end-b
manual
start on begin-d or begin-e
env FOO=bar
env HOME
export FOO
task
respawn
respawn limit 3 7
normal exit 0 1 TERM SIGHUP
instance $NAME
console log
umask 027
nice 5
oom score 100
oom 5
chroot /
chdir /tmp
limit nofile 100 200
limit core unlimited unlimited
setuid root
setgid root
expect none
kill signal INT
kill timeout 3
reload signal USR1
apparmor load /etc/apparmor.d/none
apparmor switch unconfined
cgroup memory
debug
pre-start exec true
post-start exec true
pre-stop exec true
post-stop exec true
exec true
script
  true
end script
pre-start script
  true
end script
post-start script
  true
end script
pre-stop script
  true
end script
post-stop script
  true
end script
EOF
	refute grep -q every.conf "$T/init.err"
	run initctl show-config every
	[ "$status" -eq 0 ]
	[ "$output" = "every
  emits every-ready
  emits every-*
  emits every-gone
  start on (begin-d or begin-e)
  stop on (end-a or end-b)" ]
	run initctl usage every
	[ "$output" = "Usage: start every NAME=<name>" ]
	run initctl status every
	[ "$status" -eq 1 ]
	[ "$output" = "initctl: Unknown parameter: NAME" ]
	run "$UPINIT_BUILD/init-checkconf" "$T/conf/every.conf"
	[ "$status" -eq 0 ]
	[ "$output" = "File $T/conf/every.conf: syntax ok" ]
	assert_init_alive
}

@test "pre-start, post-start, pre-stop and post-stop run in their order around main" {
	job hooks <<EOF
pre-start exec /bin/sh -c 'echo pre-start >> $T/out/order'
post-start exec /bin/sh -c 'echo post-start >> $T/out/order'
pre-stop exec /bin/sh -c 'echo pre-stop >> $T/out/order'
post-stop exec /bin/sh -c 'echo post-stop >> $T/out/order'
exec sleep 300
EOF
	run start hooks
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^"hooks start/running, process "[0-9]+$ ]]
	# started is only reached after post-start finished
	[ "$(cat "$T/out/order")" = "pre-start
post-start" ]
	run stop hooks
	[ "$output" = "hooks stop/waiting" ]
	[ "$(cat "$T/out/order")" = "pre-start
post-start
pre-stop
post-stop" ]
}

@test "a failing pre-start fails the job and main never runs" {
	job prefail <<EOF
pre-start exec /bin/sh -c 'exit 4'
exec touch $T/out/main-ran
EOF
	run start prefail
	[ "$status" -eq 1 ]
	[ "$output" = "start: Job failed to start" ]
	[ ! -e "$T/out/main-ran" ]
	grep -qE '^init: prefail pre-start process \([0-9]+\) terminated with status 4$' "$T/init.err"
	run status prefail
	[ "$output" = "prefail stop/waiting" ]
}

@test "post-start and pre-stop exit statuses are ignored" {
	job ignored <<'EOF'
post-start exec false
pre-stop exec false
exec sleep 300
EOF
	run start ignored
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^"ignored start/running, process "[0-9]+$ ]]
	run stop ignored
	[ "$status" -eq 0 ]
	[ "$output" = "ignored stop/waiting" ]
}

@test "pre-stop does not run when main ends by itself" {
	job selfend <<EOF
pre-stop exec touch $T/out/pre-stop
post-stop exec touch $T/out/post-stop
exec sleep 0.2
EOF
	start selfend
	wait_status selfend "selfend stop/waiting"
	wait_file "$T/out/post-stop"
	[ ! -e "$T/out/pre-stop" ]
}

@test "start on starts the job on its event, stop on stops it" {
	job evjob <<'EOF'
start on wake NAME=ok*
stop on sleep
exec sleep 300
EOF
	initctl emit wake NAME=nope
	run status evjob
	[ "$output" = "evjob stop/waiting" ]
	initctl emit wake NAME=okay
	wait_status evjob "evjob start/running"
	initctl emit sleep
	wait_status evjob "evjob stop/waiting"
}

@test "manual discards the start on seen so far; a later start on counts again" {
	job man1 <<'EOF'
start on poke
manual
exec sleep 300
EOF
	job man2 <<'EOF'
manual
start on poke
exec sleep 300
EOF
	run initctl show-config man1
	[ "$output" = "man1" ]
	run initctl show-config man2
	[ "$output" = "man2
  start on poke" ]
	initctl emit poke
	wait_status man2 "man2 start/running"
	run status man1
	[ "$output" = "man1 stop/waiting" ]
	# a manual job still starts by hand
	run start man1
	[ "$status" -eq 0 ]
}

@test "task: start waits for the task to finish and prints stop/waiting" {
	job atask <<EOF
task
exec /bin/sh -c 'sleep 0.3; touch $T/out/done'
EOF
	run start atask
	[ "$status" -eq 0 ]
	[ "$output" = "atask stop/waiting" ]
	[ -e "$T/out/done" ]
}

@test "respawn restarts the main process when it dies" {
	job resp <<'EOF'
respawn
exec sleep 300
EOF
	start resp
	pid=$(main_pid resp)
	kill -KILL "$pid"
	wait_for "new pid" sh -c "\"$INITCTL\" status resp | grep -q 'start/running, process' && ! \"$INITCTL\" status resp | grep -q 'process $pid\$'"
	run status resp
	[[ "$output" =~ ^"resp start/running, process "[0-9]+$ ]]
	[ "$output" != "resp start/running, process $pid" ]
}

@test "respawn limit COUNT INTERVAL stops a runaway job" {
	job runaway <<'EOF'
respawn
respawn limit 2 10
exec /bin/sh -c 'exit 1'
EOF
	start runaway || true
	wait_init_log "runaway respawning too fast, stopped"
	wait_status runaway "runaway stop/waiting"
	# the first run and two respawns
	[ "$(grep -c 'runaway main process .* terminated with status 1' "$T/init.err")" -eq 3 ]
}

@test "respawn limit alone does not enable respawn" {
	job nolimit <<'EOF'
respawn limit 5 5
exec sleep 300
EOF
	start nolimit
	kill "$(main_pid nolimit)"
	wait_status nolimit "nolimit stop/waiting"
	refute grep -q 'nolimit main process ended, respawning' "$T/init.err"
}

@test "normal exit: listed statuses and signals are not respawned" {
	job normal <<'EOF'
respawn
normal exit 3 TERM
exec /bin/sh -c 'exit 3'
EOF
	start normal || true
	wait_status normal "normal stop/waiting"
	refute grep -q 'normal main process ended, respawning' "$T/init.err"
	job normsig <<'EOF'
respawn
normal exit 3 TERM
exec sleep 300
EOF
	start normsig
	kill -TERM "$(main_pid normsig)"
	wait_status normsig "normsig stop/waiting"
	refute grep -q 'normsig main process ended, respawning' "$T/init.err"
	# a normal exit is logged at info level only (not shown by default)
	refute grep -q 'normal main process' "$T/init.err"
}

@test "normal exit N is an exit status, never a signal number" {
	job num15 <<'EOF'
respawn
normal exit 15
exec sleep 300
EOF
	start num15
	pid=$(main_pid num15)
	kill -TERM "$pid"
	wait_init_log "num15 main process ended, respawning"
}

@test "instance: one instance per expanded name" {
	defjob multi <<'EOF'
instance $N
exec sleep 300
EOF
	run start multi N=1
	[[ "$output" =~ ^"multi (1) start/running, process "[0-9]+$ ]]
	run start multi N=2
	[[ "$output" =~ ^"multi (2) start/running, process "[0-9]+$ ]]
	run start multi N=1
	[ "$status" -eq 1 ]
	[ "$output" = "start: Job is already running: multi (1)" ]
	run status multi N=2
	[[ "$output" =~ ^"multi (2) start/running, process "[0-9]+$ ]]
}

@test "usage: shown by initctl usage and after an instance error" {
	defjob used <<'EOF'
instance $X
usage "start used X=<x>"
exec sleep 300
EOF
	run initctl usage used
	[ "$output" = "Usage: start used X=<x>" ]
	run start used
	[ "$status" -eq 1 ]
	[ "$output" = "start: Unknown parameter: X
Usage: start used X=<x>" ]
	job unused <<'EOF'
exec sleep 300
EOF
	run initctl usage unused
	[ "$output" = "Usage: " ]
}

@test "emits: one show-config line per event, cumulative" {
	job emitter <<'EOF'
emits one two
emits three
start on startup
EOF
	run initctl show-config emitter
	[ "$output" = "emitter
  emits one
  emits two
  emits three
  start on startup" ]
}

@test "a duplicated single-valued stanza: the last one wins" {
	job dup <<'EOF'
start on first
start on second
exec sleep 301
exec sleep 302
kill timeout 1
kill timeout 2
EOF
	run initctl show-config dup
	[ "$output" = "dup
  start on second" ]
	start dup
	[ "$(cmdline "$(main_pid dup)")" = "sleep|302|" ]
}

@test "lexing: comments, blank lines, tabs, quotes across lines, backslash continuation" {
	job lexed <<'EOF'
# a comment

	description "several
   lines"   # trailing comment
exec sleep \
  307
env 'QUOTED=a b'
start on a \
  or b
EOF
	start lexed
	pid=$(main_pid lexed)
	[ "$(cmdline "$pid")" = "sleep|307|" ]
	[ "$(proc_env "$pid" QUOTED)" = "a b" ]
	run initctl show-config lexed
	[ "$output" = "lexed
  start on (a or b)" ]
}

@test "start on: parentheses may span lines" {
	job spanned <<'EOF'
start on (a
          and (b
               or c))
EOF
	run initctl show-config spanned
	[ "$output" = "spanned
  start on (a and (b or c))" ]
}

# ------------------------------------------------------------ parse errors

@test "every parse error message is logged as init: FILE:LINE: MESSAGE" {
	C=$T/conf
	printf 'exec true\nfoo bar\n'            | bad e-unknown
	printf 'task\ndescription\n'             | bad e-token
	printf 'task extra\n'                    | bad e-unexpected
	printf 'task\n\ndescription "abc'        | bad e-quote
	printf 'task\nscript'                    | bad e-block
	printf 'kill timeout abc\n'              | bad e-interval
	printf 'respawn limit 5 x\n'             | bad e-interval2
	printf 'normal exit foo\n'               | bad e-exit
	printf 'kill signal NOSUCH\n'            | bad e-signal
	printf 'umask 999\n'                     | bad e-umask
	printf 'nice 20\n'                       | bad e-nice
	printf 'oom 16\n'                        | bad e-oom
	printf 'oom score 1001\n'                | bad e-oomscore
	printf 'limit nofile abc 10\n'           | bad e-limit
	printf 'kill mode everything\n'         | bad e-killmode
	printf 'respawn limit -1 5\n'            | bad e-limit2
	printf 'start on a or\n'                 | bad e-event
	printf 'start on a b (c)\n'              | bad e-operator
	printf 'start on a or b)\n'              | bad e-parens
	printf 'start on foo A=B c\n'            | bad e-varname
	wait_init_log "e-varname.conf"
	want=(
		"$(errline "$C/e-unknown.conf" 2 "Unknown stanza")"
		"$(errline "$C/e-token.conf" 2 "Expected token")"
		"$(errline "$C/e-unexpected.conf" 1 "Unexpected token")"
		"$(errline "$C/e-quote.conf" 3 "Unterminated quoted string")"
		"$(errline "$C/e-block.conf" 2 "Unterminated block")"
		"$(errline "$C/e-interval.conf" 1 "Illegal interval, expected number of seconds")"
		"$(errline "$C/e-interval2.conf" 1 "Illegal interval, expected number of seconds")"
		"$(errline "$C/e-exit.conf" 1 "Illegal exit status, expected integer")"
		"$(errline "$C/e-signal.conf" 1 "Illegal signal status, expected integer")"
		"$(errline "$C/e-umask.conf" 1 "Illegal file creation mask, expected octal integer")"
		"$(errline "$C/e-nice.conf" 1 "Illegal nice value, expected -20 to 19")"
		"$(errline "$C/e-oom.conf" 1 "Illegal oom adjustment, expected -16 to 15 or 'never'")"
		"$(errline "$C/e-oomscore.conf" 1 "Illegal oom score adjustment, expected -999 to 1000 or 'never'")"
		"$(errline "$C/e-limit.conf" 1 "Illegal limit, expected 'unlimited' or integer")"
		"$(errline "$C/e-limit2.conf" 1 "Illegal limit, expected 'unlimited' or integer")"
		"$(errline "$C/e-killmode.conf" 1 "Illegal kill mode, expected 'cgroup' or 'process'")"
		"$(errline "$C/e-event.conf" 1 "Expected event")"
		"$(errline "$C/e-operator.conf" 1 "Expected operator")"
		"$(errline "$C/e-parens.conf" 1 "Mismatched parentheses")"
		"$(errline "$C/e-varname.conf" 1 "Expected variable name before value")"
	)
	missing=0
	for line in "${want[@]}"; do
		if ! grep -qxF -- "$line" "$T/init.err"; then
			echo "missing: $line" >&2
			missing=$((missing + 1))
		fi
	done
	[ "$missing" -eq 0 ]
	# none of them defines a job
	for f in "$C"/e-*.conf; do
		n=$(basename "$f" .conf)
		run initctl status "$n"
		[ "$status" -eq 1 ]
		[ "$output" = "initctl: Unknown job: $n" ]
	done
	assert_init_alive
}

@test "an unterminated script block in the middle of a file is reported" {
	printf 'task\nscript\n  echo one\n  echo two\n' | bad openblock
	wait_init_log openblock.conf
	grep -qE "^init: $T/conf/openblock.conf:[0-9]+: Unterminated block\$" "$T/init.err"
	run initctl status openblock
	[ "$output" = "initctl: Unknown job: openblock" ]
}

@test "an unterminated quote spanning lines is reported" {
	printf 'exec echo "one\ntwo\n' | bad openquote
	wait_init_log openquote.conf
	grep -qE "^init: $T/conf/openquote.conf:[0-9]+: Unterminated quoted string\$" "$T/init.err"
	run initctl status openquote
	[ "$output" = "initctl: Unknown job: openquote" ]
}

@test "a broken file changes nothing: the earlier definition stays in force" {
	job keep <<'EOF'
start on old-event
exec sleep 301
EOF
	job neighbour <<'EOF'
exec sleep 300
EOF
	start neighbour
	npid=$(main_pid neighbour)
	printf 'start on new-event\nexec sleep 302\nthis is wrong\n' | bad keep
	wait_init_log "keep.conf:3: Unknown stanza"
	grep -qxF "$(errline "$T/conf/keep.conf" 3 "Unknown stanza")" "$T/init.err"
	run initctl show-config keep
	[ "$output" = "keep
  start on old-event" ]
	start keep
	[ "$(cmdline "$(main_pid keep)")" = "sleep|301|" ]
	# other jobs unaffected, init answers
	run status neighbour
	[ "$output" = "neighbour start/running, process $npid" ]
	assert_init_alive
}

@test "a broken new file defines no job until it is fixed" {
	printf 'exec sleep 300\nnonsense\n' | bad later
	wait_init_log "later.conf:2: Unknown stanza"
	run initctl status later
	[ "$status" -eq 1 ]
	[ "$output" = "initctl: Unknown job: later" ]
	job later <<'EOF'
exec sleep 300
EOF
	run initctl status later
	[ "$output" = "later stop/waiting" ]
}

# ----------------------------------------------------------------- overrides

@test "override: manual disables start on" {
	job svc <<'EOF'
start on go
exec sleep 300
EOF
	echo manual | conf svc override
	wait_for "manual override" sh -c "[ \"\$(\"$INITCTL\" show-config svc)\" = svc ]"
	initctl emit go
	run status svc
	[ "$output" = "svc stop/waiting" ]
}

@test "override: single-valued stanzas replace, env adds" {
	job ovr <<'EOF'
start on go
env A=1
env B=1
exec sleep 301
EOF
	printf 'start on other\nexec sleep 302\nenv B=2\nenv C=3\nemits extra\n' | conf ovr override
	wait_for "override" sh -c "\"$INITCTL\" show-config ovr | grep -q 'start on other'"
	run initctl show-config ovr
	[ "$output" = "ovr
  emits extra
  start on other" ]
	start ovr
	pid=$(main_pid ovr)
	[ "$(cmdline "$pid")" = "sleep|302|" ]
	[ "$(proc_env "$pid" A)" = 1 ]
	[ "$(proc_env "$pid" B)" = 2 ]
	[ "$(proc_env "$pid" C)" = 3 ]
}

@test "override with a syntax error is ignored; deleting the override restores the .conf" {
	job base <<'EOF'
start on go
exec sleep 301
EOF
	echo manual | conf base override
	wait_for "manual" sh -c "[ \"\$(\"$INITCTL\" show-config base)\" = base ]"
	printf 'manual\nbroken stanza\n' | conf base override
	wait_init_log "base.override:2: Unknown stanza"
	grep -qxF "$(errline "$T/conf/base.override" 2 "Unknown stanza")" "$T/init.err"
	run initctl show-config base
	[ "$output" = "base
  start on go" ]
	echo manual | conf base override
	wait_for "manual again" sh -c "[ \"\$(\"$INITCTL\" show-config base)\" = base ]"
	rm "$T/conf/base.override"
	wait_for "restored" sh -c "\"$INITCTL\" show-config base | grep -q 'start on go'"
	run initctl show-config base
	[ "$output" = "base
  start on go" ]
}

@test "an override without a .conf is ignored; a .conf created later picks it up" {
	echo manual | conf lonely override
	printf 'exec sleep 300\n' | conf other
	wait_for other "$INITCTL" status other
	run initctl status lonely
	[ "$status" -eq 1 ]
	[ "$output" = "initctl: Unknown job: lonely" ]
	job lonely <<'EOF'
start on go
exec sleep 300
EOF
	run initctl show-config lonely
	[ "$output" = "lonely" ]
}

# -------------------------------------------------------------------- names

@test "job names come from sub-directories: net/apache.conf is net/apache" {
	job net/apache <<'EOF'
exec sleep 300
EOF
	run start net/apache
	[[ "$output" =~ ^"net/apache start/running, process "[0-9]+$ ]]
	# a directory created after init started is watched too
	mkdir -p "$T/conf/a/b"
	printf 'exec sleep 300\n' | conf a/b/deep
	wait_for "a/b/deep" "$INITCTL" status a/b/deep
	run initctl status a/b/deep
	[ "$output" = "a/b/deep stop/waiting" ]
}

@test "a file named just .conf, other suffixes and symlinks define no job" {
	printf 'exec sleep 300\n' >"$T/conf/.conf"
	printf 'exec sleep 300\n' >"$T/conf/notes.txt"
	printf 'exec sleep 300\n' >"$T/conf/draft.conf~"
	mkdir -p "$T/elsewhere"
	printf 'exec sleep 300\n' >"$T/elsewhere/real.conf"
	ln -s "$T/elsewhere/real.conf" "$T/conf/linked.conf"
	job plain <<'EOF'
exec sleep 300
EOF
	run initctl reload-configuration
	[ "$status" -eq 0 ]
	run initctl list
	[ "$output" = "plain stop/waiting" ]
	run initctl status linked
	[ "$output" = "initctl: Unknown job: linked" ]
	# Not silently: the link is named, with the reason.
	grep -qxF "init: $T/conf/linked.conf: ignored: a symbolic link (job files must be regular files)" "$T/init.err"
	refute grep -q "notes.txt\|draft.conf~" "$T/init.err"
}

@test "a directory nested deeper than 16 levels is ignored with a message, the levels above are read" {
	local d=$T/conf
	for i in $(seq 1 17); do d=$d/d$i; done
	mkdir -p "$d"
	printf 'exec sleep 300\n' >"$d/deep.conf"
	printf 'exec sleep 300\n' >"$(dirname "$d")/shallow.conf"
	run initctl reload-configuration
	[ "$status" -eq 0 ]
	initctl status "d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/d13/d14/d15/d16/shallow"
	run initctl list
	refute grep -q deep <<<"$output"
	grep -qxF "init: $d: ignored: nested deeper than 16 directories" "$T/init.err"
}

@test "a job directory removed and made again is watched again, without a reload" {
	job before <<'EOF'
exec sleep 300
EOF
	rm -r "$T/conf"
	wait_gone_job before
	mkdir "$T/conf"
	job after <<'EOF'
exec sleep 300
EOF
	# And moved away and back.
	mv "$T/conf" "$T/conf.away"
	wait_gone_job after
	mv "$T/conf.away" "$T/conf"
	wait_for "after back" "$INITCTL" status after
	job third <<'EOF'
exec sleep 300
EOF
	assert_init_alive
}

# ---------------------------------------------------------------- reloading

@test "inotify: creating, editing and deleting a file take effect without a reload" {
	job live <<'EOF'
start on first
EOF
	run initctl show-config live
	[ "$output" = "live
  start on first" ]
	printf 'start on second\n' >"$T/conf/live.conf"
	wait_for "edit seen" sh -c "\"$INITCTL\" show-config live | grep -q 'start on second'"
	rm "$T/conf/live.conf"
	wait_gone_job live
	run initctl status live
	[ "$output" = "initctl: Unknown job: live" ]
}

# Change a file without inotify on the conf dir noticing: edit it in place
# through a hard link that lives in another directory.
edit_behind_inotify() {
	local name=$1
	mkdir -p "$T/side"
	[ -e "$T/side/$name.conf" ] || ln "$T/conf/$name.conf" "$T/side/$name.conf"
	cat >"$T/side/$name.conf"
}

@test "initctl reload-configuration forces a re-read" {
	job hidden <<'EOF'
start on before
EOF
	printf 'start on after\n' | edit_behind_inotify hidden
	sleep 0.3
	[ "$(initctl show-config hidden)" = "hidden
  start on before" ] || skip "inotify saw the change: cannot tell a reload from it"
	run initctl reload-configuration
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	run initctl show-config hidden
	[ "$output" = "hidden
  start on after" ]
}

@test "SIGHUP forces a re-read" {
	job hupped <<'EOF'
start on before
EOF
	printf 'start on after\n' | edit_behind_inotify hupped
	sleep 0.3
	[ "$(initctl show-config hupped)" = "hupped
  start on before" ] || skip "inotify saw the change: cannot tell a reload from it"
	kill -HUP "$INIT_PID"
	wait_for "re-read" sh -c "\"$INITCTL\" show-config hupped | grep -q 'start on after'"
	assert_init_alive
}

@test "reload-configuration starts and stops nothing" {
	job boot <<'EOF'
start on startup
exec sleep 300
EOF
	job running <<'EOF'
exec sleep 300
EOF
	start running
	pid=$(main_pid running)
	initctl reload-configuration
	run status boot
	[ "$output" = "boot stop/waiting" ]
	run status running
	[ "$output" = "running start/running, process $pid" ]
}

@test "a running instance keeps the definition it started with" {
	job ver <<'EOF'
exec sleep 301
EOF
	start ver
	printf 'exec sleep 302\n' | conf ver
	sleep 0.3
	[ "$(cmdline "$(main_pid ver)")" = "sleep|301|" ]
	# restart keeps the old definition
	run restart ver
	[ "$status" -eq 0 ]
	[ "$(cmdline "$(main_pid ver)")" = "sleep|301|" ]
	# stop + start picks up the new one
	stop ver
	start ver
	[ "$(cmdline "$(main_pid ver)")" = "sleep|302|" ]
}

@test "a deleted job keeps running and disappears when it stops" {
	job doomed <<'EOF'
exec sleep 300
EOF
	start doomed
	pid=$(main_pid doomed)
	rm "$T/conf/doomed.conf"
	sleep 0.3
	run status doomed
	[ "$output" = "doomed start/running, process $pid" ]
	run stop doomed
	[ "$status" -eq 0 ]
	[ "$output" = "doomed stop/waiting" ]
	wait_gone_job doomed
	run status doomed
	[ "$status" -eq 1 ]
	[ "$output" = "status: Unknown job: doomed" ]
}

# ------------------------------------------------------------------- corpus

@test "every file of the Upstart corpus loads" {
	cp "$CORPUS"/*.conf "$T/conf/"
	n=$(ls "$CORPUS"/*.conf | wc -l)
	wait_for "all corpus jobs" sh -c "[ \"\$(\"$INITCTL\" list | wc -l)\" -eq $n ]"
	assert_init_alive
	list=$(initctl list)
	for f in "$CORPUS"/*.conf; do
		name=$(basename "$f" .conf)
		grep -qx "$name stop/waiting" <<<"$list" || { echo "missing $name" >&2; false; }
	done
	refute grep -q 'upstart-jobs\|conf:[0-9]*:' "$T/init.err"
	run initctl show-config tty1
	[ "$output" = "tty1
  start on (stopped rc RUNLEVEL=[2345] and ((not-container or container CONTAINER=lxc) or container CONTAINER=lxc-libvirt))
  stop on runlevel [!2345]" ]
}

@test "corpus: show-config prints start on fully parenthesised, a or b or c left-assoc" {
	for j in tty1 rc rc-sysinit failsafe console-setup udevtrigger plymouth-shutdown startpar-bridge; do
		cp "$CORPUS/$j.conf" "$T/conf/"
	done
	for j in tty1 rc rc-sysinit failsafe console-setup udevtrigger plymouth-shutdown startpar-bridge; do
		wait_for "$j" "$INITCTL" show-config "$j"
	done
	run initctl show-config tty1
	[ "$output" = "tty1
  start on (stopped rc RUNLEVEL=[2345] and ((not-container or container CONTAINER=lxc) or container CONTAINER=lxc-libvirt))
  stop on runlevel [!2345]" ]
	run initctl show-config rc
	[ "$output" = "rc
  emits deconfiguring-networking
  emits unmounted-remote-filesystems
  start on runlevel [0123456]
  stop on runlevel [!\$RUNLEVEL]" ]
	run initctl show-config rc-sysinit
	[ "${lines[2]}" = "  start on ((filesystem and static-network-up) or failsafe-boot)" ]
	[ "${lines[3]}" = "  stop on runlevel" ]
	run initctl show-config failsafe
	[ "$output" = "failsafe
  emits failsafe-boot
  start on (filesystem and net-device-up IFACE=lo)
  stop on (static-network-up or starting rc-sysinit)" ]
	run initctl show-config console-setup
	[ "$output" = "console-setup
  start on ((virtual-filesystems or starting rcS) or starting mountall-shell)" ]
	run initctl show-config udevtrigger
	[ "$output" = "udevtrigger
  start on ((startup and started udev) and not-container)" ]
	run initctl show-config plymouth-shutdown
	[ "$output" = "plymouth-shutdown
  start on (runlevel [016] and (stopped xdm or stopped uxlaunch))" ]
	run initctl show-config startpar-bridge
	[ "$output" = "startpar-bridge
  start on (started JOB!=startpar-bridge or stopped JOB!=startpar-bridge)" ]
}

@test "corpus: show-config -e prints one line per operand" {
	cp "$CORPUS/tty1.conf" "$CORPUS/rc.conf" "$CORPUS/startpar-bridge.conf" "$T/conf/"
	for j in tty1 rc startpar-bridge; do
		wait_for "$j" "$INITCTL" show-config "$j"
	done
	run initctl show-config -e tty1
	[ "$output" = "tty1
  start on stopped (job: rc, env: RUNLEVEL=[2345])
  start on not-container (job:, env:)
  start on container (job:, env: CONTAINER=lxc)
  start on container (job:, env: CONTAINER=lxc-libvirt)
  stop on runlevel (job:, env: [!2345])" ]
	run initctl show-config -e rc
	[ "$output" = "rc
  emits deconfiguring-networking
  emits unmounted-remote-filesystems
  start on runlevel (job:, env: [0123456])
  stop on runlevel (job:, env: [!\$RUNLEVEL])" ]
	run initctl show-config -e startpar-bridge
	[ "$output" = "startpar-bridge
  start on started (job:, env: JOB!=startpar-bridge)
  start on stopped (job:, env: JOB!=startpar-bridge)" ]
}

@test "corpus: init-checkconf accepts every file" {
	for f in "$CORPUS"/*.conf; do
		run "$UPINIT_BUILD/init-checkconf" "$f"
		[ "$status" -eq 0 ] || { echo "$output" >&2; false; }
		[ "$output" = "File $f: syntax ok" ]
	done
}

# ------------------------------------------------------------ hostile files

@test "hostile: random bytes are rejected with a message" {
	head -c 4096 /dev/urandom >"$T/rand"
	mv "$T/rand" "$T/conf/random.conf"
	# random text without NUL bytes
	head -c 4096 /dev/urandom | tr -d '\000' | tr '\200-\377' 'a-zA-Z0-9 \n(){}"' >"$T/rand2"
	mv "$T/rand2" "$T/conf/random2.conf"
	wait_init_log "random.conf:"
	wait_init_log "random2.conf:"
	grep -qE "^init: $T/conf/random.conf:[0-9]+: .+\$" "$T/init.err"
	grep -qE "^init: $T/conf/random2.conf:[0-9]+: .+\$" "$T/init.err"
	run initctl status random
	[ "$output" = "initctl: Unknown job: random" ]
	assert_init_alive
}

@test "hostile: a 10 MB file loads, and one with an error at its end is rejected" {
	python3 -c '
import sys
w = sys.stdout.write
w("# ten megabytes\n")
for i in range(5000):
    w("# %s\n" % ("x" * 998))
    w("emits e%d-%s\n" % (i, "y" * 990))
w("env LAST=%s\n" % ("z" * 1000))
w("exec sleep 300\n")' >"$T/big"
	[ "$(stat -c %s "$T/big")" -gt 10000000 ]
	cp "$T/big" "$T/bigbad"
	echo "bogus stanza" >>"$T/bigbad"
	mv "$T/big" "$T/conf/big.conf"
	mv "$T/bigbad" "$T/conf/bigbad.conf"
	wait_for big "$INITCTL" status big
	wait_init_log "bigbad.conf:"
	grep -qxF "$(errline "$T/conf/bigbad.conf" 10004 "Unknown stanza")" "$T/init.err"
	run initctl status bigbad
	[ "$output" = "initctl: Unknown job: bigbad" ]
	start big
	[ "$(proc_env "$(main_pid big)" LAST | wc -c)" -eq 1001 ]
	assert_init_alive
}

@test "show-config of a job whose answer is larger than 64 KiB" {
	python3 -c '
import sys
for i in range(2000):
    sys.stdout.write("emits event-number-%05d-with-a-longish-name\n" % i)
sys.stdout.write("exec sleep 300\n")' | conf wide
	wait_for wide "$INITCTL" status wide
	run initctl show-config wide
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2001 ]
	[ "${lines[2000]}" = "  emits event-number-01999-with-a-longish-name" ]
	assert_init_alive
}

@test "hostile: 100000 nested parentheses" {
	python3 -c '
import sys
sys.stdout.write("start on " + "(" * 100000 + "deep" + ")" * 100000 + "\n")' >"$T/n1"
	python3 -c '
import sys
sys.stdout.write("start on " + "(" * 100000 + "deep\n")' >"$T/n2"
	mv "$T/n1" "$T/conf/nested.conf"
	mv "$T/n2" "$T/conf/unbalanced.conf"
	wait_for nested "$INITCTL" status nested
	run initctl show-config nested
	[ "$output" = "nested
  start on deep" ]
	wait_init_log "unbalanced.conf:"
	grep -qE "^init: $T/conf/unbalanced.conf:[0-9]+: Mismatched parentheses\$" "$T/init.err"
	assert_init_alive
}

@test "hostile: unterminated quotes and script blocks" {
	printf 'description "never closed\nexec true\n' | bad q1
	printf "exec echo 'never closed\n" | bad q2
	printf 'script\n  while :; do :; done\n' | bad s1
	printf 'pre-start script\n  true\nend scrip\nexec true\n' | bad s2
	wait_init_log q1.conf
	wait_init_log q2.conf
	wait_init_log s1.conf
	wait_init_log s2.conf
	grep -qE "^init: $T/conf/q1.conf:[0-9]+: Unterminated quoted string\$" "$T/init.err"
	grep -qE "^init: $T/conf/q2.conf:[0-9]+: Unterminated quoted string\$" "$T/init.err"
	grep -qE "^init: $T/conf/s1.conf:[0-9]+: Unterminated block\$" "$T/init.err"
	grep -qE "^init: $T/conf/s2.conf:[0-9]+: Unterminated block\$" "$T/init.err"
	for j in q1 q2 s1 s2; do
		run initctl status "$j"
		[ "$output" = "initctl: Unknown job: $j" ]
	done
	assert_init_alive
}

# ----------------------------------------------------------- init-checkconf

@test "init-checkconf: a good file" {
	printf 'start on runlevel [2345]\nexec sleep 300\n' >"$T/good.conf"
	run "$UPINIT_BUILD/init-checkconf" "$T/good.conf"
	[ "$status" -eq 0 ]
	[ "$output" = "File $T/good.conf: syntax ok" ]
}

@test "init-checkconf: a bad file prints FILE:LINE: message and exits 1" {
	printf 'exec true\n\nstart on (a or b\nnice 99\n' >"$T/bad.conf"
	printf 'exec true\nnice 99\n' >"$T/bad2.conf"
	run "$UPINIT_BUILD/init-checkconf" "$T/bad2.conf"
	[ "$status" -eq 1 ]
	[[ "$output" =~ ^(init-checkconf: )?"$T/bad2.conf:2: Illegal nice value, expected -20 to 19"$ ]]
	run "$UPINIT_BUILD/init-checkconf" "$T/bad.conf"
	[ "$status" -eq 1 ]
	[[ "$output" =~ "$T/bad.conf:"[0-9]+": " ]]
}

@test "init-checkconf does not touch the running init" {
	printf 'exec true\nbogus\n' >"$T/outside.conf"
	run env UPINIT_SOCKET=/nonexistent/socket "$UPINIT_BUILD/init-checkconf" "$T/outside.conf"
	[ "$status" -eq 1 ]
	[[ "$output" =~ "$T/outside.conf:2: Unknown stanza" ]]
	refute grep -q outside.conf "$T/init.err"
	run initctl list
	[ "$output" = "" ]
}

@test "init-checkconf: missing argument and unreadable file" {
	run "$UPINIT_BUILD/init-checkconf"
	[ "$status" -eq 1 ]
	[ -n "$output" ]
	run "$UPINIT_BUILD/init-checkconf" "$T/does-not-exist.conf"
	[ "$status" -eq 1 ]
	[[ "$output" =~ "$T/does-not-exist.conf" ]]
}
