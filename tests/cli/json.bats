#!/usr/bin/env bats
# --json on list, status and show-config (initctl(8), JSON OUTPUT): one
# pretty-printed document on stdout, the same facts as the text, which
# stays as it was; errors as with text.  Documents are read with python3
# (jq is not everywhere).

load helpers
load helpers_ctl
load helpers_cgroup

setup() {
	# The cgroup test runs its init in a cgroup2 subtree of its own.
	case $BATS_TEST_DESCRIPTION in
	*cgroup*) cgroup_setup ;;
	esac
	start_init --no-startup-event
}

teardown() {
	stop_init
	cgroup_teardown
}

# check_json PYTHON-CODE [ARG]...: run the code with `doc` the document
# on stdin (which must be exactly one JSON value ending in a newline) and
# `args` the arguments; the code fails with assert.
check_json() {
	local code=$1; shift
	python -c '
import json, sys
text = sys.stdin.read()
assert text.endswith("}\n") or text.endswith("]\n"), repr(text[-20:])
doc = json.loads(text)
args = sys.argv[1:]
def item(job, instance):
    found = [i for i in doc if i["job"] == job and i["instance"] == instance]
    assert len(found) == 1, (job, instance, doc)
    return found[0]
'"$code" "$@"
}

svc_job() {
	job svc <<-'EOF'
	exec sleep 1000
	EOF
	start svc >/dev/null
}

# The instance name of the instance tests: a newline, quotes, a tab, a
# backslash, a slash and UTF-8.
WEIRD=$'one\n"two"\tthree\\four/fünf'

inst_job() {
	job_class inst <<-'EOF'
	instance $N
	exec sleep 1000
	EOF
	start inst N="$WEIRD" >/dev/null
}

@test "list --json: a running service, a stopped job, an instance named with a newline and quotes" {
	svc_job
	inst_job
	job idle <<-'EOF'
	exec sleep 1000
	EOF
	pid=$(initctl status svc | sed 's/.*, process //')
	ipid=$(initctl status inst N="$WEIRD" | sed 's/.*, process //')
	run initctl list --json
	[ "$status" -eq 0 ]
	# Pretty printed: one key per line.
	[ "${lines[0]}" = "[" ]
	[ "${#lines[@]}" -gt 20 ]
	initctl list --json | check_json '
assert len(doc) == 3, doc
svc = item("svc", "")
assert svc == {"job": "svc", "instance": "", "goal": "start", "state": "running",
               "processes": [{"process": "main", "pid": int(args[0])}]}, svc
assert item("idle", None) == {"job": "idle", "instance": None, "goal": "stop",
                              "state": "waiting", "processes": []}
inst = item("inst", args[1])
assert inst["processes"] == [{"process": "main", "pid": int(args[2])}], inst
assert (inst["goal"], inst["state"]) == ("start", "running")
' "$pid" "$WEIRD" "$ipid"
	# The text is as it always was: the name escaped on one line.
	run initctl list
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	printf '%s\n' "${lines[@]}" | grep -qxF "svc start/running, process $pid"
	printf '%s\n' "${lines[@]}" | grep -qxF "idle stop/waiting"
	printf '%s\n' "${lines[@]}" | grep -qxF 'inst (one\n"two"\tthree\four/fünf) start/running, process '"$ipid"
}

@test "status --json: the one instance, the pid of the text status; a job at rest" {
	svc_job
	inst_job
	job idle <<-'EOF'
	exec sleep 1000
	EOF
	text=$(initctl status svc)
	[[ $text =~ ^svc\ start/running,\ process\ ([0-9]+)$ ]]
	initctl status --json svc | check_json '
assert doc == {"job": "svc", "instance": "", "goal": "start", "state": "running",
               "processes": [{"process": "main", "pid": int(args[0])}]}, doc
' "${BASH_REMATCH[1]}"
	# The status link takes it too; an instance by its variable.
	status --json svc | check_json 'assert doc["processes"][0]["pid"] == int(args[0])' "${BASH_REMATCH[1]}"
	status --json inst N="$WEIRD" | check_json 'assert doc["instance"] == args[0], doc' "$WEIRD"
	initctl status --json idle | check_json '
assert doc == {"job": "idle", "instance": None, "goal": "stop", "state": "waiting",
               "processes": []}, doc'
	# -v without cgroups: none to show.
	initctl status -v --json svc | check_json '
assert doc["cgroup"] is None and doc["members"] == [], doc'
	# The text is unchanged.
	expect 0 "$text" "" initctl status svc
}

@test "status --json of an unknown job or instance fails as the text does" {
	svc_job
	inst_job
	expect 1 "" "initctl: Unknown job: nope" initctl status nope
	expect 1 "" "initctl: Unknown job: nope" initctl status --json nope
	expect 1 "" "status: Unknown job: nope" status --json nope
	expect 1 "" "initctl: Unknown instance: zz" initctl status inst N=zz
	expect 1 "" "initctl: Unknown instance: zz" initctl status --json inst N=zz
	expect 1 "" "initctl: Unknown parameter: N" initctl status --json inst
	expect 1 "" "initctl: missing job name
$(hint)" initctl status --json
	expect 1 "" "initctl: Unknown job: nope" initctl show-config --json nope
	# --json is for list, status and show-config only.
	expect 1 "" "initctl: invalid option: --json
$(hint)" initctl start --json svc
}

