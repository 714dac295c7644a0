/* Unit tests for the conditions of the event sources: which `socket` and
 * `file` conditions init can watch (init/socket_source.c, file_source.c),
 * what check-config counts as emitted (init/event_sources.c), and a
 * socket condition's PATH= matching the event's SOCKET_PATH
 * (init/event_operator.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "init/event.h"
#include "init/event_operator.h"
#include "init/event_sources.h"
#include "init/file_source.h"
#include "init/socket_source.h"

typedef struct spec_case {
	const char *args[6];
	bool        user;
	const char *want;   /* NULL: fine */
} SpecCase;

static void
check_cases(const SpecCase *cases, size_t n, const char *(*check)(char *const *, bool))
{
	for (size_t i = 0; i < n; i++) {
		const char *got = check((char *const *)cases[i].args, cases[i].user);

		if (cases[i].want)
			assert_non_null(got), assert_string_equal(got, cases[i].want);
		else if (got)
			fail_msg("case %zu: unexpected \"%s\"", i, got);
	}
}

static void
test_socket_specs(void **state)
{
	static const SpecCase cases[] = {
		{ { "PROTO=inet", "PORT=80", "ADDR=127.0.0.1" }, false, NULL },
		{ { "PROTO=inet", "PORT=65535" }, false, NULL },
		{ { "PROTO=inet6", "PORT=8080", "ADDR=::1" }, false, NULL },
		{ { "PROTO=unix", "PATH=/run/x.sock" }, false, NULL },
		{ { "PROTO=unix", "SOCKET_PATH=@abstract" }, true, NULL },
		{ { "PROTO=inet" }, false, "PORT missing" },
		{ { "PORT=80" }, false, "PROTO missing (inet, inet6 or unix)" },
		{ { "PROTO=ipx", "PORT=1" }, false, "PROTO must be inet, inet6 or unix" },
		{ { "PROTO=inet", "PORT=0" }, false, "PORT must be a number from 1 to 65535" },
		{ { "PROTO=inet", "PORT=65536" }, false, "PORT must be a number from 1 to 65535" },
		{ { "PROTO=inet", "PORT=8x" }, false, "PORT must be a number from 1 to 65535" },
		{ { "PROTO=inet", "PORT=80", "ADDR=::1" }, false, "ADDR is not an IPv4 address" },
		{ { "PROTO=inet6", "PORT=80", "ADDR=1.2.3.4" }, false, "ADDR is not an IPv6 address" },
		{ { "PROTO=inet", "PORT=$P" }, false, "values must be literal (no $VAR, no pattern)" },
		{ { "PROTO=inet", "PORT=8*" }, false, "values must be literal (no $VAR, no pattern)" },
		{ { "PROTO=inet", "PORT=80", "PORT=81" }, false, "a variable given twice" },
		{ { "PROTO=inet", "PORT!=80" }, false, "arguments must be KEY=VALUE" },
		{ { "inet" }, false, "arguments must be KEY=VALUE" },
		{ { "PROTO=inet", "PORT=80", "HOST=x" }, false,
		  "unknown variable (PROTO, PORT, ADDR, PATH or SOCKET_PATH)" },
		{ { "PROTO=unix" }, false, "PATH missing" },
		{ { "PROTO=unix", "PATH=x.sock" }, false,
		  "PATH must be absolute, or @name for an abstract socket" },
		{ { "PROTO=unix", "PATH=/run/x", "PORT=1" }, false,
		  "PORT and ADDR are for PROTO=inet and inet6" },
		{ { "PROTO=inet", "PORT=1", "PATH=/x" }, false, "PATH is for PROTO=unix" },
		{ { "PROTO=unix",
		    "PATH=/an/extremely/long/path/that/is/far/too/long/for/a/unix/socket/"
		    "address/which/holds/one/hundred/and/eight/bytes/only/x.sock" }, false,
		  "PATH too long for a unix socket" },
	};

	(void)state;
	check_cases(cases, sizeof cases / sizeof *cases, socket_spec_check);
}

static void
test_file_specs(void **state)
{
	static const SpecCase cases[] = {
		{ { "FILE=/run/x" }, false, NULL },
		{ { "FILE=/var/log/" }, false, NULL },
		{ { "FILE=/var/crash/*.crash", "EVENT=create" }, false, NULL },
		{ { "FILE=/run/x", "EVENT=*" }, false, NULL },
		{ { "/run/x", "EVENT=delete" }, false, NULL },
		{ { "FILE=~/x" }, true, NULL },
		{ { "FILE=notes" }, true, NULL },
		{ { "FILE=notes" }, false, "FILE must be an absolute path" },
		{ { "EVENT=create" }, false, "FILE missing" },
		{ { "FILE=" }, false, "FILE missing" },
		{ { "FILE=/run/$X" }, false, "FILE must be literal (no $VAR)" },
		{ { "FILE=/run/x", "EVENT=open" }, false, "EVENT must be create, modify or delete" },
		{ { "FILE=/a", "FILE=/b" }, false, "FILE given twice" },
	};

	(void)state;
	check_cases(cases, sizeof cases / sizeof *cases, file_spec_check);
}

static void
test_emits(void **state)
{
	(void)state;
	event_sources_init(false);
	assert_true(event_sources_emits("socket"));
	assert_true(event_sources_emits("file"));
	assert_true(event_sources_emits("net-device-up"));
	assert_true(event_sources_emits("net-device-down"));
	assert_true(event_sources_emits("static-network-up"));
	assert_true(event_sources_emits("net-device-added"));
	assert_true(event_sources_emits("drm-device-changed"));
	assert_false(event_sources_emits("device-added"));
	assert_false(event_sources_emits("startup"));
	/* No uevents for a user's init. */
	event_sources_init(true);
	assert_false(event_sources_emits("net-device-added"));
	assert_true(event_sources_emits("socket"));
}

static EventOperator *
parse(char *const *tokens, size_t n)
{
	const char *error = NULL;
	size_t at = 0;
	EventOperator *op = event_operator_parse(tokens, n, &error, &at);

	if (!op)
		fail_msg("does not parse: %s", error);
	return op;
}

static void
test_socket_path_alias(void **state)
{
	char *cond[] = { "socket", "PROTO=unix", "PATH=/run/x.sock" };
	char *other[] = { "file", "PATH=/run/x.sock" };
	EnvList env = ENV_LIST_INIT;
	EventOperator *op = parse(cond, 3), *op2 = parse(other, 2);
	Event *event;

	(void)state;
	env_set(&env, "PROTO=unix");
	env_set(&env, "SOCKET_PATH=/run/x.sock");
	event = event_new("socket", &env);
	assert_non_null(event);
	assert_true(event_operator_match(op, event, NULL));
	/* Only for socket events, and only the same path. */
	free(event->name);
	event->name = strdup("file");
	assert_false(event_operator_match(op2, event, NULL));
	free(op->args[1]);
	op->args[1] = strdup("PATH=/run/y.sock");
	free(event->name);
	event->name = strdup("socket");
	assert_false(event_operator_match(op, event, NULL));
	event_discard_all();
	event_operator_free(op);
	event_operator_free(op2);
	env_clear(&env);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_socket_specs),
		cmocka_unit_test(test_file_specs),
		cmocka_unit_test(test_emits),
		cmocka_unit_test(test_socket_path_alias),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
