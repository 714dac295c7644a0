/* Unit tests for init/control.c's command handling: the control server
 * listens on a socket in a private directory of its own, and the test,
 * as a client, sends requests to it, turns init's main loop (epoll and
 * the event queue) by hand, and reads the replies.  No init process, no
 * fork: a request's whole way through the server runs in this process.
 *
 * Covered: version, list and status, start and stop of a job (with and
 * without waiting), emit, the job environment table, and bad requests
 * (unknown command, unknown job, malformed JSON, a request without a
 * command), each of which gets an error and leaves the server serving. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "init/control.h"
#include "init/control_commands.h"
#include "init/event.h"
#include "init/job_class.h"
#include "job_defs.h"
#include "init/loop.h"
#include "lib/proto.h"
#include "init/registry.h"

static char dir[] = "/tmp/upinit-control.XXXXXX";
static char path[64];

/* Define job `name` (job_defs.h), failing the test when it does not parse. */
static void
define(const char *name, const char *text)
{
	if (!job_defs_define(name, text))
		fail_msg("job %s does not parse", name);
}

/* Turn the main loop until `fd` has something to read (5 s at most). */
static void
serve_until_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	for (int i = 0; i < 500; i++) {
		event_poll();
		loop_run_once(10);
		event_poll();
		if (poll(&p, 1, 0) == 1)
			return;
	}
	fail_msg("no reply from the control server");
}

/* Send the raw packet `text` on a new connection, serve it, and return
 * the reply (the caller puts it).  The connection is closed. */
static struct json_object *
raw_request(const char *text)
{
	struct json_object *reply = NULL;
	int fd = proto_connect(path);

	assert_true(fd >= 0);
	assert_int_equal(send(fd, text, strlen(text), 0), (ssize_t)strlen(text));
	serve_until_readable(fd);
	assert_true(proto_recv_reply(fd, &reply) > 0);
	assert_true(proto_reply_valid(reply));
	close(fd);
	/* The server notices the close. */
	for (int i = 0; i < 3; i++)
		loop_run_once(0);
	return reply;
}

static int
reply_status(struct json_object *reply)
{
	struct json_object *v;

	assert_true(json_object_object_get_ex(reply, "status", &v));
	return json_object_get_int(v);
}

/* Line i of the reply, or NULL. */
static const char *
reply_line(struct json_object *reply, size_t i)
{
	struct json_object *lines;

	if (!json_object_object_get_ex(reply, "lines", &lines) ||
	    i >= json_object_array_length(lines))
		return NULL;
	return json_object_get_string(json_object_array_get_idx(lines, i));
}

static const char *
reply_err(struct json_object *reply)
{
	return proto_get_string(reply, "error");
}

/* Assert a reply's status and, when given, its first line or error. */
static void
expect(const char *request, int status, const char *line, const char *error)
{
	struct json_object *reply = raw_request(request);

	assert_int_equal(reply_status(reply), status);
	if (line) {
		assert_non_null(reply_line(reply, 0));
		assert_string_equal(reply_line(reply, 0), line);
	}
	if (error) {
		assert_non_null(reply_err(reply));
		assert_string_equal(reply_err(reply), error);
	}
	json_object_put(reply);
}

static int
setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/sub/control", dir);
	if (loop_init() < 0)
		return -1;
	control_set_program("init");
	control_set_owner(getuid());
	control_set_user_mode(true);     /* as `init --user` */
	control_commands_register();
	/* The socket's directory is made too. */
	return control_listen(path);
}

