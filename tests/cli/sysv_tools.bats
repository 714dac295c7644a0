#!/usr/bin/env bats
# The SysV tools — telinit, runlevel, shutdown, halt, reboot, poweroff —
# one multi-call binary: both dialects' options and messages, the
# /run/initctl fallback, utmp/wtmp records, `init N` (docs/compatibility.md).
#
# Safety first: the machine running these tests is real.  Every path a
# tool could touch is pointed into $T (tool_paths.h), UPINIT_REBOOT_DRYRUN
# is always set, tools are always run by absolute path (never through
# PATH, where a missing link would find the machine's own shutdown), and
# a test fails before running anything if a tool is missing.
#
# Most tests talk to fakes, to see exactly what goes over the wire: a
# fake upinit (a python server on $UPINIT_SOCKET) records each request and
# answers as told, and a fake sysvinit reads /run/initctl records from a
# FIFO in $T and decodes them.  The last section drives a real private
# `init --user` whose utmp, wtmp and /var/run/runlevel are files in $T.

load helpers
load helpers_ctl

TOOLS=(telinit runlevel shutdown halt reboot poweroff)

setup_file() {
	local d=$BATS_FILE_TMPDIR

	# fake_upinit SOCKET LOG [CMD=REPLY]...: a control socket that logs
	# every request packet (one line each) and answers it with the
	# REPLY given for its "cmd" ("none": close without answering),
	# else {"v":1,"status":0}.
	cat >"$d/fake_upinit.py" <<-'EOF'
	import json, os, socket, sys
	path, log = sys.argv[1], sys.argv[2]
	replies = dict(a.split("=", 1) for a in sys.argv[3:])
	s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
	s.bind(path)
	s.listen(16)
	open(path + ".ready", "w").close()
	while True:
	    c, _ = s.accept()
	    data = c.recv(1 << 16)
	    with open(log, "a") as f:
	        f.write(data.decode() + "\n")
	    reply = replies.get(json.loads(data).get("cmd"), '{"v":1,"status":0}')
	    if reply != "none":
	        c.send(reply.encode())
	    c.close()
	EOF

	# fake_sysvinit FIFO COUNT OUT: open the FIFO as sysvinit does
	# (O_RDWR, never EOF), read COUNT 384-byte records (5 s at most) and
	# write them decoded, one JSON object per line, to OUT.  With
	# COUNT 0 it fills the pipe and never reads (a stuck init).
	cat >"$d/fake_sysvinit.py" <<-'EOF'
	import json, os, select, struct, sys, time
	path, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
	fd = os.open(path, os.O_RDWR | os.O_NONBLOCK)
	if count == 0:
	    try:
	        while True:
	            os.write(fd, b"x" * 4096)
	    except BlockingIOError:
	        pass
	    open(path + ".ready", "w").close()
	    time.sleep(30)
	    sys.exit(0)
	open(path + ".ready", "w").close()
	buf, recs, deadline = b"", [], time.time() + 5
	while len(recs) < count and time.time() < deadline:
	    if select.select([fd], [], [], 0.1)[0]:
	        buf += os.read(fd, 4096)
	    while len(buf) >= 384:
	        rec, buf = buf[:384], buf[384:]
	        magic, cmd, level, sleep = struct.unpack("=iiii", rec[:16])
	        r = {"magic": hex(magic), "cmd": cmd}
	        if cmd == 6:
	            r["env"] = [e.decode() for e in rec[16:].split(b"\0\0")[0].split(b"\0") if e]
	        else:
	            r["runlevel"] = chr(level)
	            r["sleeptime"] = sleep
	        recs.append(r)
	with open(out + ".tmp", "w") as f:
	    for r in recs:
	        f.write(json.dumps(r, sort_keys=True) + "\n")
	    if buf:
	        f.write("left over: %d bytes\n" % len(buf))
	os.rename(out + ".tmp", out)
	EOF

	# utmp FILE TYPE PID LINE ID USER: append one record in glibc's
	# layout (384 bytes on Linux, native byte order).
	cat >"$d/utmp.py" <<-'EOF'
	import struct, sys, time
	f, typ, pid, line, ident, user = sys.argv[1:7]
	rec = struct.pack("=hxxi32s4s32s256shhiii4i20s", int(typ), int(pid),
	                  line.encode(), ident.encode(), user.encode(), b"6.1.0",
	                  0, 0, 0, int(time.time()), 0, 0, 0, 0, 0, b"")
	with open(f, "ab") as out:
	    out.write(rec)
	EOF

	# records FILE: the utmp/wtmp records of FILE, one per line:
	# "TYPE PID LINE ID USER".
	cat >"$d/records.py" <<-'EOF'
	import struct, sys
	data = open(sys.argv[1], "rb").read()
	for i in range(0, len(data) - 383, 384):
	    typ, pid, line, ident, user = struct.unpack("=hxxi32s4s32s", data[i:i + 76])
	    z = lambda b: b.split(b"\0")[0].decode()
	    print(typ, pid, z(line), z(ident), z(user))
	EOF

	# on_pty UTMP USER COMMAND...: make a pty, log USER in on it (a
	# USER_PROCESS record in UTMP), run COMMAND with stdin from
	# /dev/null and print, as JSON, its exit status and everything the
	# pty received.  With WALL_DEAD=1 the record is DEAD_PROCESS.
	cat >"$d/on_pty.py" <<-'EOF'
	import json, os, pty, select, struct, subprocess, sys, time, tty
	utmp, user, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
	master, slave = pty.openpty()
	tty.setraw(slave)
	line = os.ttyname(slave)[len("/dev/"):]
	typ = 8 if os.environ.get("WALL_DEAD") else 7
	rec = struct.pack("=hxxi32s4s32s256shhiii4i20s", typ, os.getpid(),
	                  line.encode(), line[-4:].encode(), user.encode(), b"",
	                  0, 0, 0, int(time.time()), 0, 0, 0, 0, 0, b"")
	with open(utmp, "ab") as f:
	    f.write(rec)
	p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True)
	got = b""
	while select.select([master], [], [], 0.3)[0]:
	    got += os.read(master, 1 << 16)
	print(json.dumps({"rc": p.returncode, "stdout": p.stdout.decode(),
	                  "stderr": p.stderr.decode(), "tty": got.decode("latin-1")}))
	EOF
}

# Point every path of the tools into directory $1.
use_paths() {
	local d=$1
	export UPINIT_SOCKET=$d/control UPINIT_INITCTL=$d/initctl \
		UPINIT_UTMP=$d/utmp UPINIT_WTMP=$d/wtmp \
		UPINIT_RUNLEVEL_FILE=$d/runlevel UPINIT_NOLOGIN=$d/nologin \
		UPINIT_SHUTDOWN_PID=$d/shutdown.pid \
		UPINIT_SHUTDOWN_ALLOW=$d/shutdown.allow \
		UPINIT_FASTBOOT=$d/fastboot UPINIT_FORCEFSCK=$d/forcefsck \
		UPINIT_DEV=$d/dev UPINIT_REBOOT_DRYRUN=1
	mkdir -p "$d/dev" "$d/bin"
}

