/* commands — see commands.h.
 *
 * The request fields are the contract in lib/proto.h; each builder fills
 * exactly the fields its command documents there.
 */
#include "initctl/commands.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "initctl/client.h"
#include "initctl/help.h"
#include "initctl/inspect.h"
#include "initctl/json_out.h"
#include "initctl/messages.h"
#include "lib/proto.h"

/* Every command also takes the global options (libnih joins them). */
#define INCLUDE_GLOBAL \
	{ NULL, 0, POPT_ARG_INCLUDE_TABLE, (void *)options_global, 0, NULL, NULL }

/* Commands with no options of their own. */
static const struct poptOption no_options[] = {
	INCLUDE_GLOBAL,
	POPT_TABLEEND
};

static const struct poptOption start_options[] = {
	{ "no-wait", 'n', POPT_ARG_NONE, NULL, OPT_NO_WAIT,
	  "do not wait for job to start before exiting", NULL },
	INCLUDE_GLOBAL,
	POPT_TABLEEND
};

static const struct poptOption stop_options[] = {
	{ "no-wait", 'n', POPT_ARG_NONE, NULL, OPT_NO_WAIT,
	  "do not wait for job to stop before exiting", NULL },
	INCLUDE_GLOBAL,
	POPT_TABLEEND
};

static const struct poptOption restart_options[] = {
	{ "no-wait", 'n', POPT_ARG_NONE, NULL, OPT_NO_WAIT,
	  "do not wait for job to restart before exiting", NULL },
	INCLUDE_GLOBAL,
	POPT_TABLEEND
};

/* emit -e is the Upstart 0.6 spelling of a trailing KEY=VALUE, still used
 * by udev rules and old articles. */
static const struct poptOption emit_options[] = {
	{ "no-wait", 'n', POPT_ARG_NONE, NULL, OPT_NO_WAIT,
	  "do not wait for event to finish before exiting", NULL },
	{ NULL, 'e', POPT_ARG_STRING, NULL, OPT_EMIT_ENV,
	  "add KEY=VALUE to the environment of the event", "KEY=VALUE" },
	INCLUDE_GLOBAL,
	POPT_TABLEEND
};

/* --json: the reply as one JSON document (json_out.h). */
#define JSON_OPTION \
	{ "json", 0, POPT_ARG_NONE, NULL, OPT_JSON, "print the result as JSON", NULL }

static const struct poptOption status_options[] = {
	JSON_OPTION,
	INCLUDE_GLOBAL,
	POPT_TABLEEND
};

static const struct poptOption list_options[] = {
	JSON_OPTION,
	INCLUDE_GLOBAL,
	POPT_TABLEEND
};

static const struct poptOption why_options[] = {
	JSON_OPTION,
	INCLUDE_GLOBAL,
	POPT_TABLEEND
};

static const struct poptOption history_options[] = {
	{ NULL, 'n', POPT_ARG_STRING, NULL, OPT_COUNT,
	  "show only the last N records", "N" },
	JSON_OPTION,
	INCLUDE_GLOBAL,
	POPT_TABLEEND
};

static const struct poptOption timeline_options[] = {
	JSON_OPTION,
	{ "svg", 0, POPT_ARG_NONE, NULL, OPT_SVG,
	  "draw the timeline as an SVG picture", NULL },
	{ "input", 0, POPT_ARG_STRING, NULL, OPT_INPUT,
	  "read a timeline saved with --json instead of asking init", "FILE" },
	INCLUDE_GLOBAL,
	POPT_TABLEEND
};

static const struct poptOption show_config_options[] = {
	{ "enumerate", 'e', POPT_ARG_NONE, NULL, OPT_ENUMERATE,
	  "enumerate list of events and jobs causing job created from job "
	  "config to start/stop", NULL },
	JSON_OPTION,
	INCLUDE_GLOBAL,
	POPT_TABLEEND
};

