#!/usr/bin/env bats
# The layers (docs/design.md): the core builds, links and runs without
# the SysV layer, the SysV tools link without the core, and no include
# goes against the layers.

load helpers
load helpers_proc
load helpers_ctl

teardown() {
	stop_init
}

@test "every include follows the layers (scripts/layers)" {
	run "$BATS_TEST_DIRNAME/../../scripts/layers"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "scripts/layers names a core file that reaches into the SysV layer" {
	local root=$BATS_TEST_TMPDIR/tree top=$BATS_TEST_DIRNAME/../..
	mkdir -p "$root/compat" "$root/tests"
	cp -r "$top/lib" "$top/init" "$top/initctl" "$root/"
	cp -r "$top/compat/sysv" "$top/compat/telinit" "$root/compat/"
	cp -r "$top/tests/unit" "$root/tests/"
	sed -i '0,/^#include "init\//s//#include "sysv\/runlevel.h"\n&/' "$root/init/job.c"
	LAYERS_ROOT=$root run "$top/scripts/layers"
	[ "$status" -eq 1 ]
	[[ "$output" == *'init/job.c: includes "sysv/runlevel.h"'* ]]
}

@test "the core and its unit tests build and pass in a tree without compat/ (make core)" {
	local tree=$BATS_TEST_TMPDIR/core top=$BATS_TEST_DIRNAME/../..
	mkdir -p "$tree/tests/unit"
	cp -r "$top/GNUmakefile" "$top/lib" "$top/init" "$tree/"
	cp "$top"/tests/unit/*.c "$top"/tests/unit/*.h "$tree/tests/unit/"
	[ ! -e "$tree/compat" ]
	run make -C "$tree" -s -j2 BUILD=build core
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	local n=0 t
	for t in "$tree"/build/tests/test_*; do
		run timeout 120 "$t"
		[ "$status" -eq 0 ] || { echo "$t: $output"; false; }
		n=$((n + 1))
	done
	[ "$n" -ge 8 ]
	"$tree/build/tests/init-core" --version
}

@test "telinit and its links carry no object of the core" {
	command -v nm || skip "nm (binutils) is not installed"
	run nm "$UPINIT_BUILD/telinit"
	[ "$status" -eq 0 ]
	# The utmp writer of the SysV layer is there; the core's job, event
	# and conf modules are not.
	[[ "$output" == *' utmp_records_new'* ]]
	refute grep -qE ' T (job_new|event_new|conf_reload|control_listen|registry_find)$' <<<"$output"
}

@test "the core alone (no plug-in) runs jobs as a user init" {
	INIT=$UPINIT_BUILD/tests/init-core start_init
	job hello <<-EOF
		task
		exec echo hello from the core >"$T/out/hello"
	EOF
	run "$INITCTL" start hello
	[ "$status" -eq 0 ]
	[ "$(cat "$T/out/hello")" = "hello from the core" ]
	run "$INITCTL" list
	[ "$status" -eq 0 ]
	[[ "$output" == *"hello stop/waiting"* ]]
}

@test "the core alone answers no SysV request and reads no /etc/inittab" {
	local tab=$BATS_TEST_TMPDIR/inittab
	echo 'x1:2345:respawn:/bin/sleep 1000' >"$tab"
	INIT=$UPINIT_BUILD/tests/init-core start_init --inittab "$tab"
	# A SysV request is an unknown command to the core...
	for cmd in runlevel telinit ondemand init-env; do
		run raw_send "b'{\"v\": 1, \"cmd\": \"$cmd\", \"runlevel\": \"2\"}'"
		[ "$(reply_get "$output" status)" = 1 ]
		[ "$(reply_get "$output" error)" = "Invalid request: unknown command $cmd" ]
	done
	run "$INITCTL" show-config inittab/x1
	[ "$status" -ne 0 ]
	[[ "$output" == *"Unknown job: inittab/x1"* ]]
	# ...while the init program, with the SysV plug-in, has both.
	stop_init
	start_init --inittab "$tab" --runlevel-file "$BATS_TEST_TMPDIR/rl"
	wait_for "inittab/x1 defined" "$INITCTL" show-config inittab/x1
	run "$UPINIT_BUILD/telinit" 2
	[ "$status" -eq 0 ]
	run "$UPINIT_BUILD/runlevel"
	[ "$status" -eq 0 ]
	[ "$output" = "N 2" ]
}
