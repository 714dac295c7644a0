#!/usr/bin/env bats
# init under valgrind: a thousand start/stop cycles plus events, status
# queries and failing requests leave no memory errors and no leaks.

load helpers
load helpers_ctl

setup() {
	command -v valgrind >/dev/null || skip "valgrind missing"
	case "${UPINIT_BUILD:-}" in
	*build-asan) skip "init is built with ASan" ;;
	esac
	VG_LOG=$BATS_TEST_TMPDIR/valgrind.log
	INIT_WRAPPER="valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 --log-file=$VG_LOG"
	start_init_wrapped
}

teardown() {
	stop_init
	[ -z "${T:-}" ] || rm -rf "$T"
}

@test "1000 start/stop cycles under valgrind: no errors, no definite or indirect leaks" {
	job x <<-EOF
	env GREETING=hi
	pre-start exec true
	exec sleep 1000
	post-stop exec true
	EOF
	job_class inst <<-'EOF'
	instance $N
	exec sleep 1000
	EOF
	job tsk <<-EOF
	start on ping
	task
	exec echo "ping \$N"
	EOF
	for i in $(seq 1 1000); do
		"$UPINIT_BUILD/start" -q x
		"$UPINIT_BUILD/stop" -q x
		if [ $((i % 50)) = 0 ]; then
			"$INITCTL" emit ping "N=$i"
			"$INITCTL" status x >/dev/null
			"$INITCTL" start -q inst "N=$i"
			"$INITCTL" list >/dev/null
			"$INITCTL" show-config -e >/dev/null
			"$INITCTL" check-config >/dev/null || true
			"$INITCTL" set-env "V$i=$i"
			"$INITCTL" unset-env "V$i"
			"$INITCTL" status nope 2>/dev/null && false
			"$INITCTL" start x BAD 2>/dev/null && false
			raw_send "b'{\"v\":1,\"cmd\":\"frob\"}'" >/dev/null
		fi
	done
	expect 0 "x stop/waiting" "" initctl status x
	grep -q "^ping 1000" "$T/log/tsk.log"
	stop_init_status 120
	echo "init (valgrind) exit status: $INIT_STATUS" >&2
	grep -E 'lost:|ERROR SUMMARY|no leaks are possible' "$VG_LOG" >&2 || true
	[ "$INIT_STATUS" != 99 ]
	[ "$INIT_STATUS" = 0 ]
	grep -qE 'ERROR SUMMARY: 0 errors' "$VG_LOG"
	refute grep -qE '(definitely|indirectly) lost: [1-9]' "$VG_LOG"
	grep -qE 'definitely lost: 0 bytes|no leaks are possible' "$VG_LOG"
}

@test "socket activation and file events under valgrind: no errors, no definite or indirect leaks" {
	port=$((20000 + RANDOM % 20000))
	job echo <<-EOF
	start on socket PROTO=inet PORT=$port ADDR=127.0.0.1
	exec $BATS_TEST_DIRNAME/../data/listen-echo x
	EOF
	job watch <<-EOF
	start on file FILE=$T/w/ or file FILE=$T/w/*.x EVENT=delete
	task
	exec true
	EOF
	mkdir -p "$T/w"
	for i in $(seq 1 20); do
		python3 -c "import socket; s = socket.create_connection(('127.0.0.1', $port), timeout=20); s.recv(100)"
		touch "$T/w/$i.x"
		rm "$T/w/$i.x"
	done
	"$INITCTL" check-config >/dev/null || true
	rm "$T/conf/echo.conf" "$T/conf/watch.conf"
	wait_for "socket closed" sh -c "! ss -Hltn 'sport = :$port' | grep -q LISTEN"
	stop_init_status 120
	grep -E 'lost:|ERROR SUMMARY|no leaks are possible' "$VG_LOG" >&2 || true
	[ "$INIT_STATUS" = 0 ]
	grep -qE 'ERROR SUMMARY: 0 errors' "$VG_LOG"
	refute grep -qE '(definitely|indirectly) lost: [1-9]' "$VG_LOG"
}