static const struct poptOption check_config_options[] = {
	{ "ignore-events", 'i', POPT_ARG_STRING, NULL, OPT_IGNORE_EVENTS,
	  "ignore specified list of events (comma-separated)", "EVENT_LIST" },
	{ "warn", 'w', POPT_ARG_NONE, NULL, OPT_WARN,
	  "Generate warning for any unreachable events/jobs", NULL },
	INCLUDE_GLOBAL,
	POPT_TABLEEND
};

static const struct poptOption env_options[] = {
	{ "global", 'g', POPT_ARG_NONE, NULL, OPT_GLOBAL,
	  "apply to global job environment table", NULL },
	INCLUDE_GLOBAL,
	POPT_TABLEEND
};

static const struct poptOption set_env_options[] = {
	{ "global", 'g', POPT_ARG_NONE, NULL, OPT_GLOBAL,
	  "apply to global job environment table", NULL },
	{ "retain", 'r', POPT_ARG_NONE, NULL, OPT_RETAIN,
	  "do not replace the value of the variable if already set", NULL },
	INCLUDE_GLOBAL,
	POPT_TABLEEND
};

/* A request under construction.  Adding fields never fails loudly: the
 * first allocation failure is remembered and reported once at the end,
 * which keeps each builder a straight list of fields. */
typedef struct request {
	struct json_object *obj;
	bool                failed;
} Request;

/* Add `key: value` (consumed) to the request. */
static void
req_add(Request *req, const char *key, struct json_object *value)
{
	if (req->failed || value == NULL
	    || json_object_object_add(req->obj, key, value) != 0) {
		json_object_put(value);
		req->failed = true;
	}
}

/* Start a request for command `cmd`: {"v":1,"cmd":cmd}. */
static void
req_init(Request *req, const char *cmd)
{
	req->obj = proto_request_new(cmd);
	req->failed = req->obj == NULL;
}

/* Add a string field. */
static void
req_string(Request *req, const char *key, const char *value)
{
	req_add(req, key, json_object_new_string(value));
}

/* Add a boolean field. */
static void
req_bool(Request *req, const char *key, bool value)
{
	req_add(req, key, json_object_new_boolean(value));
}

/* A JSON array of the `n` strings at `items` (n may be 0). */
static void
req_strings(Request *req, const char *key, char *const *items, size_t n)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; arr != NULL && i < n; i++) {
		struct json_object *str = json_object_new_string(items[i]);

		if (str == NULL || json_object_array_add(arr, str) != 0) {
			json_object_put(str);
			json_object_put(arr);
			arr = NULL;
		}
	}
	req_add(req, key, arr);
}

/* Hand the finished request over, or report the allocation failure. */
static int
req_finish(Request *req, struct json_object **request)
{
	if (req->failed) {
		json_object_put(req->obj);
		msg_error("Cannot allocate memory");
		return -1;
	}
	*request = req->obj;
	return 0;
}

/* The job instance this process belongs to, when init started it: init
 * sets UPSTART_JOB and UPSTART_INSTANCE (empty for single-instance jobs)
 * in every job, and Upstart's initctl accepts only the two together. */
static bool
own_instance(const char **job, const char **instance)
{
	*job = getenv("UPSTART_JOB");
	*instance = getenv("UPSTART_INSTANCE");
	return *job != NULL && *instance != NULL;
}

/* status -v (--verbose, or --debug) also lists the processes in the
 * instance's cgroup; --json asks for the answer as "items". */
static void
add_processes(const CommandCall *call, Request *req)
{
	if (!strcmp(call->spec->name, "status") && call->opts->priority <= MSG_INFO)
		req_bool(req, "processes", true);
	if (call->opts->json)
		req_bool(req, "json", true);
}

/* start/stop/restart/reload/status with no job name, run inside a job,
 * act on that job's own instance and never wait (a job waiting on
 * itself would deadlock). */
