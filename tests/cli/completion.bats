#!/usr/bin/env bats
# Bash completion of initctl and its links (completion/initctl), against
# a private `init --user` with jobs of the test's own: the completion
# function is called in a fresh bash, as readline would call it, with
# $UPINIT_BUILD first on PATH, and COMPREPLY is compared.

load helpers

REPO=$BATS_TEST_DIRNAME/../..
COMPLETION=$REPO/completion/initctl

setup() {
	start_init
	job svc <<-'EOF'
	exec sleep 1000
	EOF
	job sysv/cron <<-'EOF'
	exec sleep 1000
	EOF
	job inittab/1 <<-'EOF'
	exec sleep 1000
	EOF
	job mounter <<-'EOF'
	emits disk-ready
	emits net-up wifi-up
	task
	exec true
	EOF
	# An instance job with two running instances: `list` shows
	# `inst (a) start/running, ...` and `inst (b c) ...`.
	cat >"$T/conf/inst.conf" <<-'EOF'
	instance $N
	exec sleep 1000
	EOF
	wait_for "inst in list" sh -c "'$INITCTL' list | grep -q '^inst '"
	initctl start inst N=a >/dev/null
	initctl start inst N='b c' >/dev/null
}

teardown() {
	stop_init
}

# complete LINE [WORD...]: what the completion offers for LINE with the
# cursor at its end, one per line, sorted; stderr goes to $T/comp.err.
# COMP_WORDS are the WORDs when given, else LINE cut as bash cuts it: at
# blanks, and around `=` (COMP_WORDBREAKS).
complete_line() {
	local line=$1
	shift
	(cd "$T/out" && bash --norc --noprofile -c '
		PATH=$UPINIT_BUILD:$PATH
		. "$1" || exit 1
		COMP_LINE=$2 COMP_POINT=${#2}
		shift 2
		if (($#)); then
			COMP_WORDS=("$@")
		else
			COMP_WORDS=()
			set -f
			for w in $COMP_LINE; do
				while [[ $w =~ ^([^=]*)(=+)(.*)$ ]]; do
					[ -n "${BASH_REMATCH[1]}" ] && COMP_WORDS+=("${BASH_REMATCH[1]}")
					COMP_WORDS+=("${BASH_REMATCH[2]}")
					w=${BASH_REMATCH[3]}
				done
				[ -n "$w" ] && COMP_WORDS+=("$w")
			done
			set +f
			[[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
		fi
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMPREPLY=(unset)
		_initctl || exit 1
		[ "${COMPREPLY[0]-}" != unset ] || exit 1
		for r in "${COMPREPLY[@]}"; do printf "%s\n" "$r"; done
	' _ "$COMPLETION" "$line" "$@" 2>"$T/comp.err") | LC_ALL=C sort
	return "${PIPESTATUS[0]}"
}

# offers LINE EXPECTED...: the completion of LINE is exactly EXPECTED.
offers() {
	local line=$1 got want
	shift
	got=$(complete_line "$line") || { echo "completion of '$line' failed" >&2; return 1; }
	want=$(if (($#)); then printf '%s\n' "$@"; fi | LC_ALL=C sort)
	if [ "$got" != "$want" ]; then
		echo "completion of '$line':" >&2
		echo "--- got:" >&2; printf '%s\n' "$got" >&2
		echo "--- wanted:" >&2; printf '%s\n' "$want" >&2
		return 1
	fi
	[ ! -s "$T/comp.err" ] || { echo "stderr:" >&2; cat "$T/comp.err" >&2; return 1; }
}

# includes LINE WORD...: the completion of LINE offers at least the WORDs.
includes() {
	local line=$1 got w
	shift
	got=$(complete_line "$line") || { echo "completion of '$line' failed" >&2; return 1; }
	for w; do
		grep -qxF -- "$w" <<<"$got" || {
			echo "completion of '$line' lacks '$w'; got:" >&2
			printf '%s\n' "$got" >&2
			return 1
		}
	done
}

JOBS=(inittab/1 inst mounter svc sysv/cron)

@test "completion: command names come from initctl help" {
	offers 'initctl st' start status stop
	offers 'initctl show' show-config
	# Every command of `initctl help`, and nothing else.
	local cmds
	mapfile -t cmds < <(initctl help | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p')
	[ "${#cmds[@]}" -gt 15 ]
	offers 'initctl ' "${cmds[@]}"
	offers 'initctl --user ' "${cmds[@]}"
}

@test "completion: an initctl whose help lists a new command offers it; one whose help says nothing, the built-in list" {
	local fake=$T/fake
	mkdir -p "$fake"
	cat >"$fake/initctl" <<-'EOF'
	#!/bin/sh
	[ "$1" = help ] || exit 1
	printf 'Job commands:\n  start                       Start job.\n'
	printf '  frobnicate                  Frobnicate.\n                                more text\n'
	EOF
	chmod +x "$fake/initctl"
	[ "$(complete_line "$fake/initctl ")" = "$(printf 'frobnicate\nstart')" ]
	# An initctl that prints no help: the fallback list, with the
	# commands that newer initctls add.
	printf '#!/bin/sh\nexit 1\n' >"$fake/initctl"
	local got
	got=$(complete_line "$fake/initctl ")
	for c in start status list emit show-config check-config why history timeline; do
		grep -qx "$c" <<<"$got"
	done
	[ "$(complete_line "$fake/initctl hi")" = history ]
}

@test "completion: global options when the word starts with -" {
	offers 'initctl -' --user --system --session --socket --dest -q --quiet \
		-v --verbose --debug --help --version
	offers 'initctl --s' --system --session --socket
}

@test "completion: job names after initctl start and after the start link" {
	offers 'initctl start ' "${JOBS[@]}"
	offers 'start ' "${JOBS[@]}"
	offers 'initctl start s' svc sysv/cron
	# Names with a slash, offered whole; an instance job once, without
	# its instances.
	offers 'initctl stop sysv/' sysv/cron
	offers 'stop inittab' inittab/1
	offers 'status in' inittab/1 inst
	# The link given by its path, and global options before the job.
	offers "$UPINIT_BUILD/restart " "${JOBS[@]}"
	offers 'initctl -q start -n ' "${JOBS[@]}"
	local c
	for c in stop restart reload status usage show-config check-config why history; do
		offers "initctl $c " "${JOBS[@]}"
	done
	for c in stop restart reload status; do
		offers "$c " "${JOBS[@]}"
	done
	offers 'initctl history -n 5 ' "${JOBS[@]}"
}

@test "completion: nothing after the job name, where KEY=VALUE may follow" {
	# Files there would be offered by a fallback to file names.
	touch "$T/out/file-a" "$T/out/svc-file"
	offers 'initctl start svc '
	offers 'start svc '
	offers 'stop svc '
	offers 'restart svc '
	offers 'status svc '
	offers 'start svc N='
	offers 'start svc N=1 '
	offers 'initctl start --socket '"$T/control"' svc '
	offers 'initctl history svc '
	offers 'initctl show-config svc '
	offers 'initctl emit disk-ready '
	offers 'initctl emit disk-ready K='
	offers 'initctl emit -e '
}

@test "completion: why JOB offers the job's instances" {
	offers 'initctl why inst ' a 'b\ c'
	offers 'initctl why svc '
	offers 'initctl why inst a '
}

@test "completion: event names after emit, from emits stanzas and the well-known ones" {
	offers 'initctl emit dis' disk-ready
	offers 'initctl emit w' wifi-up
	includes 'initctl emit ' disk-ready net-up wifi-up startup runlevel starting \
		started stopping stopped control-alt-delete keyboard-request power-status-changed
	offers 'initctl emit -n st' startup starting started stopping stopped
	offers 'initctl check-config -i startup,dis' startup,disk-ready
}

@test "completion: options of the command after its name" {
	includes 'initctl show-config -' -e --enumerate --json
	offers 'initctl show-config --e' --enumerate
	includes 'initctl start -' -n --no-wait --socket --user
	includes 'start -' -n --no-wait
	includes 'stop --' --no-wait
	includes 'initctl emit -' -n --no-wait -e
	includes 'initctl check-config -' -i --ignore-events -w --warn
	includes 'initctl set-env -' -g --global -r --retain
	for c in get-env list-env reset-env unset-env; do
		includes "initctl $c -" -g --global
	done
	offers 'initctl list --j' --json
	offers 'status --j' --json
	offers 'initctl why --j' --json
	includes 'initctl history -' -n --json
	includes 'initctl timeline --' --json --svg --input
	# An option of another command is not offered.
	offers 'initctl show-config --n'
	offers 'initctl list -e'
}

@test "completion: file names after timeline --input" {
	local d=$T/out/tl
	mkdir -p "$d/tl-dir"
	touch "$d/tl-a.json" "$d/tl-b.json" "$d/other"
	offers "initctl timeline --input $d/tl-" "$d/tl-a.json" "$d/tl-b.json" "$d/tl-dir"
	offers "initctl timeline --svg --input $d/o" "$d/other"
	# --input=FILE: bash replaces what follows the `=`.
	offers "initctl timeline --input=$d/tl-" "$d/tl-a.json" "$d/tl-b.json" "$d/tl-dir"
	[ "$(complete_line "initctl timeline --input=" initctl timeline --input =)" = \
	  "$(ls -A "$T/out" | LC_ALL=C sort)" ]
	offers "initctl timeline --input $d/nothing"
	# No file names for the timeline itself.
	offers "initctl timeline $d/tl-"
}

@test "completion: --socket PATH and --user on the line reach the initctl that lists jobs" {
	local S=$T/control empty=$T/out/rt
	mkdir -p "$empty"
	# No UPINIT_SOCKET, and a runtime directory with no init in it.
	unset UPINIT_SOCKET
	export XDG_RUNTIME_DIR=$empty
	offers 'initctl --user start '
	offers "initctl --socket $S start " "${JOBS[@]}"
	offers "initctl --socket=$S start " "${JOBS[@]}"
	offers "start --socket $S " "${JOBS[@]}"
	offers "initctl start --socket $S " "${JOBS[@]}"
	offers "initctl --socket $S emit dis" disk-ready
	# --user: this user's init in $XDG_RUNTIME_DIR/upinit/control.
	mkdir -p "$empty/upinit"
	ln -s "$S" "$empty/upinit/control"
	offers 'initctl --user start ' "${JOBS[@]}"
	offers 'stop --user s' svc sysv/cron
	if [ ! -e /run/upinit/control ]; then
		offers 'initctl start '
	fi
	# File names for --socket itself.
	offers "initctl --socket $T/cont" "$T/control"
}

@test "completion: with no init reachable, commands still complete and the rest is empty, at once and silently" {
	export UPINIT_SOCKET=$T/nothing-here
	local t0=$SECONDS
	offers 'initctl st' start status stop
	offers 'initctl start '
	offers 'start s'
	offers 'initctl why inst '
	includes 'initctl emit ' startup runlevel stopped
	[ $((SECONDS - t0)) -lt 5 ]
	# And with init stopped but its socket file left behind.
	export UPINIT_SOCKET=$T/control
	kill -STOP "$INIT_PID"
	# Should the completion wait for init, init wakes after 10 s and
	# the test fails instead of hanging.
	(sleep 10; kill -CONT "$INIT_PID" 2>/dev/null) 3>&- &
	local waker=$!
	t0=$SECONDS
	run complete_line 'initctl start '
	kill -CONT "$INIT_PID"
	kill "$waker" 2>/dev/null || true
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ $((SECONDS - t0)) -lt 8 ]
	[ ! -s "$T/comp.err" ]
}

@test "completion: the file registers initctl and the five links, and make install puts it there" {
	run bash --norc --noprofile -c '. "$1" && complete -p initctl start stop restart reload status' _ "$COMPLETION"
	[ "$status" -eq 0 ]
	for c in initctl start stop restart reload status; do
		grep -qx "complete -F _initctl $c" <<<"$output"
	done
	# `make install` of what $UPINIT_BUILD holds (-o all: nothing is
	# rebuilt), into a private root.
	local root=$BATS_TEST_TMPDIR/root dir
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$REPO" -o all install \
		BUILD="$UPINIT_BUILD" DESTDIR="$root" PREFIX=/usr >/dev/null
	dir=$root/usr/share/bash-completion/completions
	[ -f "$dir/initctl" ] && [ ! -L "$dir/initctl" ]
	cmp "$COMPLETION" "$dir/initctl"
	for c in start stop restart reload status; do
		[ "$(readlink "$dir/$c")" = initctl ]
	done
	[ "$(stat -c %a "$dir/initctl")" = 644 ]
}
