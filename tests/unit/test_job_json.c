/* Unit tests for init/job_json.c, the objects of list, status and
 * show-config --json: every key, null where the text has nothing, the
 * job's own bytes (no escaping of the instance name), and the same facts
 * as the text the same walks print (job_status_lines,
 * job_report_show_config). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "init/job.h"
#include "init/job_json.h"
#include "init/job_report.h"
#include "job_defs.h"

static JobClass *
define(const char *name, const char *text)
{
	JobClass *class = job_defs_define(name, text);

	if (!class)
		fail_msg("job %s does not parse", name);
	return class;
}

/* `obj` as compact JSON, then put. */
static void
assert_json(struct json_object *obj, const char *want)
{
	assert_non_null(obj);
	assert_string_equal(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
							   JSON_C_TO_STRING_NOSLASHESCAPE),
			    want);
	json_object_put(obj);
}

/* Lines collected from a JobLineFn, joined by newlines. */
static char text[4096];

static void
collect(void *data, const char *line)
{
	size_t n = strlen(text);

	(void)data;
	snprintf(text + n, sizeof text - n, "%s%s", n ? "\n" : "", line);
}

static int
teardown(void **state)
{
	(void)state;
	job_defs_clear();
	text[0] = '\0';
	return 0;
}

static const char config[] =
	"emits web-ready\n"
	"emits web-*\n"
	"start on started dbus X=1 or (runlevel [2345] and filesystem)\n"
	"stop on stopping JOB=db FOO=bar\n"
	"exec sleep 1000\n";

static void
test_config(void **state)
{
	JobClass *class = define("web", config);

	(void)state;
	assert_json(job_json_config(class, false),
		    "{\"job\":\"web\",\"emits\":[\"web-ready\",\"web-*\"],"
		    "\"start_on\":\"(started dbus X=1 or (runlevel [2345] and filesystem))\","
		    "\"stop_on\":\"stopping JOB=db FOO=bar\"}");
	job_report_show_config(class, false, collect, NULL);
	assert_string_equal(text,
			    "web\n"
			    "  emits web-ready\n"
			    "  emits web-*\n"
			    "  start on (started dbus X=1 or (runlevel [2345] and filesystem))\n"
			    "  stop on stopping JOB=db FOO=bar");
}

static void
test_config_enumerate(void **state)
{
	JobClass *class = define("web", config);

	(void)state;
	assert_json(job_json_config(class, true),
		    "{\"job\":\"web\",\"emits\":[\"web-ready\",\"web-*\"],"
		    "\"start_on\":\"(started dbus X=1 or (runlevel [2345] and filesystem))\","
		    "\"stop_on\":\"stopping JOB=db FOO=bar\","
		    "\"start_on_events\":["
		    "{\"event\":\"started\",\"job\":\"dbus\",\"env\":[\"X=1\"]},"
		    "{\"event\":\"runlevel\",\"job\":null,\"env\":[\"[2345]\"]},"
		    "{\"event\":\"filesystem\",\"job\":null,\"env\":[]}],"
		    "\"stop_on_events\":["
		    "{\"event\":\"stopping\",\"job\":\"db\",\"env\":[\"FOO=bar\"]}]}");
	job_report_show_config(class, true, collect, NULL);
	assert_string_equal(text,
			    "web\n"
			    "  emits web-ready\n"
			    "  emits web-*\n"
			    "  start on started (job: dbus, env: X=1)\n"
			    "  start on runlevel (job:, env: [2345])\n"
			    "  start on filesystem (job:, env:)\n"
			    "  stop on stopping (job: db, env: FOO=bar)");
}

/* A job with no conditions nor emits: every key all the same. */
static void
test_config_empty(void **state)
{
	JobClass *class = define("bare", "exec sleep 1000\n");

	(void)state;
	assert_json(job_json_config(class, false),
		    "{\"job\":\"bare\",\"emits\":[],\"start_on\":null,\"stop_on\":null}");
	assert_json(job_json_config(class, true),
		    "{\"job\":\"bare\",\"emits\":[],\"start_on\":null,\"stop_on\":null,"
		    "\"start_on_events\":[],\"stop_on_events\":[]}");
}

