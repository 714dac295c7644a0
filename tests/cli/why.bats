#!/usr/bin/env bats
# Why is it running, and where did the boot go (initctl why, history,
# timeline): every goal change keeps its cause, the chain goes back to
# startup or to the command someone typed, the record is bounded and
# survives re-exec, and the boot timeline holds what ran until the boot
# settled.

bats_require_minimum_version 1.5.0

load helpers
load helpers_ctl

teardown() {
	stop_init
}

# A task at startup, a service after it, one half waiting.
boot_jobs() {
	T=$(mktemp -d "${BATS_TMPDIR:-/tmp}/why.XXXXXX")
	mkdir -p "$T/conf"
	printf 'start on startup\ntask\nexec sleep 0.2\n' >"$T/conf/a.conf"
	printf 'start on stopped a\nexec sleep 1000\n' >"$T/conf/b.conf"
	printf 'start on started b and (foo or bar)\nexec sleep 1000\n' >"$T/conf/c.conf"
	INIT_DIR=$T start_init "$@"
	wait_status b "b start/running"
}

json() {
	python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"
}

@test "why: the chain of causes goes back to startup, one cause a line" {
	boot_jobs
	run "$INITCTL" why b
	[ "$status" -eq 0 ]
	echo "$output"
	[[ "${lines[0]}" == "b start/running, process "* ]]
	[[ "${lines[1]}" =~ ^\[\ *[0-9]+\.[0-9]{3}\]\ b:\ goal\ start$ ]]
	[[ "${lines[2]}" == *"]   event stopped JOB=a INSTANCE= RESULT=ok" ]]
	[[ "${lines[3]}" == *"]     a: goal stop -- main process ("*") exited normally" ]]
	[[ "${lines[4]}" == *"]       a: goal start" ]]
	[[ "${lines[5]}" == *"]         event startup -- by init" ]]
	[ "${#lines[@]}" -eq 6 ]
}

@test "why: a job not started says what its start on still waits for" {
	boot_jobs
	run "$INITCTL" why c
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "c stop/waiting" ]
	[ "${lines[-1]}" = "waiting for: foo or bar" ]
	"$INITCTL" emit bar
	wait_status c "c start/running"
	run "$INITCTL" why c
	echo "$output"
	# Both events are causes: the one from b's start and the command.
	[[ "$output" == *"  event started JOB=b INSTANCE="* ]]
	[[ "$output" == *"  event bar -- by command \"$INITCTL emit bar\" (pid "*", uid $(id -u))"* ]]
	refute grep -q "waiting for" <<<"$output"
}

@test "why: a command names its caller, and the job the caller runs in" {
	boot_jobs
	job d <<'EOF'
exec sleep 1000
EOF
	job starter <<EOF
task
exec $INITCTL start d
EOF
	"$INITCTL" start starter
	wait_status d "d start/running"
	run "$INITCTL" why d
	echo "$output"
	[[ "${lines[1]}" == *"d: goal start -- by command \"$INITCTL start d (of job starter)\" (pid "* ]]
	# ... and goes on with why that job ran: someone's command.
	[[ "${lines[2]}" == *"  starter: goal start -- by command \"$INITCTL start starter\" (pid "* ]]
	"$INITCTL" stop d
	run "$INITCTL" why d
	[[ "${lines[0]}" == "d stop/waiting" ]]
	[[ "${lines[1]}" == *"d: goal stop -- by command \"$INITCTL stop d\""* ]]
	[ "${lines[-1]}" = "no start on: started only when asked" ]
}

@test "why: a respawn points at the start it repeats" {
	start_init --no-startup-event
	job r <<'EOF'
respawn
respawn limit 100 1
exec sleep 0.1
EOF
	"$INITCTL" start r
	sleep 0.5
	run "$INITCTL" why r
	echo "$output"
	[[ "${lines[1]}" == *"r: goal respawn -- main process ("*") exited normally" ]]
	[[ "${lines[2]}" == *"  r: goal start -- by command"* ]]
	[ "${#lines[@]}" -eq 3 ]
	# Past its limit, the limit is the cause.
	job fast <<'EOF'
respawn
respawn limit 2 10
exec true
EOF
	"$INITCTL" start fast || :
	wait_status fast "fast stop/waiting"
	run "$INITCTL" why fast
	echo "$output"
	[[ "${lines[1]}" == *"fast: goal stop -- respawning too fast (respawn limit)" ]]
	[[ "${lines[2]}" == *"  fast: goal start -- by command"* ]]
}