static int
teardown(void **state)
{
	char cmd[96];

	(void)state;
	control_close();
	job_defs_clear();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_version(void **state)
{
	struct json_object *reply;

	(void)state;
	reply = raw_request("{\"v\":1,\"cmd\":\"version\"}");
	assert_int_equal(reply_status(reply), 0);
	assert_non_null(reply_line(reply, 0));
	assert_non_null(strstr(reply_line(reply, 0), "init (upstart "));
	json_object_put(reply);
}

static void
test_start_status_stop(void **state)
{
	(void)state;
	define("abs", "");
	expect("{\"v\":1,\"cmd\":\"status\",\"job\":\"abs\"}", 0, "abs stop/waiting", NULL);
	expect("{\"v\":1,\"cmd\":\"start\",\"job\":\"abs\",\"wait\":true}", 0,
	       "abs start/running", NULL);
	expect("{\"v\":1,\"cmd\":\"status\",\"job\":\"abs\"}", 0, "abs start/running", NULL);
	expect("{\"v\":1,\"cmd\":\"start\",\"job\":\"abs\",\"wait\":true}", 1, NULL,
	       "Job is already running: abs");
	expect("{\"v\":1,\"cmd\":\"list\"}", 0, "abs start/running", NULL);
	expect("{\"v\":1,\"cmd\":\"stop\",\"job\":\"abs\",\"wait\":true}", 0,
	       "abs stop/waiting", NULL);
	expect("{\"v\":1,\"cmd\":\"stop\",\"job\":\"abs\",\"wait\":false}", 1, NULL,
	       "Unknown instance: ");
}

static void
test_emit_starts_a_job(void **state)
{
	(void)state;
	define("on-go", "start on go\n");
	expect("{\"v\":1,\"cmd\":\"emit\",\"event\":\"go\",\"env\":[\"A=1\"],\"wait\":true}",
	       0, NULL, NULL);
	expect("{\"v\":1,\"cmd\":\"status\",\"job\":\"on-go\"}", 0, "on-go start/running", NULL);
	expect("{\"v\":1,\"cmd\":\"emit\",\"event\":\"\"}", 1, NULL,
	       "Name may not be empty string");
}

static void
test_job_environment_table(void **state)
{
	(void)state;
	/* PID 1's table is not for changing, as under Upstart. */
	control_set_user_mode(false);
	expect("{\"v\":1,\"cmd\":\"set-env\",\"vars\":[\"COLOUR=blue\"],\"global\":true}",
	       1, NULL, "Not permissible to modify PID 1 job environment");
	control_set_user_mode(true);
	expect("{\"v\":1,\"cmd\":\"set-env\",\"vars\":[\"COLOUR=blue\"],\"global\":true}",
	       0, NULL, NULL);
	expect("{\"v\":1,\"cmd\":\"get-env\",\"vars\":[\"COLOUR\"],\"global\":true}",
	       0, "blue", NULL);
	expect("{\"v\":1,\"cmd\":\"unset-env\",\"vars\":[\"COLOUR\"],\"global\":true}",
	       0, NULL, NULL);
	expect("{\"v\":1,\"cmd\":\"get-env\",\"vars\":[\"COLOUR\"],\"global\":true}",
	       1, NULL, NULL);
}

static void
test_bad_requests_get_an_error_and_change_nothing(void **state)
{
	(void)state;
	expect("{\"v\":1,\"cmd\":\"no-such-command\"}", 1, NULL,
	       "Invalid request: unknown command no-such-command");
	expect("{\"v\":1}", 1, NULL, "Invalid request: no command");
	expect("{\"v\":1,\"cmd\":\"start\",\"job\":\"nonesuch\"}", 1, NULL,
	       "Unknown job: nonesuch");
	expect("{\"v\":1,\"cmd\":\"start\",\"job\":\"abs\",\"env\":[7]}", 1, NULL,
	       "Invalid request: env must be a list of strings");
	expect("{\"v\":1,\"cmd\":\"start\",\"job\":\"abs\",\"env\":[\"NOEQUALS\"]}", 1, NULL,
	       "Env must be KEY=VALUE pairs");
	/* Not JSON at all, and JSON of the wrong shape. */
	expect("this is not json", 1, NULL, NULL);
	expect("[1,2,3]", 1, NULL, NULL);
	/* The server still answers, and nothing was started. */
	expect("{\"v\":1,\"cmd\":\"status\",\"job\":\"abs\"}", 0, "abs stop/waiting", NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_start_status_stop),
		cmocka_unit_test(test_emit_starts_a_job),
		cmocka_unit_test(test_job_environment_table),
		cmocka_unit_test(test_bad_requests_get_an_error_and_change_nothing),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