static void
test_status(void **state)
{
	JobClass *class = define("svc", "instance $N\nexec sleep 1000\n");
	Job *job = job_new(class, "a\n\"b\"\t\\");

	(void)state;
	assert_non_null(job);
	assert_json(job_json_status(job),
		    "{\"job\":\"svc\",\"instance\":\"a\\n\\\"b\\\"\\t\\\\\","
		    "\"goal\":\"stop\",\"state\":\"waiting\",\"processes\":[]}");
	job->goal = JOB_STOP;
	job->state = JOB_PRE_STOP;
	job->pid[PROCESS_MAIN] = 123;
	job->pid[PROCESS_PRE_STOP] = 456;
	assert_json(job_json_status(job),
		    "{\"job\":\"svc\",\"instance\":\"a\\n\\\"b\\\"\\t\\\\\","
		    "\"goal\":\"stop\",\"state\":\"pre-stop\",\"processes\":["
		    "{\"process\":\"main\",\"pid\":123},{\"process\":\"pre-stop\",\"pid\":456}]}");
	job_status_lines(job, collect, NULL);
	assert_string_equal(text, "svc (a\\n\"b\"\\t\\) stop/pre-stop, process 123\n"
				  "\tpre-stop process 456");

	/* The first process is not main: named in the text, as always in JSON. */
	text[0] = '\0';
	job->pid[PROCESS_MAIN] = 0;
	job->state = JOB_POST_START;
	job->goal = JOB_START;
	job->pid[PROCESS_PRE_STOP] = 0;
	job->pid[PROCESS_POST_START] = 789;
	assert_json(job_json_status(job),
		    "{\"job\":\"svc\",\"instance\":\"a\\n\\\"b\\\"\\t\\\\\","
		    "\"goal\":\"start\",\"state\":\"post-start\",\"processes\":["
		    "{\"process\":\"post-start\",\"pid\":789}]}");
	job_status_lines(job, collect, NULL);
	assert_string_equal(text, "svc (a\\n\"b\"\\t\\) start/post-start, (post-start) process 789");

	job->pid[PROCESS_POST_START] = 0;
	job->goal = JOB_STOP;
	job->state = JOB_WAITING;
	job_free(job);
}

static void
test_class_status_and_members(void **state)
{
	JobClass *class = define("idle", "exec sleep 1000\n");
	struct json_object *obj;
	Job *job;

	(void)state;
	assert_json(job_json_class_status(class),
		    "{\"job\":\"idle\",\"instance\":null,\"goal\":\"stop\","
		    "\"state\":\"waiting\",\"processes\":[]}");
	/* status -v of a class without an instance, and of an instance
	 * without a cgroup (none here: no cgroups in a unit test). */
	obj = job_json_class_status(class);
	assert_true(job_json_add_members(obj, NULL));
	assert_json(obj, "{\"job\":\"idle\",\"instance\":null,\"goal\":\"stop\","
			 "\"state\":\"waiting\",\"processes\":[],\"cgroup\":null,\"members\":[]}");
	job = job_new(class, "");
	assert_non_null(job);
	obj = job_json_status(job);
	assert_true(job_json_add_members(obj, job));
	assert_json(obj, "{\"job\":\"idle\",\"instance\":\"\",\"goal\":\"stop\","
			 "\"state\":\"waiting\",\"processes\":[],\"cgroup\":null,\"members\":[]}");
	job_free(job);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_config, teardown),
		cmocka_unit_test_teardown(test_config_enumerate, teardown),
		cmocka_unit_test_teardown(test_config_empty, teardown),
		cmocka_unit_test_teardown(test_status, teardown),
		cmocka_unit_test_teardown(test_class_status_and_members, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