@test "why: errors for unknown jobs and ambiguous instances, nothing else changes" {
	start_init --no-startup-event
	job_class i <<'EOF'
instance $N
exec sleep 1000
EOF
	run "$INITCTL" why nosuch
	[ "$status" -eq 1 ]
	[ "$output" = "initctl: Unknown job: nosuch" ]
	run "$INITCTL" why
	[ "$status" -eq 1 ]
	[[ "$output" == "initctl: missing job name"* ]]
	"$INITCTL" start i N=1
	"$INITCTL" start i N=2
	run "$INITCTL" why i
	[ "$status" -eq 1 ]
	[ "$output" = "initctl: i has several instances: name one" ]
	run "$INITCTL" why i 2
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "i (2) start/running, process "* ]]
	[[ "${lines[1]}" == *"i (2): goal start -- by command"* ]]
	assert_init_alive
}

@test "why --json: the chain with depths, parsable" {
	boot_jobs
	run "$INITCTL" why --json b
	[ "$status" -eq 0 ]
	[ "$(json 'd["job"], d["status_line"].split(",")[0]' <<<"$output")" = "b b start/running" ]
	[ "$(json '" ".join(str(r["depth"]) for r in d["chain"])' <<<"$output")" = "0 1 2 3 4" ]
	[ "$(json 'd["chain"][4]["event"], d["chain"][4]["cause"]["kind"]' <<<"$output")" = "startup init" ]
	[ "$(json 'd["chain"][2]["cause"]["kind"]' <<<"$output")" = "process" ]
}