setup() {
	local tool
	for tool in "${TOOLS[@]}"; do
		[ -x "$UPINIT_BUILD/$tool" ] || {
			echo "missing $UPINIT_BUILD/$tool: refusing to run" >&2
			return 1
		}
	done
	TELINIT=$UPINIT_BUILD/telinit RUNLEVEL_BIN=$UPINIT_BUILD/runlevel
	SHUTDOWN=$UPINIT_BUILD/shutdown HALT=$UPINIT_BUILD/halt
	REBOOT=$UPINIT_BUILD/reboot POWEROFF=$UPINIT_BUILD/poweroff
	T=$(mktemp -d "${BATS_TMPDIR:-/tmp}/upinit-sysv.XXXXXX")
	use_paths "$T"
	unset RUNLEVEL PREVLEVEL INIT_VERSION INIT_HALT UPINIT_SHUTDOWN_MINUTE_MS
	BG_PIDS=()
	FAKE_LOG=$T/requests
}

teardown() {
	local pid
	for pid in "${BG_PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	if [ -n "${INIT_PID:-}" ]; then
		stop_init
		rm -rf "$SYSV_DIR"
	else
		rm -rf "$T"
	fi
}

# start_real_init: a private init --user keeping its runlevel records in
# the files the tools read ($SYSV_DIR, the directory setup() made).  Only
# UPINIT_SOCKET moves, to the new init's $T.
start_real_init() {
	SYSV_DIR=$T
	: >"$SYSV_DIR/utmp"
	: >"$SYSV_DIR/wtmp"
	start_init --utmp "$SYSV_DIR/utmp" --wtmp "$SYSV_DIR/wtmp" \
		--runlevel-file "$SYSV_DIR/runlevel"
}

# ---- helpers -------------------------------------------------------------

# "${AS_ROOT[@]}" COMMAND...: run as root, or as root of a user namespace
# when the tests run unprivileged (the tools only check the euid).
as_root_prefix() {
	if [ "$(id -u)" = 0 ]; then
		AS_ROOT=()
	elif unshare -r true 2>/dev/null; then
		AS_ROOT=(unshare -r)
	else
		skip "needs root or an unprivileged user namespace"
	fi
}

# fake_upinit [CMD=REPLY]...: start the fake upinit on $UPINIT_SOCKET.
fake_upinit() {
	rm -f "$UPINIT_SOCKET.ready"
	python -c pass        # sets $PYTHON3: run it, not a subshell, in the background
	"$PYTHON3" "$BATS_FILE_TMPDIR/fake_upinit.py" "$UPINIT_SOCKET" "$FAKE_LOG" "$@" &
	BG_PIDS+=($!)
	wait_file "$UPINIT_SOCKET.ready"
	: >"$FAKE_LOG"
}

# requests: what the fake upinit received, one packet per line.
requests() {
	cat "$FAKE_LOG"
}

# fake_sysvinit COUNT: a FIFO at $UPINIT_INITCTL read by a fake sysvinit
# expecting COUNT records (decoded into $T/fifo once it has them).
fake_sysvinit() {
	rm -f "$UPINIT_INITCTL.ready" "$T/fifo"
	mkfifo "$UPINIT_INITCTL"
	python -c pass
	"$PYTHON3" "$BATS_FILE_TMPDIR/fake_sysvinit.py" "$UPINIT_INITCTL" "$1" "$T/fifo" &
	FIFO_PID=$!
	BG_PIDS+=($FIFO_PID)
	wait_file "$UPINIT_INITCTL.ready"
}

# fifo_records: wait for the fake sysvinit's records and print them (it
# renames them into place when done; `wait` would not work in the
# command substitutions this is called from).
fifo_records() {
	wait_file "$T/fifo"
	cat "$T/fifo"
}

# Records of the fake sysvinit, as JSON lines.
rec_setenv() {
	local env="" e
	for e in "$@"; do env+="${env:+, }\"$e\""; done
	printf '{"cmd": 6, "env": [%s], "magic": "0x3091969"}' "$env"
}
rec_runlvl() {
	printf '{"cmd": 1, "magic": "0x3091969", "runlevel": "%s", "sleeptime": %d}' "$1" "$2"
}

utmp_add() {
	python "$BATS_FILE_TMPDIR/utmp.py" "$@"
}

records() {
	python "$BATS_FILE_TMPDIR/records.py" "$1"
}

# RUN_LVL record in $UPINIT_UTMP for a change from $1 (a character, or
# 0 for Upstart's "none") to $2.
utmp_runlevel() {
	local prev=$1 cur=$2 p
	if [ "$prev" = 0 ]; then p=0; else p=$(printf '%d' "'$prev"); fi
	utmp_add "$UPINIT_UTMP" 1 $(( $(printf '%d' "'$cur") + 256 * p )) "~" "~~" runlevel
}

# on_pty USER COMMAND...: see on_pty.py; prints JSON.
on_pty() {
	python "$BATS_FILE_TMPDIR/on_pty.py" "$UPINIT_UTMP" "$@"
}

# jget NAME JSON KEY: set variable NAME to field KEY of JSON, whole
# (command substitution would drop its trailing newlines).
jget() {
	local v
	v=$(python -c 'import json,sys; sys.stdout.write(str(json.loads(sys.argv[1])[sys.argv[2]]))' "$2" "$3"; printf x)
	printf -v "$1" '%s' "${v%x}"
}

NO_INIT="neither upinit nor sysvinit is listening"

# ==== telinit ==============================================================

@test "telinit: missing and illegal runlevels, in Upstart's words" {
	expect 1 "" "telinit: missing runlevel
$(hint telinit)" "$TELINIT"
	for bad in 7 8 9 22 x d Z "" " " -- ; do
		[ "$bad" = -- ] && continue
		expect 1 "" "telinit: illegal runlevel: $bad
$(hint telinit)" "$TELINIT" "$bad"
	done
	# -e without a runlevel is only sysvinit's SETENV of INIT_* names.
	expect 1 "" "telinit: missing runlevel
$(hint telinit)" "$TELINIT" -e FOO=bar
	expect 1 "" "telinit: missing runlevel
$(hint telinit)" "$TELINIT" -e INIT_OK=1 -e OTHER=2
	expect 1 "" "telinit: missing runlevel
$(hint telinit)" "$TELINIT" -e INIT_
}

