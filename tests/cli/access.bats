#!/usr/bin/env bats
# Who may talk to init's control socket (init(8), initctl(8)): a user
# init answers its owner and root only, unless --open-socket; then other
# users may read but change nothing.  Other users are played by nobody
# (setpriv), against an init run by root, as CI runs the tests.

bats_require_minimum_version 1.5.0

load helpers
load helpers_ctl

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root to act as another user"
	command -v setpriv >/dev/null || skip "no setpriv"
	getent passwd nobody >/dev/null || skip "no user nobody"
}

teardown() {
	stop_init
}

# as_nobody CMD...: CMD as uid nobody, with the test's socket.
as_nobody() {
	setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
		env UPINIT_SOCKET="$UPINIT_SOCKET" "$@"
}

# A job with a secret in its environment, and the directory open to
# everyone, so that only the socket itself can keep nobody out.
init_with_secret() {
	T=$(mktemp -d "${BATS_TMPDIR:-/tmp}/access.XXXXXX")
	chmod 755 "$T"
	mkdir -p "$T/conf"
	printf 'env API_TOKEN=s3cret\nexec sleep 1000\n' >"$T/conf/secret.conf"
	INIT_DIR=$T start_init "$@"
	chmod 755 "$T"
}

@test "a user init answers its owner and root only: its socket is 0600 and other users are refused" {
	init_with_secret
	[ "$(stat -c %a "$T/control")" = 600 ]
	"$INITCTL" start secret
	run "$INITCTL" list-env
	[ "$status" -eq 0 ]
	run as_nobody "$INITCTL" status secret
	[ "$status" -ne 0 ]
	refute grep -q "start/running" <<<"$output"
	run as_nobody "$INITCTL" get-env -j secret API_TOKEN
	[ "$status" -ne 0 ]
	refute grep -q s3cret <<<"$output"
	run as_nobody "$INITCTL" stop secret
	[ "$status" -ne 0 ]
	# Root (the owner here) still has it.
	run "$INITCTL" status secret
	[[ "$output" == "secret start/running, process "* ]]
	# Init itself refuses them too, when the file lets them in (a
	# socket an older image made): nothing is read.
	chmod 666 "$T/control"
	run as_nobody "$INITCTL" get-env -j secret API_TOKEN
	[ "$status" -ne 0 ]
	refute grep -q s3cret <<<"$output"
	run as_nobody "$INITCTL" list
	[ "$status" -ne 0 ]
	refute grep -q secret <<<"$output"
	assert_init_alive
}

@test "a user init with --open-socket lets other users read, and change nothing" {
	init_with_secret --open-socket
	[ "$(stat -c %a "$T/control")" = 666 ]
	"$INITCTL" start secret
	run as_nobody "$INITCTL" status secret
	[ "$status" -eq 0 ]
	[[ "$output" == "secret start/running, process "* ]]
	run as_nobody "$INITCTL" stop secret
	[ "$status" -ne 0 ]
	run "$INITCTL" status secret
	[[ "$output" == "secret start/running, process "* ]]
}
