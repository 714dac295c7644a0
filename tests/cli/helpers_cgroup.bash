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

# Where this process is in the v1 hierarchy of controller $1 (a hybrid
# layout binds memory, cpu or pids there), or nothing.
cgroup_v1_dir() {
	local own mount
	own=$(awk -F: -v c="$1" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' /proc/self/cgroup)
	[ -n "$own" ] || return 0
	mount=$(awk -v c="$1" '$0 ~ / - cgroup / && $4 == "/" { n = split($NF, o, ","); for (i = 1; i <= n; i++) if (o[i] == c) print $5 }' /proc/self/mountinfo | head -n 1)
	[ -n "$mount" ] || return 0
	[ "$own" != / ] || own=
	echo "$mount$own"
}

# The v1 cgroups a test's jobs made below $1 (cgroup_v1_dir): upinit/ is
# shared by every test's init there, so only names the test gives.
cgroup_v1_remove() {
	local dir=$1; shift
	local n
	for n in "$@"; do
		[ -d "$dir/upinit/$n" ] && rmdir "$dir/upinit/$n" 2>/dev/null
	done
	rmdir "$dir/upinit" 2>/dev/null || true
}