@test "telinit: option errors as libnih reports them" {
	expect 1 "" "telinit: invalid option: -x
$(hint telinit)" "$TELINIT" -x 2
	expect 1 "" "telinit: invalid option: --bogus
$(hint telinit)" "$TELINIT" --bogus 2
	expect 1 "" "telinit: missing argument: -t
$(hint telinit)" "$TELINIT" 2 -t
	expect 1 "" "telinit: illegal argument: soon
$(hint telinit)" "$TELINIT" -t soon 2
	expect 1 "" "telinit: illegal argument: 3601
$(hint telinit)" "$TELINIT" -t 3601 2
	expect 1 "" "telinit: unexpected argument: --help=x
$(hint telinit)" "$TELINIT" --help=x
}

@test "telinit: --help and --version" {
	run "$TELINIT" --help
	[ "$status" = 0 ]
	[ "${lines[0]}" = "Usage: telinit [OPTION]... RUNLEVEL" ]
	[ "${lines[1]}" = "Change system runlevel." ]
	[[ $output == *"  -e KEY=VALUE                add KEY=VALUE to the runlevel event"* ]]
	run "$TELINIT" --version
	[ "$status" = 0 ]
	[ "${lines[0]}" = "telinit (upstart 1.13.2-upinit0.1)" ]
}