static int
build_self_request(const CommandCall *call, struct json_object **request)
{
	const char *job, *instance;
	Request     req;

	if (!own_instance(&job, &instance)) {
		msg_usage_error("missing job name");
		return -1;
	}
	req_init(&req, call->spec->name);
	req_bool(&req, "self", true);
	req_string(&req, "job", job);
	req_string(&req, "instance", instance);
	req_bool(&req, "wait", false);
	add_processes(call, &req);
	return req_finish(&req, request);
}

/* start/stop/restart/reload/status JOB [KEY=VALUE]...: the KEY=VALUE
 * words are checked by init (`Env must be KEY=VALUE pairs`), as Upstart
 * checks them in the daemon. */
static int
build_job_request(const CommandCall *call, struct json_object **request)
{
	Request req;

	if (call->nargs == 0)
		return build_self_request(call, request);
	req_init(&req, call->spec->name);
	req_string(&req, "job", call->args[0]);
	req_strings(&req, "env", call->args + 1, call->nargs - 1);
	req_bool(&req, "wait", !call->opts->no_wait);
	add_processes(call, &req);
	return req_finish(&req, request);
}

/* emit EVENT [KEY=VALUE]...: `-e KEY=VALUE` values come first, then the
 * ones after the event name, each in command-line order. */
static int
build_emit_request(const CommandCall *call, struct json_object **request)
{
	const StrList *dash_e = &call->opts->emit_env;
	StrList        env = STRLIST_INIT;
	bool           ok = true;
	Request        req;
	int            rc;

	if (call->nargs == 0) {
		msg_usage_error("missing event name");
		return -1;
	}
	for (size_t i = 0; ok && i < dash_e->len; i++)
		ok = strlist_push(&env, dash_e->items[i]);
	for (size_t i = 1; ok && i < call->nargs; i++)
		ok = strlist_push(&env, call->args[i]);

	req_init(&req, "emit");
	req.failed |= !ok;
	req_string(&req, "event", call->args[0]);
	req_strings(&req, "env", env.items, env.len);
	req_bool(&req, "wait", !call->opts->no_wait);
	rc = req_finish(&req, request);
	strlist_free(&env);
	return rc;
}

/* Commands whose request is just their name; extra arguments are
 * ignored, as a running Upstart 1.13.2 ignores them. */
static int
build_plain_request(const CommandCall *call, struct json_object **request)
{
	Request req;

	req_init(&req, call->spec->name);
	return req_finish(&req, request);
}

/* list [--json]; extra arguments are ignored, as by Upstart. */
static int
build_list_request(const CommandCall *call, struct json_object **request)
{
	Request req;

	req_init(&req, "list");
	if (call->opts->json)
		req_bool(&req, "json", true);
	return req_finish(&req, request);
}

/* log-priority [PRIORITY]: without one it is a query. */
static int
build_log_priority_request(const CommandCall *call, struct json_object **request)
{
	Request req;

	req_init(&req, "log-priority");
	if (call->nargs > 0)
		req_string(&req, "priority", call->args[0]);
	return req_finish(&req, request);
}

/* show-config [CONF] [-e]. */
static int
build_show_config_request(const CommandCall *call, struct json_object **request)
{
	Request req;

	req_init(&req, "show-config");
	if (call->nargs > 0)
		req_string(&req, "job", call->args[0]);
	req_bool(&req, "enumerate", call->opts->enumerate);
	if (call->opts->json)
		req_bool(&req, "json", true);
	return req_finish(&req, request);
}

/* check-config [CONF] [-i LIST] [-w]. */
static int
build_check_config_request(const CommandCall *call, struct json_object **request)
{
	const StrList *ignore = &call->opts->ignore_events;
	Request        req;

	req_init(&req, "check-config");
	if (call->nargs > 0)
		req_string(&req, "job", call->args[0]);
	req_strings(&req, "ignore_events", ignore->items, ignore->len);
	req_bool(&req, "warn", call->opts->warn);
	return req_finish(&req, request);
}

