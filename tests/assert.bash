# Assertions shared by the cli and system bats suites.
#
# bats runs a test under `set -e` but ignores a negated command (`! cmd`)
# everywhere but on a test's last line: `! grep -q x file` in the middle
# of a test passes even when grep finds x.  `refute cmd` fails when cmd
# succeeds, wherever it stands.

# refute COMMAND...: succeed only when COMMAND fails.
refute() {
	if "$@"; then
		echo "unexpectedly succeeded: $*" >&2
		return 1
	fi
	return 0
}

# assert_output_contains TEXT / refute_output_contains TEXT: about $output
# (of the last `run`), saying what was there when they fail.
assert_output_contains() {
	[[ "$output" == *"$1"* ]] && return 0
	printf 'output lacks: %s\n--- output:\n%s\n' "$1" "$output" >&2
	return 1
}

refute_output_contains() {
	[[ "$output" != *"$1"* ]] && return 0
	printf 'output has: %s\n--- output:\n%s\n' "$1" "$output" >&2
	return 1
}