@test "history: every transition with boot and wall times; -n and a job name select" {
	boot_jobs
	run "$INITCTL" history
	[ "$status" -eq 0 ]
	echo "$output"
	[[ "${lines[0]}" =~ ^\[\ *[0-9]+\.[0-9]{3}\]\ 20[0-9]{2}-[0-9]{2}-[0-9]{2}\ [0-9:]{8}\.[0-9]{3}\ #1\ +event\ startup\ --\ by\ init$ ]]
	[[ "$output" == *" a: running"* ]]
	[[ "$output" == *" a: stopped (ok)"* ]]
	[[ "$output" == *" b: goal start -- by event stopped JOB=a INSTANCE= RESULT=ok"* ]]
	run "$INITCTL" history -n 2
	[ "${#lines[@]}" -eq 2 ]
	run "$INITCTL" history b
	refute grep -q " a: " <<<"$output"
	[[ "$output" == *"event starting JOB=b"* ]]
	run "$INITCTL" history -n x
	[ "$status" -eq 1 ]
	[[ "$output" == "initctl: illegal count: x"* ]]
	run "$INITCTL" history --json
	[ "$(json 'all(d[i]["seq"] < d[i+1]["seq"] for i in range(len(d)-1)), d[0]["event"]' <<<"$output")" = "True startup" ]
}

@test "history is bounded, but a running job's chain is kept whole" {
	boot_jobs
	python3 - "$UPINIT_SOCKET" <<'PYEOF'
import socket, sys
for i in range(1500):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(sys.argv[1])
    s.send(b'{"v":1,"cmd":"emit","event":"noise","wait":false}')
    s.recv(65536)
    s.close()
PYEOF
	run "$INITCTL" history --json
	[ "$(json 'len(d), sum(1 for r in d if r.get("event") == "startup")' <<<"$output")" = "1024 0" ]
	run "$INITCTL" why b
	echo "$output"
	[[ "${lines[5]}" == *"event startup -- by init" ]]
	assert_init_alive
}

@test "re-exec keeps the records, the chains and the timeline" {
	boot_jobs
	before=$("$INITCTL" why b)
	last=$("$INITCTL" history --json | json 'd[-1]["seq"]')
	tl=$("$INITCTL" timeline --json | json '[(j["job"], j["running"]) for j in d["jobs"]], d["boot"]["reached"]')
	run raw_send 'b"{\"v\":1,\"cmd\":\"reexec\"}"'
	[[ "$output" == *'"status":0'* ]]
	wait_for "init answers after re-exec" "$INITCTL" version
	[ "$("$INITCTL" why b)" = "$before" ]
	"$INITCTL" emit after-reexec
	[ "$("$INITCTL" history -n 1 --json | json 'd[0]["seq"] > '"$last"', d[0]["event"]')" = "True after-reexec" ]
	[ "$("$INITCTL" timeline --json | json '[(j["job"], j["running"]) for j in d["jobs"]], d["boot"]["reached"]')" = "$tl" ]
}

@test "timeline: what ran until the boot settled, and its critical chain" {
	boot_jobs
	printf 'start on go-late\nexec sleep 1000\n' >"$T/conf/late.conf"
	"$INITCTL" reload-configuration
	"$INITCTL" emit go-late
	wait_status late "late start/running"
	run "$INITCTL" timeline
	[ "$status" -eq 0 ]
	echo "$output"
	[[ "${lines[0]}" =~ ^init\ started\ [0-9.]+\ s\ after\ the\ kernel\ \(20.*\ UTC\)\;\ the\ boot\ reached\ 0\.[0-9]{3}\ s\ later$ ]]
	[[ "$output" == *"critical chain:"* ]]
	[[ "$output" == *"ok      *a  <- event startup"* ]]
	[[ "$output" == *"running *b  <- event stopped a"* ]]
	# Started after the boot settled: not part of it.
	refute grep -q "go-late" <<<"$output"
	run "$INITCTL" timeline --json
	[ "$(json 'd["critical_chain"], [j["critical"] for j in d["jobs"]]' <<<"$output")" = "[1, 2] [True, True]" ]
	[ "$(json 'd["jobs"][1]["cause_job"], d["jobs"][0]["task"], d["jobs"][0]["result"]' <<<"$output")" = "1 True ok" ]
	[ "$(json 'round(d["jobs"][1]["goal"] - d["jobs"][0]["stopped"], 2), d["events"][0]["name"]' <<<"$output")" = "0.0 startup" ]
	# A saved document reads back the same.
	"$INITCTL" timeline --json >"$T/tl.json"
	run "$INITCTL" timeline --input "$T/tl.json"
	[[ "$output" == *"running *b  <- event stopped a"* ]]
	echo '{"jobs":3}' >"$T/bad.json"
	run "$INITCTL" timeline --input "$T/bad.json"
	[ "$status" -eq 1 ]
	[[ "$output" == *"not a timeline document"* ]]
}

@test "why, history and timeline answer other users, who still change nothing" {
	[ "$(id -u)" = 0 ] || skip "needs root to act as another user"
	command -v setpriv >/dev/null || skip "no setpriv"
	boot_jobs --open-socket
	chmod 755 "$T"
	as_nobody() {
		setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
			env UPINIT_SOCKET="$UPINIT_SOCKET" "$@"
	}
	"$INITCTL" emit secret-thing PASSWORD=hunter2 JOB=x
	run as_nobody "$INITCTL" why b
	[ "$status" -eq 0 ]
	[[ "$output" == *"event startup -- by init"* ]]
	# What emitters and clients gave init stays with root and the owner,
	# as for monitor: the variable and the command line are left out.
	run as_nobody "$INITCTL" history -n 1
	[[ "$output" == *"event secret-thing JOB=x -- by command \"?\" (pid "* ]]
	refute grep -q hunter2 <<<"$output"
	run as_nobody "$INITCTL" history --json
	refute grep -q hunter2 <<<"$output"
	run "$INITCTL" history -n 1
	[[ "$output" == *"event secret-thing PASSWORD=hunter2 JOB=x -- by command \"$INITCTL emit secret-thing PASSWORD=hunter2 JOB=x\""* ]]
	run as_nobody "$INITCTL" history -n 1
	[ "$status" -eq 0 ]
	run as_nobody "$INITCTL" timeline
	[ "$status" -eq 0 ]
	run as_nobody "$INITCTL" emit foo
	[ "$status" -eq 1 ]
}

@test "why, history and timeline: garbage requests and documents get an error, init lives on" {
	start_init --no-startup-event
	run raw_send 'b"{\"v\":1,\"cmd\":\"why\",\"job\":17}"'
	[[ "$output" == *'"status":1'*'missing job name'* ]]
	run raw_send 'b"{\"v\":1,\"cmd\":\"why\",\"job\":\"nosuch\",\"instance\":[1]}"'
	[[ "$output" == *'"status":1'*'Unknown job: nosuch'* ]]
	run raw_send 'b"{\"v\":1,\"cmd\":\"history\",\"count\":\"x\"}"'
	[[ "$output" == *'"status":1'*'count must be a number from 0'* ]]
	run raw_send 'b"{\"v\":1,\"cmd\":\"history\",\"count\":-3}"'
	[[ "$output" == *'"status":1'* ]]
	run raw_send 'b"{\"v\":1,\"cmd\":\"history\",\"job\":\"nosuch\"}"'
	[[ "$output" == *'"status":1'*'Unknown job: nosuch'* ]]
	run raw_send 'b"{\"v\":1,\"cmd\":\"timeline\",\"job\":[{}]}"'
	[[ "$output" == *'"status":0'* ]]
	assert_init_alive
	# A document of the wrong shape inside: drawn as far as it goes.
	printf '{"boot":{"reached":"x"},"jobs":[1,"x",{"goal":"no","job":5},{"job":"ok","goal":0.1,"running":0.2}],"events":[{}],"critical_chain":["a"]}' >"$T/odd.json"
	run "$INITCTL" timeline --input "$T/odd.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *"ok  <- "* ]]
	run "$INITCTL" timeline --svg --input "$T/odd.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *"</svg>" ]]
	run "$INITCTL" timeline --json --svg
	[ "$status" -eq 1 ]
	[[ "$output" == *"--json and --svg exclude each other"* ]]
}
