# Helpers of the cgroup tests: a cgroup2 subtree of the test's own for a
# private `init --user` to keep its jobs in, removed (and everything in
# it killed) afterwards.  Nothing here touches a cgroup it did not make.
#
#   cgroup_setup        # skips unless root with a cgroup2 hierarchy;
#                       # sets INIT_CGROUP, which start_init honours
#   start_init ...
#   job_cgroup JOB [INSTANCE]   # the directory of an instance's cgroup
#   cgroup_teardown     # after stop_init: kill what is left, rmdir

# The directory of the cgroup2 hierarchy's root as mounted here, or
# nothing.
cgroup2_root() {
	awk '$0 ~ / - cgroup2 / && $4 == "/" { print $5; exit }' /proc/self/mountinfo
}

cgroup_setup() {
	[ "$(id -u)" = 0 ] || skip "cgroup tests need root"
	local root own
	root=$(cgroup2_root)
	[ -n "$root" ] || skip "no cgroup2 hierarchy mounted"
	own=$(sed -n 's/^0:://p' /proc/self/cgroup)
	[ "$own" = / ] && own=
	INIT_CGROUP=$root$own/upinit-test.$$.${BATS_TEST_NUMBER:-0}
	mkdir "$INIT_CGROUP"
	CGROUP_PATH=$own/upinit-test.$$.${BATS_TEST_NUMBER:-0}
}

# Kill everything in our subtree and remove it, deepest first.
cgroup_teardown() {
	[ -n "${INIT_CGROUP:-}" ] && [ -d "$INIT_CGROUP" ] || return 0
	case $INIT_CGROUP in */upinit-test.*) ;; *) return 0 ;; esac
	if [ -e "$INIT_CGROUP/cgroup.kill" ]; then
		echo 1 >"$INIT_CGROUP/cgroup.kill"
	else
		find "$INIT_CGROUP" -name cgroup.procs -exec cat {} + | xargs -r kill -KILL
	fi
	for _ in $(seq 1 250); do
		grep -q '^populated 0' "$INIT_CGROUP/cgroup.events" && break
		sleep 0.02
	done
	find "$INIT_CGROUP" -depth -type d -exec rmdir {} + 2>/dev/null || true
	INIT_CGROUP=
}

# The cgroup directory of JOB's instance INSTANCE (none: the only one).
job_cgroup() {
	local name=${1//\//\\x2f}
	echo "$INIT_CGROUP/upinit/$name${2:+/$2}"
}

# The pids in a cgroup directory, one per line.
cgroup_pids() {
	cat "$1/cgroup.procs" 2>/dev/null
}