/* usage [JOB]: like the job commands, a job may ask about itself. */
static int
build_usage_request(const CommandCall *call, struct json_object **request)
{
	const char *job, *instance;
	Request     req;

	if (call->nargs > 0)
		job = call->args[0];
	else if (!own_instance(&job, &instance)) {
		msg_usage_error("missing job name");
		return -1;
	}
	req_init(&req, "usage");
	req_string(&req, "job", job);
	return req_finish(&req, request);
}

/* Which environment table an env command acts on, as Upstart decides it:
 * -g or running outside any job means the global table; inside a job
 * (UPSTART_JOB set) that job's own, which needs UPSTART_INSTANCE too. */
typedef struct env_target {
	const char *job;
	const char *instance;
	bool        global;
} EnvTarget;

/* Fill *target for `call`; -1 after `missing job name`. */
static int
find_env_target(const CommandCall *call, EnvTarget *target)
{
	*target = (EnvTarget){ .global = true };
	if (call->opts->global || getenv("UPSTART_JOB") == NULL)
		return 0;
	if (!own_instance(&target->job, &target->instance)) {
		msg_usage_error("missing job name");
		return -1;
	}
	target->global = false;
	return 0;
}

/* The request shared by the env commands, with `nvars` variables. */
static int
build_env_common(const CommandCall *call, size_t nvars,
		 struct json_object **request)
{
	EnvTarget target;
	Request   req;

	if (find_env_target(call, &target) < 0)
		return -1;
	req_init(&req, call->spec->name);
	req_strings(&req, "vars", call->args, nvars);
	req_bool(&req, "global", target.global);
	req_bool(&req, "retain", call->opts->retain);
	if (target.job != NULL) {
		req_string(&req, "job", target.job);
		req_string(&req, "instance", target.instance);
	}
	return req_finish(&req, request);
}

/* get-env VAR: only the first name is used, as in Upstart. */
static int
build_get_env_request(const CommandCall *call, struct json_object **request)
{
	if (call->nargs == 0) {
		msg_usage_error("missing variable name");
		return -1;
	}
	return build_env_common(call, 1, request);
}

/* set-env VAR[=VALUE]...: a bare VAR becomes VAR= in init. */
static int
build_set_env_request(const CommandCall *call, struct json_object **request)
{
	if (call->nargs == 0) {
		msg_usage_error("missing variable value");
		return -1;
	}
	return build_env_common(call, call->nargs, request);
}

/* unset-env VAR... */
static int
build_unset_env_request(const CommandCall *call, struct json_object **request)
{
	if (call->nargs == 0) {
		msg_usage_error("missing variable name");
		return -1;
	}
	return build_env_common(call, call->nargs, request);
}

/* list-env / reset-env: no variables. */
static int
build_env_table_request(const CommandCall *call, struct json_object **request)
{
	return build_env_common(call, 0, request);
}

/* list, status, show-config: their lines, or with --json the reply's
 * items as one document: list and show-config an array of them, status
 * its one object (it addresses one instance).  A reply without the
 * items asked for is no answer to the request. */
static int
render_lines_or_json(const CommandCall *call, struct json_object *reply)
{
	struct json_object *items;
	bool                one = !strcmp(call->spec->name, "status");

	if (!call->opts->json) {
		client_print_lines(reply, call->spec->flags);
		return 0;
	}
	if (!json_object_object_get_ex(reply, "items", &items)
	    || !json_object_is_type(items, json_type_array)
	    || (one && json_object_array_length(items) != 1)) {
		msg_error("Unable to receive reply: %s", strerror(EPROTO));
		return 1;
	}
	return json_out_print(one ? json_object_array_get_idx(items, 0) : items);
}

/* help: the command list, no daemon needed. */
static int
run_help(const CommandCall *call)
{
	help_print_commands();
	return 0;
}