@test "status -v --json lists the members of the instance's cgroup" {
	job dd <<EOF
exec /bin/sh -c 'setsid /bin/sh -c "sleep 1000 & sleep 1000 & echo \\\$! >$T/out/dd.pid; wait" </dev/null >/dev/null 2>&1 & exec sleep 1000'
EOF
	start dd
	wait_file "$T/out/dd.pid"
	main=$(initctl status dd | sed 's/.*process //')
	text=$(initctl status -v dd)
	[ "$(sed -n 2p <<<"$text")" = "	cgroup $CGROUP_PATH/upinit/dd" ]
	initctl status -v --json dd | check_json '
assert doc["processes"] == [{"process": "main", "pid": int(args[0])}], doc
assert doc["cgroup"] == args[1], doc
members = {m["pid"]: m["command"] for m in doc["members"]}
assert members[int(args[0])] == "sleep 1000", members
assert members[int(args[2])] == "sleep 1000", members
assert sorted(members) == sorted(int(p) for p in args[3].split()), (members, args[3])
# The facts of the text lines, every one.
text = ["\tprocess %d %s" % (m["pid"], m["command"]) for m in doc["members"]]
assert sorted(text) == sorted(l for l in args[4].split("\n") if l.startswith("\tprocess ")), text
' "$main" "$CGROUP_PATH/upinit/dd" "$(cat "$T/out/dd.pid")" "$(cgroup_pids "$(job_cgroup dd)")" "$text"
	# Without -v: no cgroup keys.
	initctl status --json dd | check_json 'assert "cgroup" not in doc and "members" not in doc, doc'
}

@test "show-config --json and -e --json tell what the text tells" {
	job web <<-'EOF'
	emits web-ready
	emits web-*
	start on started dbus X=1 or (runlevel [2345] and filesystem)
	stop on stopping JOB=db FOO=bar
	exec sleep 1000
	EOF
	job plain <<-'EOF'
	exec sleep 1000
	EOF
	initctl show-config --json web | check_json '
lines = args[0].split("\n")
assert len(doc) == 1
w = doc[0]
assert sorted(w) == ["emits", "job", "start_on", "stop_on"], w
assert lines[0] == w["job"] == "web"
assert lines[1:3] == ["  emits " + e for e in w["emits"]] == ["  emits web-ready", "  emits web-*"]
assert lines[3] == "  start on " + w["start_on"], (lines, w)
assert lines[4] == "  stop on " + w["stop_on"], (lines, w)
assert len(lines) == 5
' "$(initctl show-config web)"
	# -e: each event as the text -e line it stands for.
	initctl show-config -e --json web | check_json '
lines = args[0].split("\n")
w = doc[0]
assert w["start_on"] == "(started dbus X=1 or (runlevel [2345] and filesystem))", w
def line(stanza, e):
    return "  %s %s (job:%s, env:%s)" % (stanza, e["event"],
        "" if e["job"] is None else " " + e["job"], "".join(" " + a for a in e["env"]))
made = [w["job"]] + ["  emits " + e for e in w["emits"]]
made += [line("start on", e) for e in w["start_on_events"]]
made += [line("stop on", e) for e in w["stop_on_events"]]
assert made == lines, (made, lines)
assert w["start_on_events"][0] == {"event": "started", "job": "dbus", "env": ["X=1"]}
assert w["stop_on_events"] == [{"event": "stopping", "job": "db", "env": ["FOO=bar"]}]
' "$(initctl show-config -e web)"
	# Every job: the one without conditions has nulls and no events.
	initctl show-config --json | check_json '
assert sorted(j["job"] for j in doc) == ["plain", "web"], doc
p = [j for j in doc if j["job"] == "plain"][0]
assert p == {"job": "plain", "emits": [], "start_on": None, "stop_on": None}, p'
	initctl show-config -e --json plain | check_json '
assert doc == [{"job": "plain", "emits": [], "start_on": None, "stop_on": None,
                "start_on_events": [], "stop_on_events": []}], doc'
}

@test "list --json of 2000 jobs arrives whole, over many packets" {
	python -c '
import os, sys
for i in range(2000):
    name = "a-job-with-a-rather-long-name-to-fill-the-packets-%04d" % i
    with open(os.path.join(sys.argv[1], name + ".conf"), "w") as f:
        f.write("exec sleep 1000\n")' "$T/conf"
	for _ in $(seq 1 500); do
		[ "$(initctl list | wc -l)" -eq 2000 ] && break
		sleep 0.05
	done
	[ "$(initctl list | wc -l)" -eq 2000 ]
	# More than one packet's worth.
	[ "$(initctl list --json | wc -c)" -gt 200000 ]
	initctl list --json | check_json '
want = {"a-job-with-a-rather-long-name-to-fill-the-packets-%04d" % i for i in range(2000)}
assert len(doc) == 2000, len(doc)
assert {i["job"] for i in doc} == want
assert all(i["instance"] is None and i["state"] == "waiting" for i in doc)'
	assert_init_alive
}