@test "the tools' --help is wrapped to \$COLUMNS as initctl's is (one printer, libnih's layout)" {
	local shutdown=$UPINIT_BUILD/shutdown
	# 80 columns by default: nothing to wrap.
	run env -u COLUMNS "$shutdown" --help
	[ "$status" = 0 ]
	[[ $output == *"  -v, --verbose               increase output to include informational messages"* ]]
	# 60: descriptions wrap into 29 columns, continued at column 33.
	COLUMNS=60 run "$shutdown" --help
	[ "$status" = 0 ]
	[[ $output == *"  -v, --verbose               increase output to include
                                informational messages"* ]]
	# The same rows as initctl's, whose options print alike.
	COLUMNS=60 run "$INITCTL" --help
	[[ $output == *"  -v, --verbose               increase output to include
                                informational messages"* ]]
	COLUMNS=60 run "$shutdown" --version
	[ "${lines[2]}" = "This is free software; see the source for copying" ]
}

@test "telinit: only root may change anything; bad arguments are reported first" {
	require_root
	expect 1 "" "telinit: Need to be root" "${AS_NOBODY[@]}" "$TELINIT" 2
	expect 1 "" "telinit: Need to be root" "${AS_NOBODY[@]}" "$TELINIT" q
	expect 1 "" "telinit: Need to be root" "${AS_NOBODY[@]}" "$TELINIT" -e INIT_X=1
	expect 1 "" "telinit: illegal runlevel: 7
$(hint telinit)" "${AS_NOBODY[@]}" "$TELINIT" 7
	# --help needs nobody's privileges.
	"${AS_NOBODY[@]}" "$TELINIT" --help >/dev/null
}

@test "telinit: each argument becomes its upinit request" {
	as_root_prefix
	fake_upinit
	"${AS_ROOT[@]}" "$TELINIT" 2
	"${AS_ROOT[@]}" "$TELINIT" s
	"${AS_ROOT[@]}" "$TELINIT" -e A=1 -t 9 -e B=two\ words 0
	"${AS_ROOT[@]}" "$TELINIT" 6 ignored extra words
	"${AS_ROOT[@]}" "$TELINIT" q
	"${AS_ROOT[@]}" "$TELINIT" Q
	"${AS_ROOT[@]}" "$TELINIT" u
	"${AS_ROOT[@]}" "$TELINIT" B
	"${AS_ROOT[@]}" "$TELINIT" -e INIT_X=1 -e INIT_Y
	"${AS_ROOT[@]}" "$TELINIT" -e IGNORED=1 q
	run requests
	[ "$output" = '{"v":1,"cmd":"telinit","runlevel":"2","env":[]}
{"v":1,"cmd":"telinit","runlevel":"S","env":[]}
{"v":1,"cmd":"telinit","runlevel":"0","env":["A=1","B=two words"]}
{"v":1,"cmd":"telinit","runlevel":"6","env":[]}
{"v":1,"cmd":"reload-configuration"}
{"v":1,"cmd":"reload-configuration"}
{"v":1,"cmd":"reexec"}
{"v":1,"cmd":"ondemand","level":"b"}
{"v":1,"cmd":"init-env","vars":["INIT_X=1","INIT_Y"]}
{"v":1,"cmd":"reload-configuration"}' ]
}

@test "telinit: upinit's answer is printed and its status returned" {
	as_root_prefix
	fake_upinit 'telinit={"v":1,"status":1,"error":"You do not have permission to change the runlevel"}' \
		'reexec=none' \
		'ondemand={"v":1,"status":0,"lines":["started getty-a"]}'
	# Even with a FIFO there: upinit answered, sysvinit is not asked.
	mkfifo "$UPINIT_INITCTL"
	expect 1 "" "telinit: You do not have permission to change the runlevel" \
		"${AS_ROOT[@]}" "$TELINIT" 3
	expect 1 "" "telinit: Connection was disconnected before a reply was received" \
		"${AS_ROOT[@]}" "$TELINIT" u
	expect 0 "started getty-a" "" "${AS_ROOT[@]}" "$TELINIT" a
	expect 0 "" "" "${AS_ROOT[@]}" "$TELINIT" -q a
}

@test "telinit: without upinit, sysvinit's FIFO gets the request" {
	as_root_prefix
	fake_sysvinit 1
	"${AS_ROOT[@]}" "$TELINIT" 5
	[ "$(fifo_records)" = "$(rec_runlvl 5 3)" ]

	rm "$UPINIT_INITCTL"; fake_sysvinit 1
	"${AS_ROOT[@]}" "$TELINIT" -t 10 s
	[ "$(fifo_records)" = "$(rec_runlvl S 10)" ]

	rm "$UPINIT_INITCTL"; fake_sysvinit 2
	"${AS_ROOT[@]}" "$TELINIT" -e INIT_A=1 -e PLAIN=x 2
	[ "$(fifo_records)" = "$(rec_setenv INIT_A=1 PLAIN=x)
$(rec_runlvl 2 3)" ]

	for arg in q u a B c; do
		rm "$UPINIT_INITCTL"; fake_sysvinit 1
		"${AS_ROOT[@]}" "$TELINIT" "$arg"
		want=$(echo "$arg" | tr a-z A-Z)
		[ "$(fifo_records)" = "$(rec_runlvl "$want" 3)" ]
	done

	rm "$UPINIT_INITCTL"; fake_sysvinit 1
	"${AS_ROOT[@]}" "$TELINIT" -e INIT_X -e INIT_Y=2
	[ "$(fifo_records)" = "$(rec_setenv INIT_X INIT_Y=2)" ]
}

@test "telinit: no init at all is one line naming both, and never hangs" {
	as_root_prefix
	expect 1 "" "telinit: $NO_INIT ($T/control: No such file or directory; $T/initctl: No such file or directory)" \
		"${AS_ROOT[@]}" "$TELINIT" 2
	# A stale socket and a FIFO nobody reads.
	python -c 'import socket,sys; s=socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET); s.bind(sys.argv[1])' "$UPINIT_SOCKET"
	mkfifo "$UPINIT_INITCTL"
	expect 1 "" "telinit: $NO_INIT ($T/control: Connection refused; $T/initctl: No such device or address)" \
		"${AS_ROOT[@]}" "$TELINIT" 2
}

@test "telinit: a FIFO that is not one, a stuck sysvinit, an oversized -e" {
	as_root_prefix
	echo precious >"$UPINIT_INITCTL"
	expect 1 "" "telinit: $T/initctl is not a fifo" "${AS_ROOT[@]}" "$TELINIT" 2
	[ "$(cat "$UPINIT_INITCTL")" = precious ]
	rm "$UPINIT_INITCTL"

	fake_sysvinit 0      # holds the FIFO open, full, and never reads
	SECONDS=0
	expect 1 "" "telinit: timeout opening/writing control channel $T/initctl" \
		"${AS_ROOT[@]}" "$TELINIT" 2
	[ "$SECONDS" -le 6 ]
	kill "$FIFO_PID"; rm "$UPINIT_INITCTL"

	fake_sysvinit 1
	expect 1 "" "telinit: -e option data too large" \
		"${AS_ROOT[@]}" "$TELINIT" -e "INIT_BIG=$(printf 'x%.0s' {1..400})"
}

@test "init N run from a shell is telinit N, with init's name in messages" {
	as_root_prefix
	ln -s "$TELINIT" "$T/bin/init"
	expect 1 "" "init: illegal runlevel: 7
$(hint init)" "$T/bin/init" 7
	fake_sysvinit 1
	"${AS_ROOT[@]}" "$T/bin/init" 3
	[ "$(fifo_records)" = "$(rec_runlvl 3 3)" ]
	# The real init binary, run from a shell, is telinit too.
	expect 1 "" "init: illegal runlevel: 7
$(hint init)" "$INIT" 7
	rm "$UPINIT_INITCTL"; fake_sysvinit 1
	"${AS_ROOT[@]}" "$INIT" -t 4 S
	[ "$(fifo_records)" = "$(rec_runlvl S 4)" ]
}

@test "the multi-call binary refuses a name it does not know" {
	ln -s "$TELINIT" "$T/bin/upinit-tools"
	expect 1 "" "upinit-tools: unknown tool name; run as telinit, runlevel, shutdown, halt, reboot or poweroff" \
		"$T/bin/upinit-tools" 2
}

# ==== runlevel =============================================================

@test "runlevel: nothing known is unknown, exit 1; -q keeps only the status" {
	expect 1 "unknown" "" "$RUNLEVEL_BIN"
	expect 1 "" "" "$RUNLEVEL_BIN" -q
	expect 1 "" "runlevel: invalid option: -x
$(hint runlevel)" "$RUNLEVEL_BIN" -x
	run "$RUNLEVEL_BIN" --help
	[ "${lines[0]}" = "Usage: runlevel [OPTION]... [UTMP]" ]
}

@test "runlevel: \$RUNLEVEL and \$PREVLEVEL come before utmp" {
	utmp_runlevel N 5
	expect 0 "S 2" "" env RUNLEVEL=2 PREVLEVEL=S "$RUNLEVEL_BIN"
	expect 0 "N 3" "" env RUNLEVEL=3 "$RUNLEVEL_BIN"
	expect 0 "N 3" "" env RUNLEVEL=3 PREVLEVEL= "$RUNLEVEL_BIN"
	# Set but empty: unknown, as in Upstart's rc-sysinit, whatever utmp says.
	expect 1 "unknown" "" env RUNLEVEL= "$RUNLEVEL_BIN"
	expect 1 "unknown" "" env RUNLEVEL=N "$RUNLEVEL_BIN"
	expect 0 "N 5" "" "$RUNLEVEL_BIN"
}

@test "runlevel: the first RUN_LVL record of utmp, in either encoding" {
	: >"$UPINIT_UTMP"
	utmp_add "$UPINIT_UTMP" 2 0 "~" "~~" reboot            # BOOT_TIME
	utmp_runlevel N 2
	utmp_runlevel 2 3                                      # not the first
	expect 0 "N 2" "" "$RUNLEVEL_BIN"
	: >"$UPINIT_UTMP"; utmp_runlevel 0 2                    # Upstart's prev 0
	expect 0 "N 2" "" "$RUNLEVEL_BIN"
	: >"$UPINIT_UTMP"; utmp_runlevel S 2
	expect 0 "S 2" "" "$RUNLEVEL_BIN"
	expect 0 "" "" "$RUNLEVEL_BIN" -q
}

@test "runlevel: a shutdown record or no record falls back to /var/run/runlevel" {
	utmp_add "$UPINIT_UTMP" 1 0 "~~" "~~" shutdown
	expect 1 "unknown" "" "$RUNLEVEL_BIN"
	printf 6 >"$UPINIT_RUNLEVEL_FILE"
	expect 0 "N 6" "" "$RUNLEVEL_BIN"
	rm "$UPINIT_UTMP"
	expect 0 "N 6" "" "$RUNLEVEL_BIN"
	printf 'x' >"$UPINIT_RUNLEVEL_FILE"
	expect 1 "unknown" "" "$RUNLEVEL_BIN"
}

@test "runlevel UTMP reads only that file" {
	utmp_add "$T/other" 1 $(( 51 + 256 * 50 )) "~" "~~" runlevel     # 2 -> 3
	printf 5 >"$UPINIT_RUNLEVEL_FILE"
	expect 0 "2 3" "" env RUNLEVEL=4 "$RUNLEVEL_BIN" "$T/other"
	expect 1 "unknown" "" "$RUNLEVEL_BIN" "$T/missing"
}

@test "runlevel: an unreadable utmp is reported" {
	require_root
	utmp_runlevel N 2
	chmod 600 "$UPINIT_UTMP"
	chmod 755 "$T"
	expect 1 "" "runlevel: $T/utmp: Permission denied" "${AS_NOBODY[@]}" "$RUNLEVEL_BIN"
}

@test "runlevel: upinit's answer comes first and is final" {
	fake_upinit 'runlevel={"v":1,"status":0,"lines":["N 2"]}'
	expect 0 "N 2" "" env RUNLEVEL=5 "$RUNLEVEL_BIN"
	[ "$(requests)" = '{"v":1,"cmd":"runlevel"}' ]
	kill "${BG_PIDS[@]}"; wait "${BG_PIDS[@]}" 2>/dev/null || true; BG_PIDS=()
	rm -f "$UPINIT_SOCKET"*

	fake_upinit 'runlevel={"v":1,"status":1}'
	expect 1 "unknown" "" env RUNLEVEL=5 "$RUNLEVEL_BIN"
}

@test "runlevel: an upinit that refuses the request is passed over" {
	fake_upinit 'runlevel={"v":1,"status":1,"error":"Invalid request: unknown command runlevel"}'
	expect 0 "N 5" "" env RUNLEVEL=5 "$RUNLEVEL_BIN"
	utmp_runlevel S 3
	expect 0 "S 3" "" "$RUNLEVEL_BIN"
}

# ==== shutdown: command line ==============================================

@test "shutdown: TIME is required and checked" {
	expect 1 "" "shutdown: time expected
$(hint shutdown)" "$SHUTDOWN"
	expect 1 "" "shutdown: time expected
$(hint shutdown)" "$SHUTDOWN" -r
	for t in soon 5m -- "" + +now 527041; do
		[ "$t" = -- ] && continue
		expect 1 "" "shutdown: illegal time value
$(hint shutdown)" "$SHUTDOWN" -r -- "$t"
	done
	for t in 24:00 :30 x:1 +9000:00; do
		expect 1 "" "shutdown: illegal hour value
$(hint shutdown)" "$SHUTDOWN" -r "$t"
	done
	for t in 1:60 10: 1:2:3 1:5x; do
		expect 1 "" "shutdown: illegal minute value
$(hint shutdown)" "$SHUTDOWN" -r "$t"
	done
	expect 1 "" "shutdown: \`2': bad runlevel" "$SHUTDOWN" -i 2 now
	expect 1 "" "shutdown: invalid option: -z
$(hint shutdown)" "$SHUTDOWN" -rz now
	expect 1 "" "shutdown: missing argument: -t
$(hint shutdown)" "$SHUTDOWN" now -t
	run "$SHUTDOWN" --help
	[ "$status" = 0 ] && [ "${lines[0]}" = "Usage: shutdown [OPTION]... TIME [MESSAGE]" ]
}

@test "shutdown: only root" {
	require_root
	expect 1 "" "shutdown: Need to be root" "${AS_NOBODY[@]}" "$SHUTDOWN" -r now
	expect 1 "" "shutdown: Need to be root" "${AS_NOBODY[@]}" "$SHUTDOWN" -c
}

@test "shutdown: each target becomes its runlevel request, INIT_HALT in the event" {
	as_root_prefix
	fake_upinit
	for args in "-r now" "-h now" "-h -H now" "-h -P now" "-H now" "-P now" \
		    "now" "-P -h now" "-P -r now" "-r -P now" "-i s now" \
		    "-i 5 now" "-i a now" "-g now" "-t 20 -r now" "now -r"; do
		# shellcheck disable=SC2086
		"${AS_ROOT[@]}" "$SHUTDOWN" $args
	done
	run requests
	[ "$output" = '{"v":1,"cmd":"telinit","runlevel":"6","env":[]}
{"v":1,"cmd":"telinit","runlevel":"0","env":[]}
{"v":1,"cmd":"telinit","runlevel":"0","env":["INIT_HALT=HALT"]}
{"v":1,"cmd":"telinit","runlevel":"0","env":["INIT_HALT=POWEROFF"]}
{"v":1,"cmd":"telinit","runlevel":"0","env":["INIT_HALT=HALT"]}
{"v":1,"cmd":"telinit","runlevel":"0","env":["INIT_HALT=POWEROFF"]}
{"v":1,"cmd":"telinit","runlevel":"1","env":[]}
{"v":1,"cmd":"telinit","runlevel":"0","env":["INIT_HALT=POWEROFF"]}
{"v":1,"cmd":"telinit","runlevel":"6","env":[]}
{"v":1,"cmd":"telinit","runlevel":"0","env":["INIT_HALT=POWEROFF"]}
{"v":1,"cmd":"telinit","runlevel":"S","env":[]}
{"v":1,"cmd":"telinit","runlevel":"5","env":[]}
{"v":1,"cmd":"ondemand","level":"a"}
{"v":1,"cmd":"telinit","runlevel":"1","env":[]}
{"v":1,"cmd":"telinit","runlevel":"6","env":[]}
{"v":1,"cmd":"telinit","runlevel":"6","env":[]}' ]
	# Nothing is left behind by an immediate shutdown.
	[ ! -e "$UPINIT_NOLOGIN" ] && [ ! -e "$UPINIT_SHUTDOWN_PID" ]
}

@test "shutdown: -f and -F leave /fastboot and /forcefsck; a failure removes them" {
	as_root_prefix
	fake_upinit
	"${AS_ROOT[@]}" "$SHUTDOWN" -r -f -F now
	[ -e "$UPINIT_FASTBOOT" ] && [ -e "$UPINIT_FORCEFSCK" ]
	rm "$UPINIT_FASTBOOT" "$UPINIT_FORCEFSCK"
	kill "${BG_PIDS[@]}"; wait "${BG_PIDS[@]}" 2>/dev/null || true; BG_PIDS=()
	rm -f "$UPINIT_SOCKET"*
	expect 1 "" "shutdown: $NO_INIT ($T/control: No such file or directory; $T/initctl: No such file or directory)" \
		"${AS_ROOT[@]}" "$SHUTDOWN" -r -f -F now
	[ ! -e "$UPINIT_FASTBOOT" ] && [ ! -e "$UPINIT_FORCEFSCK" ]
}

@test "shutdown: without upinit, SETENV INIT_HALT then RUNLVL on the FIFO" {
	as_root_prefix
	fake_sysvinit 2
	"${AS_ROOT[@]}" "$SHUTDOWN" -h -P now
	[ "$(fifo_records)" = "$(rec_setenv INIT_HALT=POWEROFF)
$(rec_runlvl 0 3)" ]
	rm "$UPINIT_INITCTL"; fake_sysvinit 2
	"${AS_ROOT[@]}" "$SHUTDOWN" -t 9 -r now
	[ "$(fifo_records)" = "$(rec_setenv INIT_HALT)
$(rec_runlvl 6 9)" ]
	rm "$UPINIT_INITCTL"; fake_sysvinit 2
	"${AS_ROOT[@]}" "$SHUTDOWN" -H now
	[ "$(fifo_records)" = "$(rec_setenv INIT_HALT=HALT)
$(rec_runlvl 0 3)" ]
}

# ==== shutdown: warnings ===================================================

@test "shutdown: the final warning reaches logged-in users, in sysvinit's words" {
	as_root_prefix
	unset UPINIT_DEV                 # the pty lives in the real /dev/pts
	fake_upinit
	out=$(on_pty alice "${AS_ROOT[@]}" "$SHUTDOWN" -r now System going down)
	jget rc "$out" rc; jget tty "$out" tty
	[ "$rc" = 0 ]
	[[ $tty =~ ^$'\r\n'"Broadcast message from "[^@]+@[^\ ]+" ("[A-Z][a-z][a-z]\ .+" "[0-9]{4}"):"$'\r\n\r\n'"System going down "$'\r\n\r'"The system is going down for reboot NOW!"$'\r\n'$ ]]
	[ "$(requests)" = '{"v":1,"cmd":"telinit","runlevel":"6","env":[]}' ]

	: >"$UPINIT_UTMP"
	out=$(on_pty bob "${AS_ROOT[@]}" "$SHUTDOWN" -h now)
	jget tty "$out" tty
	[[ $tty == *$'\r\n\r\n\rThe system is going down for system halt NOW!\r\n' ]]
	: >"$UPINIT_UTMP"
	out=$(on_pty bob "${AS_ROOT[@]}" "$SHUTDOWN" now $'bell\a')
	jget tty "$out" tty
	[[ $tty == *$'bell^G \r\n\rThe system is going down to maintenance mode NOW!\r\n' ]]
}

@test "shutdown: users who left, and records without a user, get nothing" {
	as_root_prefix
	unset UPINIT_DEV
	fake_upinit
	out=$(WALL_DEAD=1 on_pty alice "${AS_ROOT[@]}" "$SHUTDOWN" -r now)
	jget tty "$out" tty; [ "$tty" = "" ]
	: >"$UPINIT_UTMP"
	out=$(on_pty "" "${AS_ROOT[@]}" "$SHUTDOWN" -r now)
	jget tty "$out" tty; [ "$tty" = "" ]
}

# The "minutes" of the warnings a countdown sent, in order (0 for NOW).
warned_minutes() {
	grep -oE 'in [0-9]+ minutes?!|NOW!' <<<"$1" | sed -E 's/in ([0-9]+).*/\1/; s/NOW!/0/' | tr '\n' ' '
}

@test "shutdown -k: sysvinit's schedule, then Shutdown cancelled" {
	as_root_prefix
	unset UPINIT_DEV
	fake_upinit
	# Minutes of 200 ms: a scheduling delay longer than that would skip
	# a warning, as a suspended machine would (the schedule itself is
	# unit-tested in full).
	export UPINIT_SHUTDOWN_MINUTE_MS=200
	out=$(on_pty alice "${AS_ROOT[@]}" "$SHUTDOWN" -k +12 test run)
	jget rc "$out" rc; jget stdout "$out" stdout; jget tty "$out" tty
	[ "$rc" = 0 ]
	[ "$stdout" = $'\r\nShutdown cancelled.\r\n' ]
	# The extra first warning (12 is no warning minute), then 9..1, NOW.
	[ "$(warned_minutes "$tty")" = "12 9 8 7 6 5 4 3 2 1 0 " ]
	[[ $tty == *$'test run \r\n\rThe system is going DOWN to maintenance mode in 12 minutes!\r\n'* ]]
	[[ $tty == *$'\rThe system is going DOWN to maintenance mode in 1 minute!\r\n'* ]]
	# -k never asks init, and leaves no file behind.
	[ "$(requests)" = "" ]
	[ ! -e "$UPINIT_NOLOGIN" ] && [ ! -e "$UPINIT_SHUTDOWN_PID" ]

	: >"$UPINIT_UTMP"
	out=$(on_pty alice "${AS_ROOT[@]}" "$SHUTDOWN" -q -k -r +11)
	jget tty "$out" tty
	[ "$(warned_minutes "$tty")" = "10 5 0 " ]
	: >"$UPINIT_UTMP"
	out=$(on_pty alice "${AS_ROOT[@]}" "$SHUTDOWN" -Q -k -r +3)
	jget tty "$out" tty
	[ "$(warned_minutes "$tty")" = "0 " ]
}

@test "shutdown: a waiting shutdown writes its pid, /etc/nologin at 5 minutes, and acts at 0" {
	as_root_prefix
	fake_upinit
	export UPINIT_SHUTDOWN_MINUTE_MS=500
	"${AS_ROOT[@]}" "$SHUTDOWN" -h -P +6 Bye now >"$T/out" 2>&1 &
	BG_PIDS+=($!)
	wait_file "$UPINIT_SHUTDOWN_PID"
	pid=$(cat "$UPINIT_SHUTDOWN_PID")
	[ -n "$pid" ] && kill -0 "$pid"
	[ ! -e "$UPINIT_NOLOGIN" ]           # 6 minutes left: not yet
	wait_file "$UPINIT_NOLOGIN"
	[[ $(cat "$UPINIT_NOLOGIN") =~ ^$'\r'"The system is going down on "[A-Z][a-z][a-z]\ .+" "[0-9]{4}$'\n\r\n'"Bye now "$'\r'$ ]]
	wait_for "shutdown to act" grep -q telinit "$FAKE_LOG"
	[ "$(requests)" = '{"v":1,"cmd":"telinit","runlevel":"0","env":["INIT_HALT=POWEROFF"]}' ]
	wait_for "pid file gone" test ! -e "$UPINIT_SHUTDOWN_PID"
	[ ! -e "$UPINIT_NOLOGIN" ]
}

@test "shutdown -c interrupts a waiting shutdown and walls the message" {
	as_root_prefix
	fake_upinit
	export UPINIT_SHUTDOWN_MINUTE_MS=1000
	"${AS_ROOT[@]}" "$SHUTDOWN" -r -F +3 >"$T/out" 2>&1 &
	bg=$!
	BG_PIDS+=($bg)
	wait_file "$UPINIT_SHUTDOWN_PID"
	wait_file "$UPINIT_NOLOGIN"
	[ -e "$UPINIT_FORCEFSCK" ]
	unset UPINIT_DEV
	out=$(on_pty alice "${AS_ROOT[@]}" "$SHUTDOWN" -c never mind)
	jget rc "$out" rc; jget tty "$out" tty
	[ "$rc" = 0 ]
	[[ $tty == *$'\r\n\r\nnever mind \r\n' ]]
	wait "$bg"
	[ "$(cat "$T/out")" = $'\r\nShutdown cancelled.\r' ]
	[ ! -e "$UPINIT_SHUTDOWN_PID" ] && [ ! -e "$UPINIT_NOLOGIN" ] && [ ! -e "$UPINIT_FORCEFSCK" ]
	[ "$(requests)" = "" ]
}

@test "shutdown: SIGTERM cancels too" {
	as_root_prefix
	export UPINIT_SHUTDOWN_MINUTE_MS=1000
	"${AS_ROOT[@]}" "$SHUTDOWN" -r +3 >"$T/out" 2>&1 &
	bg=$!
	BG_PIDS+=($bg)
	wait_file "$UPINIT_SHUTDOWN_PID"
	kill -TERM "$(cat "$UPINIT_SHUTDOWN_PID")"
	wait "$bg"
	[ "$(cat "$T/out")" = $'\r\nShutdown cancelled.\r' ]
	[ ! -e "$UPINIT_SHUTDOWN_PID" ] && [ ! -e "$UPINIT_NOLOGIN" ]
}

@test "shutdown -c and the pid file: missing, stale, init's, garbage, and already running" {
	as_root_prefix
	expect 1 "" "shutdown: cannot find pid of running shutdown." "${AS_ROOT[@]}" "$SHUTDOWN" -c
	# A pid file naming init or nonsense is never acted on.
	for content in 1 0 -1 garbage ""; do
		echo "$content" >"$UPINIT_SHUTDOWN_PID"
		expect 1 "" "shutdown: cannot find pid of running shutdown." \
			"${AS_ROOT[@]}" "$SHUTDOWN" -c
	done
	# A process that is gone.
	sh -c 'echo $$ >"$1"' sh "$UPINIT_SHUTDOWN_PID"
	expect 1 "" "shutdown: not running." "${AS_ROOT[@]}" "$SHUTDOWN" -c
	# A live one: a second shutdown refuses; the process is not touched.
	sleep 100 &
	BG_PIDS+=($!)
	echo "$!" >"$UPINIT_SHUTDOWN_PID"
	fake_upinit
	expect 1 "" "shutdown: already running." "${AS_ROOT[@]}" "$SHUTDOWN" -r now
	kill -0 "$!"
	[ "$(requests)" = "" ]
}

# ==== shutdown -a ==========================================================

@test "shutdown -a: someone allowed, or root, must be on a virtual console" {
	require_root
	fake_upinit
	mknod "$T/dev/tty1" c 4 1
	mknod "$T/dev/tty2" c 4 2
	printf '# admins\nalice\n\ncarol\n' >"$UPINIT_SHUTDOWN_ALLOW"

	utmp_add "$UPINIT_UTMP" 7 100 tty1 1 bob
	expect 1 "" "" "$SHUTDOWN" -a -r now
	[ "$(cat "$T/dev/console")" = $'\rshutdown: no authorized users logged in.\r' ]
	[ "$(requests)" = "" ]

	utmp_add "$UPINIT_UTMP" 7 101 pts/7 ts/7 alice      # not a console
	expect 1 "" "" "$SHUTDOWN" -a -r now
	utmp_add "$UPINIT_UTMP" 7 102 tty2 2 carol
	expect 0 "" "" "$SHUTDOWN" -a -r now
	[ "$(requests)" = '{"v":1,"cmd":"telinit","runlevel":"6","env":[]}' ]

	: >"$UPINIT_UTMP"; : >"$FAKE_LOG"
	utmp_add "$UPINIT_UTMP" 7 103 tty1 1 root
	expect 0 "" "" "$SHUTDOWN" -a -h now
	# Without /etc/shutdown.allow, -a allows everyone (sysvinit).
	rm "$UPINIT_SHUTDOWN_ALLOW"; : >"$UPINIT_UTMP"
	expect 0 "" "" "$SHUTDOWN" -a -h now
	[ "$(wc -l <"$FAKE_LOG")" = 2 ]
}

# ==== halt, reboot, poweroff ===============================================

@test "halt/reboot/poweroff: only root" {
	require_root
	for tool in halt reboot poweroff; do
		expect 1 "" "$tool: Need to be root" "${AS_NOBODY[@]}" "$UPINIT_BUILD/$tool" -f
	done
	expect 1 "" "halt: invalid option: -x
$(hint halt)" "$HALT" -x
}

@test "halt/reboot/poweroff -f: the shutdown record, sync, and reboot(2) (dry run)" {
	as_root_prefix
	: >"$UPINIT_WTMP"
	utmp_runlevel N 2
	expect 0 "sync()
reboot(RB_HALT_SYSTEM)" "" "${AS_ROOT[@]}" "$HALT" -f
	expect 0 "sync()
reboot(RB_POWER_OFF)" "" "${AS_ROOT[@]}" "$HALT" -f -p
	expect 0 "sync()
reboot(RB_POWER_OFF)" "" "${AS_ROOT[@]}" "$POWEROFF" --force
	expect 0 "sync()
reboot(RB_AUTOBOOT)" "" "${AS_ROOT[@]}" "$REBOOT" -f
	expect 0 "sync()
reboot(RB_KEXEC)" "" "${AS_ROOT[@]}" "$REBOOT" -f -k
	expect 0 "sync()
reboot(LINUX_REBOOT_CMD_RESTART2, \"rescue\")" "" "${AS_ROOT[@]}" "$REBOOT" -f rescue
	expect 0 "sync()
reboot(LINUX_REBOOT_CMD_RESTART2, \"fw\")" "" "${AS_ROOT[@]}" "$REBOOT" -m fw
	expect 0 "sync()
reboot(RB_HALT_SYSTEM)" "" "${AS_ROOT[@]}" "$HALT" -f -h -i ignored
	# -n: no sync and, as in sysvinit, no record; -d: no record.
	expect 0 "reboot(RB_AUTOBOOT)" "" "${AS_ROOT[@]}" "$REBOOT" -f -n
	expect 0 "sync()
reboot(RB_AUTOBOOT)" "" "${AS_ROOT[@]}" "$REBOOT" -f -d
	# -w: the record only.
	expect 0 "" "" "${AS_ROOT[@]}" "$POWEROFF" -w
	expect 0 "" "" "${AS_ROOT[@]}" "$POWEROFF" -w -d
	# 9 records, all sysvinit's shutdown record; utmp keeps its runlevel.
	run records "$UPINIT_WTMP"
	[ "${#lines[@]}" = 9 ]
	for l in "${lines[@]}"; do [ "$l" = "1 0 ~~ ~~ shutdown" ]; done
	expect 0 "N 2" "" "$RUNLEVEL_BIN"
	if command -v last >/dev/null; then
		last -x -f "$UPINIT_WTMP" | grep -q '^shutdown system down'
	fi
}

@test "halt/reboot/poweroff not forced: shutdown's logic, now" {
	as_root_prefix
	fake_upinit
	"${AS_ROOT[@]}" "$HALT"
	"${AS_ROOT[@]}" "$HALT" -p
	"${AS_ROOT[@]}" "$POWEROFF"
	"${AS_ROOT[@]}" "$REBOOT"
	"${AS_ROOT[@]}" "$REBOOT" -n ignored-without-force
	run requests
	# halt leaves INIT_HALT unset, as sysvinit's: /etc/default/halt decides.
	[ "$output" = '{"v":1,"cmd":"runlevel"}
{"v":1,"cmd":"telinit","runlevel":"0","env":[]}
{"v":1,"cmd":"runlevel"}
{"v":1,"cmd":"telinit","runlevel":"0","env":["INIT_HALT=POWEROFF"]}
{"v":1,"cmd":"runlevel"}
{"v":1,"cmd":"telinit","runlevel":"0","env":["INIT_HALT=POWEROFF"]}
{"v":1,"cmd":"runlevel"}
{"v":1,"cmd":"telinit","runlevel":"6","env":[]}
{"v":1,"cmd":"runlevel"}
{"v":1,"cmd":"telinit","runlevel":"6","env":[]}' ]
	expect 1 "" "reboot: -k needs -f, or runlevel 6" "${AS_ROOT[@]}" "$REBOOT" -k
}

@test "halt/reboot not forced, without upinit: sysvinit's FIFO, -t passed on" {
	as_root_prefix
	fake_sysvinit 2
	"${AS_ROOT[@]}" "$REBOOT" -t 7
	[ "$(fifo_records)" = "$(rec_setenv INIT_HALT)
$(rec_runlvl 6 7)" ]
	rm "$UPINIT_INITCTL"
	expect 1 "" "shutdown: $NO_INIT ($T/control: No such file or directory; $T/initctl: No such file or directory)" \
		"${AS_ROOT[@]}" "$HALT"
}

@test "halt/reboot in runlevel 0/6 act at once, but call reboot(2) without -f only in a PID namespace of their own" {
	as_root_prefix
	: >"$UPINIT_WTMP"
	expect 1 "" "reboot: refusing to stop the machine without -f in runlevel 6 outside a PID namespace of its own" \
		env RUNLEVEL=6 "${AS_ROOT[@]}" "$REBOOT"
	fake_upinit 'runlevel={"v":1,"status":0,"lines":["2 0"]}'
	expect 1 "" "halt: refusing to stop the machine without -f in runlevel 0 outside a PID namespace of its own" \
		"${AS_ROOT[@]}" "$HALT"
	# Refused: no record either, and init was only asked for the level.
	[ ! -s "$UPINIT_WTMP" ]
	[ "$(requests)" = '{"v":1,"cmd":"runlevel"}' ]
	# In a PID namespace of its own it goes ahead (still a dry run).
	if [ "$(id -u)" = 0 ]; then
		pidns=(unshare --pid --fork)
	else
		pidns=(unshare -r --pid --fork)
	fi
	"${pidns[@]}" true 2>/dev/null || skip "no PID namespaces here"
	expect 0 "sync()
reboot(RB_AUTOBOOT)" "" env RUNLEVEL=6 "${pidns[@]}" "$REBOOT"
	[ "$(records "$UPINIT_WTMP")" = "1 0 ~~ ~~ shutdown" ]
}

@test "without the dry run, the refusal holds (checked where reboot(2) could not work anyway)" {
	# In a user namespace of our own, reboot(2) fails with EPERM whatever
	# happens: a safe place to see that the guard, not the kernel, stops it.
	unshare -r true 2>/dev/null || skip "no user namespaces"
	expect 1 "" "reboot: refusing to stop the machine without -f in runlevel 6 outside a PID namespace of its own" \
		env -u UPINIT_REBOOT_DRYRUN RUNLEVEL=6 unshare -r "$REBOOT"
}

# ==== against a real init ==================================================

@test "real init: telinit changes the runlevel; runlevel, utmp and /var/run/runlevel follow" {
	as_root_prefix
	start_real_init
	expect 1 "unknown" "" "$RUNLEVEL_BIN"
	expect 0 "" "" "${AS_ROOT[@]}" "$TELINIT" 2
	expect 0 "N 2" "" "$RUNLEVEL_BIN"
	expect 0 "" "" "${AS_ROOT[@]}" "$TELINIT" 3
	# PID 1's answer wins over the environment.
	expect 0 "2 3" "" env RUNLEVEL=5 PREVLEVEL=4 "$RUNLEVEL_BIN"
	[ "$(cat "$SYSV_DIR/runlevel")" = 3 ]
	expect 0 "2 3" "" "$RUNLEVEL_BIN" "$SYSV_DIR/utmp"
	if command -v who >/dev/null; then
		[[ $(who -r "$SYSV_DIR/utmp") =~ run-level\ 3.*last=2 ]]
	fi
}

@test "real init: the runlevel event carries -e values and shutdown's INIT_HALT" {
	as_root_prefix
	start_real_init
	job seen <<-EOF
	start on runlevel
	task
	exec sh -c 'echo "\$RUNLEVEL \$PREVLEVEL \${FOO-} \${INIT_HALT-}" >>$T/out/seen'
	EOF
	"${AS_ROOT[@]}" "$TELINIT" -e FOO=bar 2
	wait_grep "$T/out/seen" "^2 N bar $"
	"${AS_ROOT[@]}" "$SHUTDOWN" -h -P now
	wait_grep "$T/out/seen" "^0 2  POWEROFF$"
	expect 0 "2 0" "" "$RUNLEVEL_BIN"
	# In runlevel 0, halt acts at once, and outside a PID namespace of
	# its own, without -f, refuses to call reboot(2).
	expect 1 "" "halt: refusing to stop the machine without -f in runlevel 0 outside a PID namespace of its own" \
		"${AS_ROOT[@]}" "$HALT"
}

@test "real init: halt and reboot, not forced, go through shutdown to 0 and 6" {
	as_root_prefix
	start_real_init
	"${AS_ROOT[@]}" "$TELINIT" 2
	"${AS_ROOT[@]}" "$REBOOT"
	expect 0 "2 6" "" "$RUNLEVEL_BIN"
	"${AS_ROOT[@]}" "$TELINIT" 2
	"${AS_ROOT[@]}" "$POWEROFF"
	expect 0 "2 0" "" "$RUNLEVEL_BIN"
}

@test "real init: telinit q reloads the configuration" {
	as_root_prefix
	start_real_init
	expect 0 "" "" "${AS_ROOT[@]}" "$TELINIT" q
	wait_grep "$T/init.err" "Reloading configuration"
}

@test "real init: telinit -e INIT_X sets a variable every job gets" {
	as_root_prefix
	start_real_init
	job env-seen <<-EOF
	task
	exec sh -c 'echo "\${INIT_X-unset}" >$T/out/env'
	EOF
	expect 0 "" "" "${AS_ROOT[@]}" "$TELINIT" -e INIT_X=hello
	"$INITCTL" start env-seen
	[ "$(cat "$T/out/env")" = hello ]
	expect 0 "" "" "${AS_ROOT[@]}" "$TELINIT" -e INIT_X
	"$INITCTL" start env-seen
	[ "$(cat "$T/out/env")" = unset ]
}