static const CommandSpec commands[] = {
	{ "start", "JOB [KEY=VALUE]...", "Start job.",
	  "JOB is the name of the job to start; any KEY=VALUE pairs after it "
	  "are set in the environment of the new instance.\n\n"
	  "The environment also tells instances apart: it decides whether a "
	  "new instance is started or an error is returned because that "
	  "instance is already running.",
	  GROUP_JOB, start_options, build_job_request, NULL, 0, NULL },
	{ "stop", "JOB [KEY=VALUE]...", "Stop job.",
	  "JOB is the name of the job to stop; any KEY=VALUE pairs after it "
	  "are passed to the job's pre-stop and post-stop processes.\n\n"
	  "The environment also tells instances apart: it decides which of "
	  "several instances is stopped.",
	  GROUP_JOB, stop_options, build_job_request, NULL, 0, NULL },
	{ "restart", "JOB [KEY=VALUE]...", "Restart job.",
	  "JOB is the name of the job to restart; any KEY=VALUE pairs after "
	  "it are set in the job's environment after the restart.\n\n"
	  "The environment also tells instances apart: it decides which of "
	  "several instances is restarted.",
	  GROUP_JOB, restart_options, build_job_request, NULL, 0, NULL },
	{ "reload", "JOB [KEY=VALUE]...", "Send HUP signal to job.",
	  "JOB is the name of the job whose main process is sent the reload "
	  "signal; any KEY=VALUE pairs after it tell instances apart.",
	  GROUP_JOB, no_options, build_job_request, NULL, 0, NULL },
	{ "status", "JOB [KEY=VALUE]...", "Query status of job.",
	  "JOB is the name of the job to query; any KEY=VALUE pairs after it "
	  "tell instances apart.\n\n"
	  "With -v, every process in the instance's cgroup is listed too.",
	  GROUP_JOB, status_options, build_job_request, NULL, 0,
	  render_lines_or_json },
	{ "list", NULL, "List known jobs.",
	  "Every known job and instance is listed with its current status.",
	  GROUP_JOB, list_options, build_list_request, NULL, 0,
	  render_lines_or_json },
	{ "emit", "EVENT [KEY=VALUE]...", "Emit an event.",
	  "EVENT is the name of the event the init daemon should emit; any "
	  "KEY=VALUE pairs after it, or given with -e, are included in the "
	  "event's environment.",
	  GROUP_EVENT, emit_options, build_emit_request, NULL, 0, NULL },
	{ "monitor", NULL, "Show events as they are emitted.",
	  "Each event the init daemon emits is printed on one line, its name "
	  "followed by its environment, until interrupted.",
	  GROUP_EVENT, no_options, build_plain_request, NULL, COMMAND_STREAM, NULL },
	{ "reload-configuration", NULL,
	  "Reload the configuration of the init daemon.", NULL,
	  GROUP_OTHER, no_options, build_plain_request, NULL, 0, NULL },
	{ "version", NULL, "Request the version of the init daemon.", NULL,
	  GROUP_OTHER, no_options, build_plain_request, NULL, 0, NULL },
	{ "log-priority", "[PRIORITY]",
	  "Change the minimum priority of log messages from the init daemon.",
	  "PRIORITY is one of `debug', `info', `message' (the default), "
	  "`warn', `error' or `fatal'; messages below it are not logged.\n\n"
	  "Without arguments, this outputs the current log priority.",
	  GROUP_OTHER, no_options, build_log_priority_request, NULL, 0, NULL },
	{ "show-config", "[CONF]",
	  "Show emits, start on and stop on details for job configurations.",
	  "If CONF is given, show the details of that job configuration only, "
	  "else of every job configuration.",
	  GROUP_OTHER, show_config_options, build_show_config_request, NULL, 0,
	  render_lines_or_json },
	{ "check-config", "[CONF]",
	  "Check for unreachable jobs/event conditions.",
	  "List every job and event in start on and stop on conditions that "
	  "no available job configuration can satisfy.",
	  GROUP_OTHER, check_config_options, build_check_config_request, NULL, 0, NULL },
	{ "get-env", "VARIABLE",
	  "Retrieve value of a job environment variable.",
	  "Display the value of a variable from the job environment table.",
	  GROUP_ENV, env_options, build_get_env_request, NULL, 0, NULL },
	{ "list-env", NULL, "Show all job environment variables.",
	  "Display the variables of the job environment table, sorted.",
	  GROUP_ENV, env_options, build_env_table_request, NULL,
	  COMMAND_SORT_LINES, NULL },
	{ "reset-env", NULL, "Revert all job environment variable changes.",
	  "Discard every change made to the job environment table, setting "
	  "it back to its default value.",
	  GROUP_ENV, env_options, build_env_table_request, NULL, 0, NULL },
	{ "set-env", "VARIABLE[=VALUE]...",
	  "Set one or more job environment variables.",
	  "Add or update variables in the job environment table.",
	  GROUP_ENV, set_env_options, build_set_env_request, NULL, 0, NULL },
	{ "unset-env", "VARIABLE...",
	  "Remove one or more job environment variables.",
	  "Discard variables from the job environment table.",
	  GROUP_ENV, env_options, build_unset_env_request, NULL, 0, NULL },
	{ "usage", "JOB", "Show job usage message if available.",
	  "JOB is the name of the job whose usage message is shown.",
	  GROUP_OTHER, no_options, build_usage_request, NULL, 0, NULL },
	{ "notify-disk-writeable", NULL,
	  "Inform Upstart that disk is now writeable.",
	  "Run to ensure output from jobs ending before disk is writeable "
	  "is flushed to disk.",
	  GROUP_OTHER, no_options, build_plain_request, NULL, 0, NULL },
	{ "why", "JOB [INSTANCE]", "Explain why a job is running or stopped.",
	  "JOB is the name of the job to explain; INSTANCE names one of its "
	  "instances.  The chain of causes is printed from the latest change "
	  "of the job's goal back to its first cause: the events that "
	  "satisfied `start on' or `stop on' and the jobs that emitted them, "
	  "the command that asked (its pid, uid and command line), the process "
	  "that ended.  For a job that is not started, what its `start on' is "
	  "still waiting for is printed too.",
	  GROUP_JOB, why_options, inspect_build_why, NULL, 0, inspect_render_why },
	{ "history", "[JOB]", "Show the recorded transitions.",
	  "Every event, goal change and start or stop recorded lately (the "
	  "last 1024), oldest first, with the time since boot, the wall clock "
	  "time and its cause.  With JOB, only those about that job.",
	  GROUP_JOB, history_options, inspect_build_history, NULL, 0,
	  inspect_render_history },
	{ "timeline", NULL, "Show where the boot went.",
	  "For the current boot, when each job and SysV script was wanted, ran "
	  "and finished, and the critical chain to the moment the default "
	  "runlevel was reached.  --svg draws it; --json prints the document "
	  "--input reads back.",
	  GROUP_OTHER, timeline_options, NULL, inspect_timeline, 0,
	  inspect_render_timeline },
	{ "help", NULL, "display list of commands", NULL,
	  GROUP_OTHER, no_options, NULL, run_help, 0, NULL },
	{ NULL, NULL, NULL, NULL, GROUP_OTHER, NULL, NULL, NULL, 0, NULL }
};

static const char *const group_titles[] = {
	[GROUP_JOB]   = "Job",
	[GROUP_EVENT] = "Event",
	[GROUP_ENV]   = "Environment",
	[GROUP_OTHER] = NULL,
};

/* Look a command up by name (also used for the program name, so the
 * start/stop/... links run their command directly). */
const CommandSpec *
command_find(const char *name)
{
	for (const CommandSpec *spec = commands; spec->name != NULL; spec++)
		if (strcmp(spec->name, name) == 0)
			return spec;
	return NULL;
}

/* The whole table, for `help`. */
const CommandSpec *
command_table(void)
{
	return commands;
}

/* The heading word of a group; NULL for the trailing "Other" group. */
const char *
command_group_title(CommandGroup group)
{
	return group_titles[group];
}
